import { diff3, type Region } from './diff3.ts';
import { InternTable } from './intern.ts';
import { splitLines } from './lines.ts';
import { editDistanceAtMost } from './sequence-diff.ts';
import { splitMergeTokens } from './tokens.ts';
import type { Hunk } from './types.ts';

type ConflictHunk = Extract<Hunk, { kind: 'conflict' }>;

/**
 * How far (in word insertions and deletions) a side may be from base for a word-level merge to
 * be tried. Typical edits of a paragraph are far below it; two sides that each rewrote a long
 * passage are far above, would stay a conflict anyway, and would make the word diff cost grow
 * with the square of their length (over a minute for 100 kB).
 */
export const WORD_EDIT_LIMIT = 2000;

const isLineBreak = (token: string) => token === '\n' || token === '\r\n' || token === '\r';
const isBlank = (token: string) => /^\s*$/u.test(token);
const SENTENCE_END = /^[.!?。！？]$/u;
const isWord = (token: string) => /[\p{L}\p{N}]/u.test(token);

/**
 * Whether base[from, to), which neither side changed, holds the end of a sentence: `.`, `!` or
 * `?` followed by a space or a line break (or a Chinese or Japanese full stop).
 */
function endsSentence(base: readonly string[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const token = base[i] as string;
    if (!SENTENCE_END.test(token)) continue;
    if (/^[。！？]$/u.test(token)) return true;
    const next = base[i + 1];
    if (next === undefined || isBlank(next)) return true;
  }
  return false;
}

/**
 * Whether a line reads as prose rather than code: no brackets, braces, operators, backquotes or
 * underscores. Two edits in one sentence of prose merge; in a call, a list or a condition they
 * may depend on each other.
 */
