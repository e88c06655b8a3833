/**
 * What a strategy did with each side's edits, computed by comparing texts (never written by
 * hand): each side's changes come from a word diff of the base against that side, and each
 * change is then looked for in the strategy's result, through a word diff of the base against
 * the result.
 */
import { lineThenWordDiff } from './diff.ts';
import type { BaseRange, StrategyOutcome, Triple } from './strategies/types.ts';

export type Side = 'mine' | 'theirs';

/**
 * - kept: in the result once, as that side made it;
 * - lost: not in the result (an insertion missing, or a deletion undone);
 * - duplicated: its new words are in the result more often than that side wrote them;
 * - interleaved: its characters are all there in order, but with other text between them;
 * - alongside: kept, and so is the other side's different rewrite of the same words, one after
 *   the other (a merge that never conflicts keeps both);
 * - misplaced: its new words are in the result, but not where that side put them;
 * - conflict: left for a person to decide.
 * A change that followed its text to another place (one side moved a line, the other edited it)
 * counts as kept when the edited words, with a word of context each side, are in the result.
 */
export type Fate = 'kept' | 'lost' | 'duplicated' | 'interleaved' | 'alongside' | 'misplaced' | 'conflict';

/** One change a side made to the base: `removed` (base[start, end)) replaced by `inserted`. */
export interface Change extends BaseRange {
  side: Side;
  removed: string;
  inserted: string;
}

export interface AnnotatedChange extends Change {
  fate: Fate;
}

/** A change in the result that neither side made: the cost of guessing where a patch goes. */
export interface Stray extends BaseRange {
  removed: string;
  inserted: string;
}

export interface Annotation {
  mine: AnnotatedChange[];
  theirs: AnnotatedChange[];
  /** Changes in the result no side made (only for clean results: markers are not edits). */
  strays: Stray[];
}

/** The changes that turn `base` into `changed`, at word granularity, in base order. */
export function changesOf(base: string, changed: string, side: Side): Change[] {
  const changes: Change[] = [];
  let offset = 0;
  let open: Change | null = null;
  const spans = lineThenWordDiff(base, changed);
  spans.forEach((span, i) => {
    if (span.kind === 'equal') {
      // Words changed with only spaces between them are one change to a reader ("is on Tuesday"
      // → "moves to Wednesday"), unless the gap ends the text.
      const gapInside = open && i < spans.length - 1 && /^[^\S\n]+$/.test(span.text);
      if (open && gapInside) {
        open.removed += span.text;
        open.inserted += span.text;
        open.end += span.text.length;
      } else open = null;
      offset += span.text.length;
      return;
    }
    if (!open) {
      open = { side, start: offset, end: offset, removed: '', inserted: '' };
      changes.push(open);
    }
    if (span.kind === 'delete') {
      open.removed += span.text;
      open.end += span.text.length;
      offset += span.text.length;
    } else open.inserted += span.text;
  });
  return changes;
}

/**
 * Where each base offset lands in the result: `before[i]` ahead of anything the result inserted
 * at i, `after[i]` past it.
 */
function positions(base: string, result: string): { before: Int32Array; after: Int32Array } {
  const before = new Int32Array(base.length + 1).fill(-1);
  const after = new Int32Array(base.length + 1);
  let b = 0;
  let r = 0;
  const visit = () => {
    if (before[b] === -1) before[b] = r;
    after[b] = r;
  };
  let previous: string | null = null;
  for (const span of lineThenWordDiff(base, result)) {
    // Words that replace deleted ones belong to the deleted stretch, not to the base offset
    // after it: the next visit starts `before` past them.
    const replacing = span.kind === 'insert' && previous === 'delete';
    for (let k = 0; k < span.text.length; k++) {
      if (!replacing) visit();
      if (span.kind !== 'insert') b++;
      if (span.kind !== 'delete') r++;
    }
    previous = span.kind;
  }
  visit();
  return { before, after };
}

