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
import { DIFF_DELETE, DIFF_INSERT, diff_match_patch } from '@dmsnell/diff-match-patch';
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
  // Stryker disable next-line ArrayDeclaration: each code is the index its word was pushed at, so an extra first entry only shifts them all.
  const words: string[] = [];
  const codes = new Map<string, string>();
  const encode = (text: string) => {
    let out = '';
    // Stryker disable next-line ArrayDeclaration: both texts are non-empty here, and WORD matches any code point.
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
  // Stryker disable next-line StringLiteral: an empty side taken through the word diff comes out as the same one span.
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
  const spans = keepCodePointsWhole(
    decoded.map((diff): Span => ({ kind: diff[0] === DIFF_INSERT ? 'insert' : diff[0] === DIFF_DELETE ? 'delete' : 'equal', text: diff[1] })),
  );
  let shared = 0;
  for (const span of spans) if (span.kind === 'equal') shared += visibleLength(span.text);
  const longer = Math.max(visibleLength(base), visibleLength(changed));
  if (longer > 0 && shared / longer < WHOLE_BELOW_SHARED) return whole();
  return spans;
}

const HIGH = /[\uD800-\uDBFF]$/;
const LOW = /^[\uDC00-\uDFFF]/;

/**
 * The clean-up shifts edges one UTF-16 unit at a time, so it can leave half an emoji on each side
 * of an edge ("😁" → "😀" share their first half). A half at the edge of an unchanged span moves
 * into the change beside it, on both sides, so every span holds whole characters.
 */
function keepCodePointsWhole(input: Span[]): Span[] {
  const spans = input.map((span) => ({ ...span }));
  const run = (from: number, step: 1 | -1) => {
    const found: { delete?: Span; insert?: Span } = {};
    for (let i = from; i >= 0 && i < spans.length && spans[i].kind !== 'equal'; i += step) {
      const span = spans[i];
      if (span.kind === 'delete' || span.kind === 'insert') found[span.kind] ??= span;
    }
    return found;
  };
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    if (span.kind !== 'equal') continue;
    if (HIGH.test(span.text) && i + 1 < spans.length) {
      const half = span.text.slice(-1);
      span.text = span.text.slice(0, -1);
      const next = run(i + 1, 1);
      for (const kind of ['delete', 'insert'] as const) {
        const target = next[kind];
        if (target) target.text = half + target.text;
        else spans.splice(i + 1, 0, { kind, text: half });
      }
    }
    if (LOW.test(span.text) && i > 0) {
      const half = span.text.slice(0, 1);
      span.text = span.text.slice(1);
      const before = run(i - 1, -1);
      for (const kind of ['delete', 'insert'] as const) {
        const target = before[kind];
        if (target) target.text += half;
        else {
          spans.splice(i, 0, { kind, text: half });
          i++;
        }
      }
    }
  }
  // Within a change, the removed text first and the added text after, each as one span.
  const out: Span[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed !== '') out.push({ kind: 'delete', text: removed });
    if (added !== '') out.push({ kind: 'insert', text: added });
    removed = added = '';
  };
  for (const span of spans) {
    if (span.kind === 'delete') removed += span.text;
    else if (span.kind === 'insert') added += span.text;
    else if (span.text !== '') {
      flush();
      out.push(span);
    }
  }
  flush();
  return out;
}