function isProse(line: string): boolean {
  return !/[()[\]{}<>=;|\\`$&*^~_+]/u.test(line);
}

/**
 * The base lines an edit touches, as [first, last] (last < first: none). A deletion or
 * replacement touches the lines of the tokens it removes; an insertion touches the line it
 * lands in, unless it inserts whole lines between two lines.
 */
function linesTouched(region: Region, base: readonly string[], lineOf: Int32Array, inserted: readonly string[]): [number, number] {
  if (region.b1 > region.b0) return [lineOf[region.b0] as number, lineOf[region.b1 - 1] as number];
  const at = region.b0;
  const atLineStart = at === 0 || isLineBreak(base[at - 1] as string);
  const last = inserted[inserted.length - 1];
  if (atLineStart && last !== undefined && isLineBreak(last)) return [0, -1];
  const line = at < base.length ? (lineOf[at] as number) : at > 0 ? (lineOf[at - 1] as number) : 0;
  return [line, line];
}

/**
 * Whether a text holds a minified line: long, with hardly any whitespace (built output such as
 * `dist/app.min.js`). People rebuild such files rather than merge them, and a word merge of
 * two builds is a build nobody made.
 */
function hasMinifiedLine(text: string): boolean {
  for (const line of splitLines(text)) {
    if (line.length < MINIFIED_LENGTH) continue;
    const spaces = line.match(/\s/gu)?.length ?? 0;
    if (spaces * 50 < line.length) return true;
  }
  return false;
}

const MINIFIED_LENGTH = 1000;

/** No line of `merged` appears more often there than in mine or in theirs: nothing was doubled. */
function repeatsNoLine(merged: string, mine: string, theirs: string): boolean {
  const count = (text: string) => {
    const counts = new Map<string, number>();
    for (const line of splitLines(text)) {
      const key = line.trim();
      if (key !== '') counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };
  const mineCounts = count(mine);
  const theirsCounts = count(theirs);
  for (const [line, n] of count(merged)) {
    // A line neither side has is a new combination of their edits; one they have must not multiply.
    const most = Math.max(mineCounts.get(line) ?? 0, theirsCounts.get(line) ?? 0);
    if (most > 0 && n > most) return false;
  }
  return true;
}

/**
 * Merges one line conflict again at word level, and takes the result only when it is safe;
 * otherwise the line conflict stays as it is. The rules, chosen on real merges (where a
 * person's committed result could be compared with the automatic one):
 *
 * - Each side keeps the lines as they are (as many, each edited within): where a side added or
 *   removed lines next to the other's edit, people mostly resolved it otherwise by hand.
 * - Minified lines (built output) are left alone.
 * - Tokens people treat as one are never split: numbers, version strings, dotted names, URLs
 *   and paths are single tokens (splitMergeTokens), so two edits inside one clash.
 * - Edits that overlap or touch clash, as at line level; the same edit on both sides is taken
 *   once.
 * - Two edits of different sides are separated by at least one unchanged word, not only by
 *   spaces or punctuation.
 * - Two edits of different sides on the same line must be in different sentences, or the line
 *   must be prose (isProse). On real merges, two edits of one line of code (a call, a list, a
 *   condition) were most often resolved by hand some other way, while edits of neighbouring
 *   lines were kept as merged.
 * - Two insertions (into base, not in place of base words), one from each side, at different
 *   places and with the words of one all in the other, are one insertion made twice: conflict.
 * - The result repeats no line more often than mine or theirs has it: two insertions of the
 *   same line at different places would otherwise both be kept.
 *
 * A resolved hunk carries `wordMerged`: the line conflict it came from, so the dialog can say
 * it was merged word by word and put the conflict back.
 */
export function resolveAtWordLevel(conflict: ConflictHunk): Hunk {
  if (hasMinifiedLine(conflict.base) || hasMinifiedLine(conflict.mine) || hasMinifiedLine(conflict.theirs)) return conflict;
  const base = splitMergeTokens(conflict.base);
  const mine = splitMergeTokens(conflict.mine);
  const theirs = splitMergeTokens(conflict.theirs);
  // Each side must keep the lines as they are: the same number, edited within.
  const lineCount = (tokens: readonly string[]) => tokens.filter(isLineBreak).length;
  if (lineCount(mine) !== lineCount(base) || lineCount(theirs) !== lineCount(base)) return conflict;
  const table = new InternTable();
  const baseIds = table.intern(base);
  const mineIds = table.internAlong(mine, base, baseIds);
  const theirsIds = table.internAlong(theirs, base, baseIds);
  if (!(editDistanceAtMost(baseIds, mineIds, WORD_EDIT_LIMIT) && editDistanceAtMost(baseIds, theirsIds, WORD_EDIT_LIMIT))) {
    return conflict;
  }
  const regions = diff3(baseIds, mineIds, theirsIds);
  if (regions.some((region) => region.kind === 'conflict')) return conflict;

  const lineOf = new Int32Array(base.length);
  for (let i = 0, line = 0; i < base.length; i++) {
    lineOf[i] = line;
    if (isLineBreak(base[i] as string)) line++;
  }

  const lineText = (line: number) => {
    let text = '';
    for (let i = 0; i < base.length; i++) if (lineOf[i] === line) text += base[i] as string;
    return text;
  };
  // The words of each pure insertion of each side. An insertion of mine whose words are all in
  // one of theirs (or the other way round), at a different place, is one insertion made twice,
  // which a merge must not keep twice: "Runscope, Twilio, Runscope".
  const insertedByMine: Set<string>[] = [];
  const insertedByTheirs: Set<string>[] = [];

  let text = '';
  let mineEdited = false;
  let theirsEdited = false;
  // The last one-sided edit so far: its side, where it ends in base, and its lines.
  let previous: { side: 'mine' | 'theirs'; b1: number; lines: [number, number] } | undefined;
  for (const region of regions) {
    if (region.kind === 'stable') {
      text += base.slice(region.b0, region.b1).join('');
      continue;
    }
    if (region.kind === 'both') {
      text += mine.slice(region.m0, region.m1).join('');
      mineEdited = theirsEdited = true;
      continue;
    }
    if (region.kind !== 'mine' && region.kind !== 'theirs') return conflict;
    const inserted = region.kind === 'mine' ? mine.slice(region.m0, region.m1) : theirs.slice(region.t0, region.t1);
    const lines = linesTouched(region, base, lineOf, inserted);
    if (previous && previous.side !== region.kind) {
      const between = base.slice(previous.b1, region.b0);
      if (!between.some(isWord)) return conflict;
      const sameLine = previous.lines[0] <= previous.lines[1] && lines[0] <= lines[1] && lines[0] <= previous.lines[1];
      if (sameLine && !endsSentence(base, previous.b1, region.b0) && !isProse(lineText(lines[0]))) return conflict;
    }
    // Only pure insertions: a replacement's new words belong to the words they replace.
    const words = new Set(region.b1 > region.b0 ? [] : inserted.filter(isWord));
    if (words.size > 0) {
      const others = region.kind === 'mine' ? insertedByTheirs : insertedByMine;
      const within = (a: Set<string>, b: Set<string>) => [...a].every((word) => b.has(word));
      if (others.some((other) => within(words, other) || within(other, words))) return conflict;
      (region.kind === 'mine' ? insertedByMine : insertedByTheirs).push(words);
    }
    previous = { side: region.kind, b1: region.b1, lines };
    text += inserted.join('');
    if (region.kind === 'mine') mineEdited = true;
    else theirsEdited = true;
  }
  if (!repeatsNoLine(text, conflict.mine, conflict.theirs)) return conflict;

  // A line conflict means both sides changed something, so at least one side has word edits.
  const kind = mineEdited && theirsEdited ? 'both' : mineEdited ? 'mine' : 'theirs';
  return {
    kind,
    base: conflict.base,
    text,
    wordMerged: { base: conflict.base, mine: conflict.mine, theirs: conflict.theirs },
  };
}
