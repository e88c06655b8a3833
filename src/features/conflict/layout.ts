/**
 * What of a long text the three-way view shows. A 10,000-line document with a few changes must
 * not put 10,000 lines into the page: unchanged text shows a few lines of context around each
 * change and hides the rest behind an expander.
 */
import type { Hunk } from '../../merge/index.ts';

export interface Collapsed {
  /** Shown before the expander. */
  head: string;
  /** Hidden behind the expander ('' when nothing is hidden). */
  hidden: string;
  hiddenLines: number;
  /** Shown after the expander. */
  tail: string;
}

/** Index just past the `n`th line break from the start, or -1 when the text has fewer. */
function afterNthBreak(text: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf('\n', at + 1);
    if (at === -1) return -1;
  }
  return at + 1;
}

/**
 * Index where the last `n` lines start (the last line may lack its break), or -1 when no line comes
 * before them (the text has `n` lines or fewer).
 */
function startOfLastLines(text: string, n: number): number {
  // A final line break ends the last line rather than starting an empty one.
  // Stryker disable next-line StringLiteral: starting one short of a last character that is no line break finds the same breaks.
  let at = text.endsWith('\n') ? text.length - 1 : text.length;
  for (let i = 0; i < n; i++) {
    // At 0 the first line is reached (a blank one, its break at 0). lastIndexOf would read the
    // start -1 as 0 and find that same break again, counting the blank line once per line asked.
    if (at === 0) return -1;
    at = text.lastIndexOf('\n', at - 1);
    if (at === -1) return -1;
  }
  return at + 1;
}

export function countLines(text: string): number {
  if (text === '') return 0;
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}

/**
 * Splits unchanged text into what stays visible and what folds away. The first region of a
 * document needs no context above it, the last none below it. Folding fewer than `minHidden`
 * lines would cost more than showing them, so short regions stay whole.
 */
export function collapseStable(
  text: string,
  options: { context: number; atStart: boolean; atEnd: boolean; minHidden?: number },
): Collapsed {
  const { context, atStart, atEnd, minHidden = 3 } = options;
  const whole: Collapsed = { head: text, hidden: '', hiddenLines: 0, tail: '' };
  const headEnd = atStart ? 0 : afterNthBreak(text, context);
  const tailStart = atEnd ? text.length : startOfLastLines(text, context);
  if (headEnd === -1 || tailStart === -1 || tailStart <= headEnd) return whole;
  const hidden = text.slice(headEnd, tailStart);
  const hiddenLines = countLines(hidden);
  if (hiddenLines < minHidden) return whole;
  return { head: text.slice(0, headEnd), hidden, hiddenLines, tail: text.slice(tailStart) };
}

/**
 * The first `maxLines` lines of a long text, and how many lines that leaves out; used for long
 * changes, which are shown in full only on request.
 */
export function firstLines(text: string, maxLines: number): { shown: string; rest: number } {
  const end = afterNthBreak(text, maxLines);
  if (end === -1 || end >= text.length) return { shown: text, rest: 0 };
  return { shown: text.slice(0, end), rest: countLines(text.slice(end)) };
}

/**
 * Above this many characters a word diff is more noise than help (and costs time): the change is
 * shown as the old text removed and the new text inserted.
 */
export const WORD_DIFF_LIMIT = 20_000;

export interface Span {
  kind: 'equal' | 'insert' | 'delete';
  text: string;
}

/** Highlight spans from `base` to `changed`, through `highlight` (see highlights.ts). */
export function changeSpans(
  base: string,
  changed: string,
  highlight: (base: string, changed: string) => Span[],
): Span[] {
  if (base === changed) return base === '' ? [] : [{ kind: 'equal', text: base }];
  if (base.length + changed.length > WORD_DIFF_LIMIT) {
    const spans: Span[] = [];
    if (base !== '') spans.push({ kind: 'delete', text: base });
    if (changed !== '') spans.push({ kind: 'insert', text: changed });
    return spans;
  }
  return highlight(base, changed);
}

/** Where each hunk starts (1-based line numbers) in yours, theirs and the base, and how many lines yours has. */
export interface HunkLines {
  starts: number[];
  theirs: number[];
  base: number[];
  total: number;
}

/** Line breaks in `text`. */
function breaksIn(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

/**
 * The line each hunk starts on in yours, the document the user knows from the editor: the
 * counter, the overview ruler and the conflict headings speak in these numbers. Also in theirs
 * and in the base, for the line numbers of each column.
 */
export function hunkLines(hunks: readonly Hunk[]): HunkLines {
  const starts: number[] = [];
  const theirs: number[] = [];
  const base: number[] = [];
  let breaks = 0;
  let theirBreaks = 0;
  let baseBreaks = 0;
  // Stryker disable next-line StringLiteral: it stays '' only while every text of mine is empty, and then the total is 1 either way.
  let last = '';
  for (const hunk of hunks) {
    starts.push(breaks + 1);
    theirs.push(theirBreaks + 1);
    base.push(baseBreaks + 1);
    const mine =
      hunk.kind === 'stable' ? hunk.text : hunk.kind === 'conflict' ? hunk.mine : hunk.kind === 'theirs' ? hunk.base : hunk.text;
    const their =
      hunk.kind === 'stable' ? hunk.text : hunk.kind === 'conflict' ? hunk.theirs : hunk.kind === 'mine' ? hunk.base : hunk.text;
    breaks += breaksIn(mine);
    theirBreaks += breaksIn(their);
    baseBreaks += breaksIn(hunk.kind === 'stable' ? hunk.text : hunk.base);
    if (mine !== '') last = mine;
  }
  // A last line without its break still counts.
  return { starts, theirs, base, total: Math.max(1, last === '' || last.endsWith('\n') ? breaks : breaks + 1) };
}

/** A piece of text in a numbered column: where a line starts, the piece carries that line's number. */
export interface NumberedPiece extends Span {
  /**
   * Set on a piece that starts a line: the line's number in the column's own text, or null for a
   * line the column does not have (text it removed, shown struck through).
   */
  line?: number | null;
}

/**
 * Cuts highlight spans at line breaks and numbers the lines, from `firstLine`, for a column that
 * starts at the start of a line. Deleted text is not the column's own: a line of it alone is
 * marked but not numbered, and its line breaks do not advance the count; a shown line takes the
 * number of the column's own line that starts on it.
 */
export function numberLines(spans: readonly Span[], firstLine: number): NumberedPiece[] {
  // Cut at every line break, and group the pieces by the line they are shown on.
  const shown: NumberedPiece[][] = [[]];
  for (const span of spans) {
    let from = 0;
    while (from < span.text.length) {
      const end = span.text.indexOf('\n', from);
      const to = end === -1 ? span.text.length : end + 1;
      // Stryker disable next-line OptionalChaining: `shown` starts with one line and only grows.
      shown[shown.length - 1]?.push({ kind: span.kind, text: span.text.slice(from, to) });
      if (end !== -1) shown.push([]);
      from = to;
    }
  }
  const pieces: NumberedPiece[] = [];
  let ownLine = firstLine;
  let ownAtStart = true;
  for (const line of shown) {
    const first = line[0];
    if (!first) continue;
    let number: number | null = null;
    for (const piece of line) {
      if (piece.kind === 'delete') continue;
      if (ownAtStart && number === null) number = ownLine;
      ownAtStart = piece.text.endsWith('\n');
      if (ownAtStart) ownLine += 1;
    }
    first.line = number;
    pieces.push(...line);
  }
  return pieces;
}
