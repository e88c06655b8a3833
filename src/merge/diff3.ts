import { diffSequences, type Change } from './sequence-diff.ts';

export type RegionKind = 'stable' | 'mine' | 'theirs' | 'both' | 'conflict';

/**
 * One region of a three-way merge over item sequences: `base[b0, b1)`, `mine[m0, m1)` and
 * `theirs[t0, t1)` are the same stretch of the document as each version has it.
 */
export interface Region {
  kind: RegionKind;
  b0: number;
  b1: number;
  m0: number;
  m1: number;
  t0: number;
  t1: number;
}

/** A merged change in git's xdiff terms: mode 0 = conflict, 1 = from mine, 2 = from theirs. */
interface Merged {
  mode: 0 | 1 | 2;
  i0: number;
  chg0: number;
  i1: number;
  chg1: number;
  i2: number;
  chg2: number;
}

/**
 * Appends a change, folding it into the previous one when they overlap or touch on either
 * side; two different sides folded together make a conflict (as git's xdl_append_merge).
 */
function appendMerged(merged: Merged[], next: Merged): void {
  const last = merged[merged.length - 1];
  // git tests whether they touch in mine or in theirs. Between two changes each side keeps base's
  // items (or the same items, where both made one change), so they touch in mine exactly when
  // they touch in theirs: one test decides.
  if (last && next.i1 <= last.i1 + last.chg1) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a change only ever folds into a conflict (a one-sided change is appended only when an unchanged item separates it from the other side's next change), so the mode is already 0
    if (next.mode !== last.mode) last.mode = 0;
    last.chg0 = next.i0 + next.chg0 - last.i0;
    last.chg1 = next.i1 + next.chg1 - last.i1;
    last.chg2 = next.i2 + next.chg2 - last.i2;
  } else {
    merged.push({ ...next });
  }
}

/**
 * A change made by one side only (mode 1 = mine, 2 = theirs): the other side keeps base's items
 * there, starting at `otherStart` in its own sequence.
 */
function oneSided(mode: 1 | 2, change: Change, otherStart: number): Merged {
  const baseLength = change.aEnd - change.aStart;
  const changedLength = change.bEnd - change.bStart;
  return mode === 1
    ? { mode, i0: change.aStart, chg0: baseLength, i1: change.bStart, chg1: changedLength, i2: otherStart, chg2: baseLength }
    : { mode, i0: change.aStart, chg0: baseLength, i1: otherStart, chg1: baseLength, i2: change.bStart, chg2: changedLength };
}

function sameItems(a: Int32Array, aStart: number, b: Int32Array, bStart: number, length: number): boolean {
  return a.subarray(aStart, aStart + length).every((item, k) => item === b[bStart + k]);
}

/**
 * Three-way merge of item sequences the way `git merge-file --diff3` decides it: changes of
 * the two sides that overlap or touch (no unchanged item between them) form one conflict, the
 * same change on both sides is clean, a change on one side is taken.
 */
