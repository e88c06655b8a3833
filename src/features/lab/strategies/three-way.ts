import { merge3, toText } from '../../../merge/index.ts';
import type { MergeResult } from '../../../merge/index.ts';
import type { BaseRange, StrategyOutcome, Triple } from './types.ts';

/** Where in the base each unresolved conflict sits, from the hunks' base texts. */
function conflictRanges(result: MergeResult): BaseRange[] {
  const ranges: BaseRange[] = [];
  let offset = 0;
  for (const hunk of result.hunks) {
    const length = hunk.kind === 'stable' ? hunk.text.length : hunk.base.length;
    if (hunk.kind === 'conflict') ranges.push({ start: offset, end: offset + length });
    offset += length;
  }
  return ranges;
}

/** Line three-way merge (diff3 as git does it): changes that overlap or touch are a conflict. */
export function lineMerge(triple: Triple): StrategyOutcome {
  const result = merge3(triple.base, triple.mine, triple.theirs, { wordLevel: false });
  return { strategy: 'line-merge', text: toText(result), clean: result.clean, conflicts: conflictRanges(result) };
}

/** The project's default: line diff3, then line conflicts retried word by word. */
export function wordMerge(triple: Triple): StrategyOutcome {
  const result = merge3(triple.base, triple.mine, triple.theirs);
  return { strategy: 'word-merge', text: toText(result), clean: result.clean, conflicts: conflictRanges(result) };
}
