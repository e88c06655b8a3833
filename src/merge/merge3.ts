import { mergeLines } from './line-merge.ts';
import type { Hunk, MergeOptions, MergeResult } from './types.ts';
import { resolveAtWordLevel } from './word-merge.ts';

/**
 * Three-way merge of base, mine and theirs: a line diff3 as git merge-file does it, then (by
 * default) each line conflict merged again at word level, where the edits may not clash.
 */
export function merge3(base: string, mine: string, theirs: string, options: MergeOptions = {}): MergeResult {
  const wordLevel = options.wordLevel ?? true;
  const lineHunks = mergeLines(base, mine, theirs);
  const hunks: Hunk[] = wordLevel
    ? lineHunks.map((hunk) => (hunk.kind === 'conflict' ? resolveAtWordLevel(hunk) : hunk))
    : lineHunks;
  return { clean: hunks.every((hunk) => hunk.kind !== 'conflict'), hunks };
}
