import { mergeItems, type Sequence } from './item-merge.ts';
import { splitLines } from './lines.ts';
import type { Hunk } from './types.ts';

/** Classic line diff3, as `git merge-file --diff3` decides it. */
export function mergeLines(base: string, mine: string, theirs: string): Hunk[] {
  const lines = (text: string): Sequence => ({ text, items: splitLines(text) });
  return mergeItems(lines(base), lines(mine), lines(theirs));
}