export function diff3(base: Int32Array, mine: Int32Array, theirs: Int32Array): Region[] {
  const ours: Change[] = diffSequences(base, mine);
  const others: Change[] = diffSequences(base, theirs);
  const merged: Merged[] = [];
  const identical: Region[] = [];

  let p = 0;
  let q = 0;
  while (p < ours.length && q < others.length) {
    const x = ours[p] as Change;
    const y = others[q] as Change;
    if (x.aEnd < y.aStart) {
      appendMerged(merged, oneSided(1, x, y.bStart - y.aStart + x.aStart));
      p++;
      continue;
    }
    if (y.aEnd < x.aStart) {
      appendMerged(merged, oneSided(2, y, x.bStart - x.aStart + y.aStart));
      q++;
      continue;
    }
    const mineLength = x.bEnd - x.bStart;
    if (
      x.aStart !== y.aStart ||
      x.aEnd !== y.aEnd ||
      mineLength !== y.bEnd - y.bStart ||
      !sameItems(mine, x.bStart, theirs, y.bStart, mineLength)
    ) {
      // Widen each side's range to cover the union of both base ranges: the change that starts
      // later in base starts as early as the other, on its side too.
      const i0 = Math.min(x.aStart, y.aStart);
      const i1 = x.bStart - (x.aStart - i0);
      const i2 = y.bStart - (y.aStart - i0);
      // And to the end of the one that ends later, each side moved on by as much.
      const end0 = Math.max(x.aEnd, y.aEnd);
      const chg0 = end0 - i0;
      const chg1 = x.bEnd + (end0 - x.aEnd) - i1;
      const chg2 = y.bEnd + (end0 - y.aEnd) - i2;
      appendMerged(merged, { mode: 0, i0, chg0, i1, chg1, i2, chg2 });
    } else {
      identical.push({ kind: 'both', b0: x.aStart, b1: x.aEnd, m0: x.bStart, m1: x.bEnd, t0: y.bStart, t1: y.bEnd });
    }
    if (x.aEnd >= y.aEnd) q++;
    if (y.aEnd >= x.aEnd) p++;
  }
  for (; p < ours.length; p++) {
    const x = ours[p] as Change;
    appendMerged(merged, oneSided(1, x, x.aStart + theirs.length - base.length));
  }
  for (; q < others.length; q++) {
    const y = others[q] as Change;
    appendMerged(merged, oneSided(2, y, y.aStart + mine.length - base.length));
  }

  return toRegions(merged, identical, base.length, mine.length, theirs.length);
}

const kindOfMode = ['conflict', 'mine', 'theirs'] as const;

/** Lays the merged changes and the identical changes between them out as consecutive regions. */
function toRegions(
  merged: readonly Merged[],
  identical: readonly Region[],
  baseLength: number,
  mineLength: number,
  theirsLength: number,
): Region[] {
  const regions: Region[] = [];
  let b = 0;
  let m = 0;
  let t = 0;
  let next = 0;

  const stableUpTo = (b1: number) => {
    if (b1 > b) {
      const length = b1 - b;
      regions.push({ kind: 'stable', b0: b, b1, m0: m, m1: m + length, t0: t, t1: t + length });
      b = b1;
      m += length;
      t += length;
    }
  };
  // Outside the merged changes, base and mine hold the same items, so an identical change ends
  // by b1 in base exactly when it ends by the matching point in mine: base alone decides.
  const gapUpTo = (b1: number) => {
    while (next < identical.length) {
      const same = identical[next] as Region;
      if (same.b1 > b1) break;
      stableUpTo(same.b0);
      regions.push(same);
      b = same.b1;
      m = same.m1;
      t = same.t1;
      next++;
    }
    stableUpTo(b1);
  };

  for (const change of merged) {
    gapUpTo(change.i0);
    const region: Region = {
      kind: kindOfMode[change.mode],
      b0: change.i0,
      b1: change.i0 + change.chg0,
      m0: change.i1,
      m1: change.i1 + change.chg1,
      t0: change.i2,
      t1: change.i2 + change.chg2,
    };
    regions.push(region);
    b = region.b1;
    m = region.m1;
    t = region.t1;
    // No merged change reaches over an identical one: both sides' changes before an identical
    // pair end at least one unchanged item before it, and the changes after it start as far
    // after it, so each identical change lies in a gap between merged changes.
  }
  gapUpTo(baseLength);
  // Stryker disable next-line BlockStatement,ConditionalExpression,LogicalOperator: a check of the bookkeeping above, which no input trips (nor with && for ||)
  if (m !== mineLength || t !== theirsLength) {
    // Stryker disable next-line StringLiteral: the message of that check, never seen
    throw new Error(`diff3 lost track of the sides (mine ${m}/${mineLength}, theirs ${t}/${theirsLength})`);
  }
  return regions;
}
