/**
 * What a change's highlights mark: `changed` against `base` as spans for <del> and <ins>.
 *
 * diff-match-patch's semantic clean-up is made for this: it drops the short equalities a minimal
 * diff finds by chance (a shared "e" or space between two unrelated words), which otherwise cut a
 * rewritten line into "~~the~~ALICE ~~quick~~rewrote …". When little is left in common after
 * that, the old text and the new are shown whole, one after the other: a rewrite reads better as
 * two sentences than as a puzzle. Small edits keep their word marks.
 *
 * This is display only: the merge itself (src/merge) never goes through it.
 */
import { DIFF_DELETE, DIFF_EQUAL, DIFF_INSERT, diff_match_patch } from '@dmsnell/diff-match-patch';
import type { Diff } from '@dmsnell/diff-match-patch';
import { WORD_DIFF_LIMIT } from './layout.ts';
import type { Span } from './layout.ts';

/**
 * Below this share of the longer side's visible characters in common, old and new show whole.
 * At one half a line that keeps its subject and verb and swaps the rest still reads as an edit.
 */
export const WHOLE_BELOW_SHARED = 0.5;

/**
 * A highlight may be a little less than minimal when a diff is slow (it stays exact: the spans
 * always rebuild both texts); a dialog that opens is worth more than the smallest marks.
 */
const DIFF_SECONDS = 0.1;

const dmp = new diff_match_patch();
dmp.Diff_Timeout = DIFF_SECONDS;

/**
 * Words (letters, marks, digits), runs of whitespace, and any other single code point; Chinese and
 * Japanese, written without spaces, one character each. Marks fall on whole words: "jumps" →
 * "leaps" marks the word, not "jum" → "lea".
 */
const WORD =
  /\s+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{M}\p{N}_])+|[\s\S]/gu;

/**
 * Each distinct word as one character, as diff-match-patch's own line mode does for lines, so
 * the diff compares words. A highlighted text is at most `WORD_DIFF_LIMIT` characters, so it has far
 * fewer distinct words than the 55,000 characters below the surrogate range.
 */
function wordsToChars(base: string, changed: string): { a: string; b: string; words: string[] } {
  const words: string[] = [];
  const codes = new Map<string, string>();
  const encode = (text: string) => {
    let out = '';
    for (const word of text.match(WORD) ?? []) {
      let code = codes.get(word);
      if (code === undefined) {
        code = String.fromCharCode(words.length);
        codes.set(word, code);
        words.push(word);
      }
      out += code;
    }
    return out;
  };
  return { a: encode(base), b: encode(changed), words };
}

function visibleLength(text: string): number {
  return text.replace(/\s+/g, '').length;
}

/** The spans of `changed` against `base`: equal and delete rebuild `base`, equal and insert `changed`. */
export function highlightSpans(base: string, changed: string): Span[] {
  if (base === changed) return base === '' ? [] : [{ kind: 'equal', text: base }];
  const whole = (): Span[] => {
    const spans: Span[] = [];
    if (base !== '') spans.push({ kind: 'delete', text: base });
    if (changed !== '') spans.push({ kind: 'insert', text: changed });
    return spans;
  };
  if (base === '' || changed === '' || base.length + changed.length > WORD_DIFF_LIMIT) return whole();

  const { a, b, words } = wordsToChars(base, changed);
  const diffs = dmp.diff_main(a, b, false);
  // Back to text before the clean-up, which weighs equalities by their length in characters.
  const decoded: Diff[] = diffs.map((diff) => {
    let text = '';
    for (let i = 0; i < diff[1].length; i++) text += words[diff[1].charCodeAt(i)];
    return [diff[0], text];
  });
  dmp.diff_cleanupSemantic(decoded);
  let shared = 0;
  const spans: Span[] = [];
  for (const [op, text] of decoded) {
    if (text === '') continue;
    if (op === DIFF_EQUAL) shared += visibleLength(text);
    const kind = op === DIFF_INSERT ? 'insert' : op === DIFF_DELETE ? 'delete' : 'equal';
    spans.push({ kind, text });
  }
  const longer = Math.max(visibleLength(base), visibleLength(changed));
  if (longer > 0 && shared / longer < WHOLE_BELOW_SHARED) return whole();
  return spans;
}
