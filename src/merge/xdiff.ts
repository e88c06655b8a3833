/**
 * The two-way diff git uses under `git merge-file`, in TypeScript: libxdiff's Myers variant as
 * git ships it (xprepare.c, xdiffi.c), with the same choices wherever several diffs of the same
 * size, or a slightly larger one, are possible. The three-way merge is only as close to git's as
 * the two diffs under it, so every step below follows xdiff, with git merge-file's settings: no
 * whitespace options, not minimal (XDF_NEED_MINIMAL unset), no indent heuristic (merge-file
 * passes no diff flags; the heuristic is a `git diff` setting).
 *
 * 1. Common lines at both ends are left out (xdl_trim_ends).
 * 2. Lines that occur nowhere on the other side are marked changed without a search; lines that
 *    occur very often there are too when they sit in a run of such lines (xdl_cleanup_records).
 * 3. The rest is split recursively at a middle snake (xdl_recs_cmp, xdl_split), with xdiff's cut
 *    to a good-enough split when the search grows costly.
 * 4. Each group of changed lines is slid up and down over equal lines, merging with neighbours
 *    it bumps into, then left lowest, or level with a change on the other side
 *    (xdl_change_compact).
 *
 * Items are interned ids: equal ids, equal items.
 */

/** One changed region of a two-way diff: `a[aStart, aEnd)` became `b[bStart, bEnd)`. */
export interface Change {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

const MAX_COST_MIN = 256;
const HEUR_MIN_COST = 256;
const SNAKE_COUNT = 20;
const K_HEUR = 4;
const MAX_EQ_LIMIT = 1024;
const SIMSCAN_WINDOW = 100;
const KPDIS_RUN = 4;
const LINE_MAX = 0x7fffffff;

/** xdl_bogosqrt: a power of two near the square root. */
function bogoSqrt(n: number): number {
  let i = 1;
  for (; n > 0; n = Math.floor(n / 4)) i *= 2;
  return i;
}

/**
 * One side of the diff: its items, which of them changed (offset by one, so that index -1 and
 * `length` read as unchanged sentinels) and the items kept for the search (`kept[k]` is the
 * index in `items` of the k-th, `ids[k]` its id).
 */
interface Side {
  items: Int32Array;
  changed: Uint8Array;
  kept: Int32Array;
  ids: Int32Array;
}

function isChanged(side: Side, index: number): boolean {
  return side.changed[index + 1] === 1;
}

function mark(side: Side, index: number, value: 0 | 1): void {
  side.changed[index + 1] = value;
}

/**
 * xdl_clean_mmatch: whether a line with many matches sits in a run of lines that have none (or
 * also many), with at least one unmatched line on each side of it and the lines with many matches
 * (itself included) under a quarter of the run, looked at no further than SIMSCAN_WINDOW lines
 * each way. Such a line is not worth matching.
 */
function worthDiscarding(dis: Uint8Array, i: number, s: number, e: number): boolean {
  // Stryker disable next-line EqualityOperator: at i - s = SIMSCAN_WINDOW, >= sets s to what it already is (also hides <=, which is not equivalent and is killed)
  if (i - s > SIMSCAN_WINDOW) s = i - SIMSCAN_WINDOW;
  // Stryker disable next-line EqualityOperator: at e - i = SIMSCAN_WINDOW, >= sets e to what it already is (also hides <=, which is not equivalent and is killed)
  if (e - i > SIMSCAN_WINDOW) e = i + SIMSCAN_WINDOW;
  let noneBefore = 0;
  let manyBefore = 1;
  for (let r = 1; i - r >= s; r++) {
    const d = dis[i - r];
    if (d === 0) noneBefore++;
    else if (d === 2) manyBefore++;
    else break;
  }
  if (noneBefore === 0) return false;
  let none = 0;
  let many = 1;
  for (let r = 1; i + r <= e; r++) {
    const d = dis[i + r];
    if (d === 0) none++;
    else if (d === 2) many++;
    else break;
  }
  if (none === 0) return false;
  none += noneBefore;
  many += manyBefore;
  return many * KPDIS_RUN < many + none;
}

/** How often each id occurs in `items`. */
function countIds(items: Int32Array, size: number): Int32Array {
  const counts = new Int32Array(size);
  // Stryker disable next-line EqualityOperator: with <=, items[length] is undefined and counts[undefined]++ sets a named property of the array, no count (also hides >=, which is killed)
  for (let i = 0; i < items.length; i++) counts[items[i] as number]++;
  return counts;
}

/**
 * xdl_cleanup_records for one side: classifies each line in [start, end] by how often it occurs
 * in the whole other side (0 never, 1 sometimes, 2 at least `limit` times) and keeps the lines
 * worth searching; the others are marked changed.
 */
function keepForSearch(side: Side, otherCounts: Int32Array, start: number, end: number): void {
  const { items } = side;
  const limit = Math.min(bogoSqrt(items.length), MAX_EQ_LIMIT);
  const dis = new Uint8Array(items.length + 1);
  for (let i = start; i <= end; i++) {
    const id = items[i] as number;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the counts are sized by the largest id of both sides, so every id is in range and the test always holds
    const count = id < otherCounts.length ? (otherCounts[id] as number) : 0;
    dis[i] = count === 0 ? 0 : count >= limit ? 2 : 1;
  }
  // Stryker disable next-line ArithmeticOperator: end + start + 1 only allocates more than the end - start + 1 that are ever written, and the arrays are cut to n below (also hides end - start - 1, which is killed)
  const kept = new Int32Array(Math.max(0, end - start + 1));
  const ids = new Int32Array(kept.length);
  let n = 0;
  for (let i = start; i <= end; i++) {
    const d = dis[i];
    if (d === 1 || (d === 2 && !worthDiscarding(dis, i, start, end))) {
      kept[n] = i;
      ids[n] = items[i] as number;
      n++;
    } else {
      mark(side, i, 1);
    }
  }
  side.kept = kept.subarray(0, n);
  side.ids = ids.subarray(0, n);
}

interface Split {
  i1: number;
  i2: number;
  minLow: boolean;
  minHigh: boolean;
}

interface SearchEnv {
  maxCost: number;
  /** Forward and backward furthest-reaching paths, indexed by diagonal + offset. */
  kvd: Int32Array;
  forward: number;
  backward: number;
}

/**
 * xdl_split: meets the forward and backward Myers searches over the box [off1, lim1) ×
 * [off2, lim2) of kept ids and returns where to split it. Unless `needMin`, a search that grows
 * past HEUR_MIN_COST settles for a diagonal that reached far along a long snake, and one past
 * maxCost for the furthest-reaching point.
 */
function split(
  ha1: Int32Array,
  off1: number,
  lim1: number,
  ha2: Int32Array,
  off2: number,
  lim2: number,
  needMin: boolean,
  env: SearchEnv,
  out: Split,
): void {
  const { kvd, forward: kf, backward: kb, maxCost } = env;
  const dmin = off1 - lim2;
  // Stryker disable next-line ArithmeticOperator: a larger bound only adds diagonals right of the box, which both searches reach only after more steps than they take to meet, and whose points the cut clamps to the box (equal diffs on 50,000 random and every recorded case)
  const dmax = lim1 - off2;
  const fmid = off1 - off2;
  const bmid = lim1 - lim2;
  const odd = ((fmid - bmid) & 1) !== 0;
  let fmin = fmid;
  let fmax = fmid;
  let bmin = bmid;
  let bmax = bmid;

  kvd[kf + fmid] = off1;
  kvd[kb + bmid] = lim1;

  for (let ec = 1; ; ec++) {
    let gotSnake = false;

    if (fmin > dmin) kvd[kf + --fmin - 1] = -1;
    else ++fmin;
    // Stryker disable next-line UnaryOperator: a path is never left of x = 0, so -1 and 1 pick the same move: only a path at x = 0 sees them differ, and there moving right from it gives 1 as well
    if (fmax < dmax) kvd[kf + ++fmax + 1] = -1;
    else --fmax;

    for (let d = fmax; d >= fmin; d -= 2) {
      let i1: number;
      if ((kvd[kf + d - 1] as number) >= (kvd[kf + d + 1] as number)) i1 = (kvd[kf + d - 1] as number) + 1;
      else i1 = kvd[kf + d + 1] as number;
      const prev1 = i1;
      let i2 = i1 - d;
      while (i1 < lim1 && i2 < lim2 && ha1[i1] === ha2[i2]) {
        i1++;
        i2++;
      }
      if (i1 - prev1 > SNAKE_COUNT) gotSnake = true;
      kvd[kf + d] = i1;
      if (odd && bmin <= d && d <= bmax && (kvd[kb + d] as number) <= i1) {
        out.i1 = i1;
        out.i2 = i2;
        out.minLow = out.minHigh = true;
        return;
      }
    }

    if (bmin > dmin) kvd[kb + --bmin - 1] = LINE_MAX;
    else ++bmin;
    if (bmax < dmax) kvd[kb + ++bmax + 1] = LINE_MAX;
    else --bmax;

    for (let d = bmax; d >= bmin; d -= 2) {
      let i1: number;
      if ((kvd[kb + d - 1] as number) < (kvd[kb + d + 1] as number)) i1 = kvd[kb + d - 1] as number;
      else i1 = (kvd[kb + d + 1] as number) - 1;
      const prev1 = i1;
      let i2 = i1 - d;
      while (i1 > off1 && i2 > off2 && ha1[i1 - 1] === ha2[i2 - 1]) {
        i1--;
        i2--;
      }
      if (prev1 - i1 > SNAKE_COUNT) gotSnake = true;
      kvd[kb + d] = i1;
      if (!odd && fmin <= d && d <= fmax && i1 <= (kvd[kf + d] as number)) {
        out.i1 = i1;
        out.i2 = i2;
        out.minLow = out.minHigh = true;
        return;
      }
    }

    if (needMin) continue;

    // Past the trigger cost, with a good snake seen: take a diagonal that went far (measured
    // from the corner, less its distance from the middle diagonal) and ends in a long snake.
    if (gotSnake && ec > HEUR_MIN_COST) {
      let best = 0;
      for (let d = fmax; d >= fmin; d -= 2) {
        const dd = Math.abs(d - fmid);
        const i1 = kvd[kf + d] as number;
        const i2 = i1 - d;
        const v = i1 - off1 + (i2 - off2) - dd;
        if (
          v > K_HEUR * ec &&
          v > best &&
          // v is 2 × min(i1 - off1, i2 - off2) (dd is their difference), so v > K_HEUR × ec > 1024
          // already puts the point more than 512 past off1 and off2: the first bounds always hold.
          // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: always true when v > K_HEUR * ec, see above (also hides >, which is killed)
          off1 + SNAKE_COUNT <= i1 &&
          i1 < lim1 &&
          // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: always true when v > K_HEUR * ec, see above (also hides >, which is killed)
          off2 + SNAKE_COUNT <= i2 &&
          i2 < lim2
        ) {
          for (let k = 1; ha1[i1 - k] === ha2[i2 - k]; k++) {
            if (k === SNAKE_COUNT) {
              best = v;
              out.i1 = i1;
              out.i2 = i2;
              break;
            }
          }
        }
      }
      if (best > 0) {
        out.minLow = true;
        out.minHigh = false;
        return;
      }
      for (let d = bmax; d >= bmin; d -= 2) {
        const dd = Math.abs(d - bmid);
        const i1 = kvd[kb + d] as number;
        const i2 = i1 - d;
        const v = lim1 - i1 + (lim2 - i2) - dd;
        if (
          v > K_HEUR * ec &&
          v > best &&
          off1 < i1 &&
          // v is 2 × min(lim1 - i1, lim2 - i2), so v > K_HEUR × ec > 1024 already puts the point more
          // than 512 before lim1 and lim2: the last bounds always hold.
          // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: always true when v > K_HEUR * ec, see above (also hides >, which is killed)
          i1 <= lim1 - SNAKE_COUNT &&
          off2 < i2 &&
          // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: always true when v > K_HEUR * ec, see above (also hides >, which is killed)
          i2 <= lim2 - SNAKE_COUNT
        ) {
          for (let k = 0; ha1[i1 + k] === ha2[i2 + k]; k++) {
            if (k === SNAKE_COUNT - 1) {
              best = v;
              out.i1 = i1;
              out.i2 = i2;
              break;
            }
          }
        }
      }
      if (best > 0) {
        out.minLow = false;
        out.minHigh = true;
        return;
      }
    }

    // Enough: split at the furthest-reaching point of either search.
    if (ec >= maxCost) {
      // Stryker disable next-line UnaryOperator: the cut comes only past a cost of 256, when the furthest forward point lies far beyond i1 + i2 = 1, so a start of +1 picks the same point as -1
      let fbest = -1;
      // Stryker disable next-line UnaryOperator: the first diagonal always replaces it, since its x + y beats fbest's start
      let fbest1 = -1;
      for (let d = fmax; d >= fmin; d -= 2) {
        let i1 = Math.min(kvd[kf + d] as number, lim1);
        let i2 = i1 - d;
        // Stryker disable next-line EqualityOperator: at i2 = lim2 the clamp sets i1 to lim2 + d, which it already is (also hides >=, which is killed)
        if (lim2 < i2) {
          i1 = lim2 + d;
          i2 = lim2;
        }
        if (fbest < i1 + i2) {
          fbest = i1 + i2;
          fbest1 = i1;
        }
      }
      let bbest = LINE_MAX;
      let bbest1 = LINE_MAX;
      for (let d = bmax; d >= bmin; d -= 2) {
        let i1 = Math.max(off1, kvd[kb + d] as number);
        let i2 = i1 - d;
        // Stryker disable next-line EqualityOperator: at i2 = off2 the clamp sets i1 to off2 + d, which it already is (also hides >=, which is killed)
        if (i2 < off2) {
          i1 = off2 + d;
          i2 = off2;
        }
        if (i1 + i2 < bbest) {
          bbest = i1 + i2;
          bbest1 = i1;
        }
      }
      if (lim1 + lim2 - bbest < fbest - (off1 + off2)) {
        out.i1 = fbest1;
        out.i2 = fbest - fbest1;
        out.minLow = true;
        out.minHigh = false;
      } else {
        out.i1 = bbest1;
        out.i2 = bbest - bbest1;
        out.minLow = false;
        out.minHigh = true;
      }
      return;
    }
  }
}

/**
 * xdl_recs_cmp: divide and conquer over boxes of kept ids, marking the lines of each box that
 * one side lacks. An explicit stack instead of recursion, so a long diff cannot overflow the
 * call stack; the order boxes are done in does not change what gets marked.
 */
function compareRecords(s1: Side, s2: Side, env: SearchEnv): void {
  const ha1 = s1.ids;
  const ha2 = s2.ids;
  const stack: number[] = [0, ha1.length, 0, ha2.length, 0];
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: split() sets all four fields on each of its returns, before they are read
  const spl: Split = { i1: 0, i2: 0, minLow: false, minHigh: false };
  while (stack.length > 0) {
    const needMin = stack.pop() === 1;
    let lim2 = stack.pop() as number;
    let off2 = stack.pop() as number;
    let lim1 = stack.pop() as number;
    let off1 = stack.pop() as number;
    while (off1 < lim1 && off2 < lim2 && ha1[off1] === ha2[off2]) {
      off1++;
      off2++;
    }
    while (off1 < lim1 && off2 < lim2 && ha1[lim1 - 1] === ha2[lim2 - 1]) {
      lim1--;
      lim2--;
    }
    if (off1 === lim1) {
      for (; off2 < lim2; off2++) mark(s2, s2.kept[off2] as number, 1);
    } else if (off2 === lim2) {
      for (; off1 < lim1; off1++) mark(s1, s1.kept[off1] as number, 1);
    } else {
      split(ha1, off1, lim1, ha2, off2, lim2, needMin, env, spl);
      const { i1, i2, minLow, minHigh } = spl;
      stack.push(i1, lim1, i2, lim2, minHigh ? 1 : 0);
      stack.push(off1, i1, off2, i2, minLow ? 1 : 0);
    }
  }
}

/**
 * A group of changed lines in one side: [start, end). An empty group (start = end) sits just
 * above the unchanged line `start`. Between any two unchanged lines there is a group.
 */
interface Group {
  start: number;
  end: number;
}

function firstGroup(side: Side): Group {
  let end = 0;
  while (isChanged(side, end)) end++;
  return { start: 0, end };
}

function nextGroup(side: Side, g: Group): boolean {
  if (g.end === side.items.length) return false;
  g.start = g.end + 1;
  g.end = g.start;
  while (isChanged(side, g.end)) g.end++;
  return true;
}

function previousGroup(side: Side, g: Group): boolean {
  // Stryker disable next-line BooleanLiteral,ConditionalExpression: compact() moves the other side's group back only after this side's moved back over an unchanged line, and both sides have as many, so a group before is always there
  if (g.start === 0) return false;
  g.end = g.start - 1;
  g.start = g.end;
  while (isChanged(side, g.start - 1)) g.start--;
  return true;
}

/** Slides the group down one line when its first line equals the line after it, joining any group it reaches. */
function slideDown(side: Side, g: Group): boolean {
  const { items } = side;
  if (g.end < items.length && items[g.start] === items[g.end]) {
    mark(side, g.start++, 0);
    mark(side, g.end++, 1);
    while (isChanged(side, g.end)) g.end++;
    return true;
  }
  return false;
}

/** Slides the group up one line when its last line equals the line before it, joining any group it reaches. */
function slideUp(side: Side, g: Group): boolean {
  const { items } = side;
  if (g.start > 0 && items[g.start - 1] === items[g.end - 1]) {
    mark(side, --g.start, 1);
    mark(side, --g.end, 0);
    while (isChanged(side, g.start - 1)) g.start--;
    return true;
  }
  return false;
}

// Stryker disable StringLiteral: the messages of a check that never trips (below)
// Stryker disable next-line BlockStatement: never called: compact() walks both sides' groups in step, with as many unchanged lines on each side
function broken(what: string): never {
  throw new Error(`diff compaction lost track of the other side (${what})`);
}

/**
 * xdl_change_compact without the indent heuristic: each group of changed lines is slid as far
 * up, then as far down, as equal lines allow, swallowing groups it bumps into, until it stops
 * growing. It is then left at the bottom, unless some position lines it up with a change on the
 * other side, in which case it goes to the lowest such position.
 */
function compact(side: Side, other: Side): void {
  const g = firstGroup(side);
  const go = firstGroup(other);
  for (;;) {
    if (g.end !== g.start) {
      let groupSize: number;
      let earliestEnd: number;
      let endMatchingOther: number;
      do {
        groupSize = g.end - g.start;
        endMatchingOther = -1;
        while (slideUp(side, g)) if (!previousGroup(other, go)) broken('sliding up');
        earliestEnd = g.end;
        if (go.end > go.start) endMatchingOther = g.end;
        for (;;) {
          if (!slideDown(side, g)) break;
          if (!nextGroup(other, go)) broken('sliding down');
          if (go.end > go.start) endMatchingOther = g.end;
        }
      } while (groupSize !== g.end - g.start);

      if (g.end !== earliestEnd && endMatchingOther !== -1) {
        while (go.end === go.start) {
          if (!slideUp(side, g)) broken('match disappeared');
          if (!previousGroup(other, go)) broken('sliding to match');
        }
      }
    }
    if (!nextGroup(side, g)) break;
    if (!nextGroup(other, go)) broken('moving to the next group');
  }
  if (nextGroup(other, go)) broken('at the end');
}
// Stryker restore StringLiteral

/** xdl_build_script: the runs of changed lines, paired up in order. */
function buildScript(s1: Side, s2: Side): Change[] {
  const changes: Change[] = [];
  const n1 = s1.items.length;
  const n2 = s2.items.length;
  let i1 = 0;
  let i2 = 0;
  while (i1 < n1 || i2 < n2) {
    if (isChanged(s1, i1) || isChanged(s2, i2)) {
      const aStart = i1;
      const bStart = i2;
      while (isChanged(s1, i1)) i1++;
      while (isChanged(s2, i2)) i2++;
      changes.push({ aStart, aEnd: i1, bStart, bEnd: i2 });
    } else {
      i1++;
      i2++;
    }
  }
  return changes;
}

function sideOf(items: Int32Array): Side {
  return { items, changed: new Uint8Array(items.length + 2), kept: new Int32Array(0), ids: new Int32Array(0) };
}

/** The changes that turn `a` into `b`, as git's xdiff finds them (see the top of this file). */
export function xdiff(a: Int32Array, b: Int32Array): Change[] {
  const s1 = sideOf(a);
  const s2 = sideOf(b);

  // xdl_trim_ends
  const shorter = Math.min(a.length, b.length);
  let start = 0;
  while (start < shorter && a[start] === b[start]) start++;
  let tail = 0;
  while (tail < shorter - start && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;

  // xdl_cleanup_records: counts are over the whole other side, trimmed ends included.
  // Stryker disable next-line UnaryOperator: a start of 1 only sizes the count arrays larger when every id is 0; each id is counted the same
  let largest = -1;
  // Stryker disable next-line ConditionalExpression,MethodExpression: sized by b's ids alone, the count of a's ids drops those beyond b's (a typed array ignores the write), which occur nowhere in b, and keepForSearch reads 0 for them
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, a[i] as number);
  // Stryker disable next-line ConditionalExpression: sized by a's ids alone, the count of b's ids drops those beyond a's (a typed array ignores the write), which occur nowhere in a, and keepForSearch reads 0 for them
  for (let i = 0; i < b.length; i++) largest = Math.max(largest, b[i] as number);
  keepForSearch(s1, countIds(b, largest + 1), start, a.length - tail - 1);
  keepForSearch(s2, countIds(a, largest + 1), start, b.length - tail - 1);

  // xdl_do_diff
  const diagonals = s1.ids.length + s2.ids.length + 3;
  const env: SearchEnv = {
    maxCost: Math.max(bogoSqrt(diagonals), MAX_COST_MIN),
    kvd: new Int32Array(2 * diagonals + 2),
    forward: s2.ids.length + 1,
    backward: diagonals + s2.ids.length + 1,
  };
  compareRecords(s1, s2, env);

  compact(s1, s2);
  compact(s2, s1);
  return buildScript(s1, s2);
}
