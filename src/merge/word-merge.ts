import { mergeItems } from './item-merge.ts';
import { splitWords } from './tokens.ts';
import type { Hunk } from './types.ts';

type ConflictHunk = Extract<Hunk, { kind: 'conflict' }>;

/**
 * How far (in word insertions and deletions) a side may be from base for a word-level merge to
 * be tried. Typical edits of a paragraph are far below it; two sides that each rewrote a long
 * passage are far above, would stay a conflict anyway, and would make the word diff cost grow
 * with the square of their length (over a minute for 100 kB).
 */
export const WORD_EDIT_LIMIT = 2000;

/**
 * Merges one line conflict again at word level. When the two sides' word edits neither
 * overlap nor touch, the conflict resolves into one hunk with both sets of edits applied
 * (kind 'both' when both sides edited, else the side that did); otherwise, or when a side
 * rewrote too much for a word diff to be worth it, it stays as it is.
 */
export function resolveAtWordLevel(conflict: ConflictHunk): Hunk {
  const words = (text: string) => ({ text, items: splitWords(text) });
  const hunks = mergeItems(words(conflict.base), words(conflict.mine), words(conflict.theirs), WORD_EDIT_LIMIT);
  if (!hunks) return conflict;
  let mineEdited = false;
  let theirsEdited = false;
  let text = '';
  for (const hunk of hunks) {
    switch (hunk.kind) {
      case 'conflict':
        return conflict;
      case 'stable':
        text += hunk.text;
        break;
      case 'mine':
        mineEdited = true;
        text += hunk.text;
        break;
      case 'theirs':
        theirsEdited = true;
        text += hunk.text;
        break;
      case 'both':
        mineEdited = true;
        theirsEdited = true;
        text += hunk.text;
        break;
    }
  }
  // A line conflict means both sides changed something, so at least one side has word edits.
  const kind = mineEdited && theirsEdited ? 'both' : mineEdited ? 'mine' : 'theirs';
  return { kind, base: conflict.base, text };
}
