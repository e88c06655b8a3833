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
const isWord = (token: string) => /[\p{L}\p{N}]/u.test(token);

/**
 * Whether a text reads as prose rather than code or data: no brackets, braces, operators,
 * backquotes or underscores, and no line that is a field (`name: value`, as in YAML, JSON or an
 * object literal). Sentences are written to be read one by one; in a call, a list, a condition
 * or a record, edits of neighbouring lines may depend on each other (a key and the id made for
 * it, a version and its checksum).
 */
function isProse(text: string): boolean {
  return !/[()[\]{}<>=;|\\`$&*^~_+]/u.test(text) && !FIELD.test(text);
}

/** A line `name: value` or `"name": value`, possibly a YAML list item: a field of data. */
const FIELD = /^[^\S\r\n]*(?:- )?["']?[\p{L}\p{N}.$@-]+["']?[^\S\r\n]*:(?:\s|$)/mu;

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

/** Whether an edit only changes whitespace: spaces, indentation, blank lines or line endings. */
const onlyWhitespace = (removed: readonly string[], inserted: readonly string[]) =>
  removed.join('').replace(/\s/gu, '') === inserted.join('').replace(/\s/gu, '');

/**
 * The safety rules of the word level, by name. All of them apply in a merge; the names let a
 * test show that a rule is what decides its case.
 */
export type WordRule =
  | 'minified'
  | 'whitespace'
  | 'prose'
  | 'line-count'
  | 'word-between'
  | 'insertion-once'
  | 'no-repeat';

export const WORD_RULES: ReadonlySet<WordRule> = new Set<WordRule>([
  'minified',
  'whitespace',
  'prose',
  'line-count',
  'word-between',
  'insertion-once',
  'no-repeat',
]);

/**
 * Merges one line conflict again at word level, and takes the result only when it is safe;
 * otherwise the line conflict stays as it is. Tokens people treat as one (numbers, version
 * strings, dotted names, URLs, paths) are never split (splitMergeTokens), so two edits inside
 * one clash; edits that overlap or touch clash, as at line level; the same edit on both sides
 * is taken once. Then, by rule (docs/protocol.md §2 gives the figures on real merges each one
 * rests on):
 *
 * - `minified`: minified lines (built output) are left alone: a word merge of two builds is a
 *   build nobody made.
 * - `whitespace`: a side whose own edits only change whitespace (indentation, trailing spaces,
 *   line endings) is a reformatting; the person decides how it goes with the other side.
 *
 * When one side made every edit the other made, and more, the merge is that side's text:
 * nothing is combined (the word-level form of "the same change on both sides is clean"). When
 * each side has edits of its own, they are combined only where that is safe:
 *
 * - `prose`: the conflict reads as prose in all three versions (isProse). Two edits of
 *   neighbouring lines of code or data (a call, a list, a key and its id) were kept together by
 *   the people who merged them about two times in three, two edits of one line of code about
 *   one time in two.
 * - `line-count`: each side keeps the conflict's lines (as many, each edited within).
 * - `word-between`: an unchanged word, not only spaces or punctuation, separates them.
 * - `insertion-once`: two insertions, one from each side, at different places and with the
 *   words of one all in the other, are one insertion made twice: "Runscope, Twilio, Runscope".
 * - `no-repeat`: the result repeats no line more often than mine or theirs has it.
 *
 * A resolved hunk carries `wordMerged`: the line conflict it came from, so the dialog can say
 * it was merged word by word and put the conflict back.
 */
export function resolveAtWordLevel(conflict: ConflictHunk, rules: ReadonlySet<WordRule> = WORD_RULES): Hunk {
  if (rules.has('minified') && (hasMinifiedLine(conflict.base) || hasMinifiedLine(conflict.mine) || hasMinifiedLine(conflict.theirs))) {
    return conflict;
  }
  const base = splitMergeTokens(conflict.base);
  const mine = splitMergeTokens(conflict.mine);
  const theirs = splitMergeTokens(conflict.theirs);
  const table = new InternTable();
  const baseIds = table.intern(base);
  const mineIds = table.internAlong(mine, base, baseIds);
  const theirsIds = table.internAlong(theirs, base, baseIds);
  if (!(editDistanceAtMost(baseIds, mineIds, WORD_EDIT_LIMIT) && editDistanceAtMost(baseIds, theirsIds, WORD_EDIT_LIMIT))) {
    return conflict;
  }
  const regions = diff3(baseIds, mineIds, theirsIds);
  if (regions.some((region) => region.kind === 'conflict')) return conflict;

  const own = { mine: regions.filter((region) => region.kind === 'mine'), theirs: regions.filter((region) => region.kind === 'theirs') };
  if (rules.has('whitespace')) {
    const reformats = (edits: readonly Region[], side: readonly string[], at: (region: Region) => [number, number]) =>
      edits.length > 0 && edits.every((region) => onlyWhitespace(base.slice(region.b0, region.b1), side.slice(...at(region))));
    if (reformats(own.mine, mine, (r) => [r.m0, r.m1]) || reformats(own.theirs, theirs, (r) => [r.t0, r.t1])) return conflict;
  }
  const combined = own.mine.length > 0 && own.theirs.length > 0;
  if (combined && !combinesSafely(conflict, regions, base, mine, theirs, rules)) return conflict;

  let text = '';
  // Mine's text everywhere but in theirs' own edits: a stable stretch reads the same in base and mine.
  for (const region of regions) {
    text += region.kind === 'theirs' ? theirs.slice(region.t0, region.t1).join('') : mine.slice(region.m0, region.m1).join('');
  }
  const mineEdited = own.mine.length > 0 || regions.some((region) => region.kind === 'both');
  const theirsEdited = own.theirs.length > 0 || regions.some((region) => region.kind === 'both');
  const kind = mineEdited && theirsEdited ? 'both' : mineEdited ? 'mine' : 'theirs';
  return {
    kind,
    base: conflict.base,
    text,
    wordMerged: { base: conflict.base, mine: conflict.mine, theirs: conflict.theirs },
  };
}

/** The rules for keeping edits of both sides together (see resolveAtWordLevel). */
function combinesSafely(
  conflict: ConflictHunk,
  regions: readonly Region[],
  base: readonly string[],
  mine: readonly string[],
  theirs: readonly string[],
  rules: ReadonlySet<WordRule>,
): boolean {
  if (rules.has('prose') && !(isProse(conflict.base) && isProse(conflict.mine) && isProse(conflict.theirs))) return false;
  const lineCount = (tokens: readonly string[]) => tokens.filter(isLineBreak).length;
  if (rules.has('line-count') && (lineCount(mine) !== lineCount(base) || lineCount(theirs) !== lineCount(base))) return false;
  // The words of each pure insertion of each side, for `insertion-once`.
  const insertedByMine: Set<string>[] = [];
  const insertedByTheirs: Set<string>[] = [];
  let text = '';
  // The last one-sided edit so far: its side and where it ends in base.
  let previous: { side: 'mine' | 'theirs'; b1: number } | undefined;
  for (const region of regions) {
    // A stable stretch, or an edit both sides made, reads as mine has it.
    if (region.kind !== 'mine' && region.kind !== 'theirs') {
      text += mine.slice(region.m0, region.m1).join('');
      continue;
    }
    const inserted = region.kind === 'mine' ? mine.slice(region.m0, region.m1) : theirs.slice(region.t0, region.t1);
    if (previous && previous.side !== region.kind) {
      if (rules.has('word-between') && !base.slice(previous.b1, region.b0).some(isWord)) return false;
    }
    // Only pure insertions: a replacement's new words belong to the words they replace.
    const words = new Set(region.b1 > region.b0 ? [] : inserted.filter(isWord));
    if (rules.has('insertion-once') && words.size > 0) {
      const others = region.kind === 'mine' ? insertedByTheirs : insertedByMine;
      const within = (a: Set<string>, b: Set<string>) => [...a].every((word) => b.has(word));
      if (others.some((other) => within(words, other) || within(other, words))) return false;
      (region.kind === 'mine' ? insertedByMine : insertedByTheirs).push(words);
    }
    previous = { side: region.kind, b1: region.b1 };
    text += inserted.join('');
  }
  return !rules.has('no-repeat') || repeatsNoLine(text, conflict.mine, conflict.theirs);
}