function count(needle: string, haystack: string): number {
  if (!needle) return 0;
  let n = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

const WORD = /[\p{L}\p{M}\p{N}_]+/gu;

/**
 * Whether text a side removed is still there: more than half of its words are in `found` more
 * often than that side left them (`wanted`). Counting words, not the exact text, so a removed
 * paragraph the other side edited still counts as still there.
 */
function survives(removed: string, found: string, wanted: string): boolean {
  const words = removed.match(WORD);
  if (!words) return count(removed, found) > count(removed, wanted);
  const tally = (text: string) => {
    const counts = new Map<string, number>();
    for (const word of text.match(WORD) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
    return counts;
  };
  const [inRemoved, inFound, inWanted] = [tally(removed), tally(found), tally(wanted)];
  let left = 0;
  for (const [word, n] of inRemoved) left += Math.min(n, Math.max(0, (inFound.get(word) ?? 0) - (inWanted.get(word) ?? 0)));
  return left * 2 > words.length;
}

/** Whether every character of `needle` is in `haystack`, in order (gaps allowed). */
function isSubsequence(needle: string, haystack: string): boolean {
  let at = 0;
  for (const ch of haystack) if (needle.startsWith(ch, at)) at += ch.length;
  return at === needle.length;
}

const overlaps = (a: BaseRange, b: BaseRange) => a.start < b.end && b.start < a.end;
/** Overlapping, or touching where one of them is an insertion (an empty range). */
const meets = (a: BaseRange, b: BaseRange) => overlaps(a, b) || ((a.start === a.end || b.start === b.end) && a.start <= b.end && b.start <= a.end);

/** A base range widened to the word (or separator) on each side, so a diff that aligned an insertion one word over still finds it. */
function widen(range: BaseRange, boundaries: number[]): BaseRange {
  let start = 0;
  let end = boundaries[boundaries.length - 1] ?? 0;
  for (const b of boundaries) if (b < range.start) start = b;
  for (let i = boundaries.length - 1; i >= 0; i--) {
    const b = boundaries[i] as number;
    if (b > range.end) end = b;
  }
  return { start, end };
}

/** Offsets between the base's words, separators and other characters. */
function boundariesOf(base: string): number[] {
  const out = [0];
  let at = 0;
  for (const token of base.match(/\s+|[\p{L}\p{M}\p{N}_]+|[\s\S]/gu) ?? []) {
    at += token.length;
    out.push(at);
  }
  return out;
}

/** The result around a change (`found`) and what that side wrote there (`wanted`), a word either side. */
function surroundings(change: Change, triple: Triple, result: string, map: ReturnType<typeof positions>, boundaries: number[]) {
  const wide = widen(change, boundaries);
  return {
    found: result.slice(map.before[wide.start], map.after[wide.end]),
    wanted: triple.base.slice(wide.start, change.start) + change.inserted + triple.base.slice(change.end, wide.end),
    /** The same stretch in the base. */
    was: triple.base.slice(wide.start, wide.end),
  };
}

type Around = ReturnType<typeof surroundings>;

function fateOf(change: Change, triple: Triple, result: string, { found, wanted }: Around, others: Around[]): Fate {
  if (change.inserted) {
    const have = count(change.inserted, found);
    const should = count(change.inserted, wanted);
    if (have > should) return 'duplicated';
    if (have === should) return survives(change.removed, found, wanted) ? 'lost' : 'kept';
    // Text this side moved, with the other side's edit of it made inside: both kept.
    const edited = others.reduce((text, other) => (other.was ? text.replace(other.was, other.wanted) : text), change.inserted);
    if (edited !== change.inserted && found.includes(edited)) return 'kept';
    if (isSubsequence(change.inserted, found)) return 'interleaved';
    // Not where it was made: elsewhere, if the result has it more often than the other side
    // wrote it (the other side cannot have brought it in).
    const other = change.side === 'mine' ? triple.theirs : triple.mine;
    if (count(wanted, result) > count(wanted, other)) return 'kept';
    if (change.inserted.trim() && count(change.inserted, result) > count(change.inserted, other)) return 'misplaced';
    return 'lost';
  }
  return survives(change.removed, found, wanted) ? 'lost' : 'kept';
}

export function annotate(triple: Triple, outcome: StrategyOutcome): Annotation {
  const boundaries = boundariesOf(triple.base);
  const map = positions(triple.base, outcome.text);
  const sides = { mine: changesOf(triple.base, triple.mine, 'mine'), theirs: changesOf(triple.base, triple.theirs, 'theirs') };
  const around = {
    mine: sides.mine.map((c) => surroundings(c, triple, outcome.text, map, boundaries)),
    theirs: sides.theirs.map((c) => surroundings(c, triple, outcome.text, map, boundaries)),
  };
  const annotated = (side: Side) =>
    sides[side].map((change, i) => {
      const here = around[side][i] as Around;
      const others = around[side === 'mine' ? 'theirs' : 'mine'];
      const fate: Fate = outcome.conflicts.some((c) => meets(c, change)) ? 'conflict' : fateOf(change, triple, outcome.text, here, others);
      return { change: { ...change, fate } as AnnotatedChange, ...here };
    });
  const mine = annotated('mine');
  const theirs = annotated('theirs');
  // Rival rewrites: both sides replaced the same words, differently.
  for (const m of mine) {
    for (const t of theirs) {
      const [a, b] = [m.change, t.change];
      if (!a.inserted || !b.inserted || a.inserted === b.inserted || !overlaps(a, b)) continue;
      const keptish = (f: Fate) => f === 'kept' || f === 'alongside';
      if (keptish(a.fate) && keptish(b.fate)) {
        // Neither was lost, but the result says both, one after the other.
        a.fate = 'alongside';
        b.fate = 'alongside';
        continue;
      }
      // One seems kept, yet pieces of the other's words sit inside it ("11:345" for 11:30 and 10:45).
      for (const [kept, lost, around] of [
        [a, b, m],
        [b, a, t],
      ] as const) {
        const spliced = [...lost.inserted].some((ch) => count(ch, around.found) > count(ch, around.wanted));
        if (kept.fate === 'kept' && lost.fate === 'lost' && spliced) {
          kept.fate = 'interleaved';
          lost.fate = 'interleaved';
        }
      }
    }
  }
  const strays = outcome.clean
    ? changesOf(triple.base, outcome.text, 'mine')
        .filter((c) => ![...sides.mine, ...sides.theirs].some((s) => meets(s, c)))
        .map(({ start, end, removed, inserted }) => ({ start, end, removed, inserted }))
    : [];
  return { mine: mine.map((x) => x.change), theirs: theirs.map((x) => x.change), strays };
}
