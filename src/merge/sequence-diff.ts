import myersDiff from '@jest/diff-sequences';

/** One changed region of a two-way diff: `a[aStart, aEnd)` became `b[bStart, bEnd)`. */
export interface Change {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/**
 * The changes that turn `a` into `b`, as a minimal (Myers) diff with no time limit: a large
 * input is slower, never approximated. Common ends are trimmed first because most edits of a
 * document touch a small part of it. Insertions and deletions that could sit in several places
 * are moved as far down as they go (see slideDown).
 */
export function diffSequences(a: Int32Array, b: Int32Array): Change[] {
  const { start, aEnd, bEnd, keptA, keptB } = reduce(a, b);
  const changes: Change[] = [];
  let aPos = start;
  let bPos = start;
  const match = (aIndex: number, bIndex: number) => {
    if (aIndex > aPos || bIndex > bPos) changes.push({ aStart: aPos, aEnd: aIndex, bStart: bPos, bEnd: bIndex });
    aPos = aIndex + 1;
    bPos = bIndex + 1;
  };
  if (keptA.length > 0 && keptB.length > 0) {
    myersDiff(
      keptA.length,
      keptB.length,
      (i, j) => a[keptA[i] as number] === b[keptB[j] as number],
      (nCommon, aCommon, bCommon) => {
        for (let k = 0; k < nCommon; k++) match(keptA[aCommon + k] as number, keptB[bCommon + k] as number);
      },
    );
  }
  if (aEnd > aPos || bEnd > bPos) changes.push({ aStart: aPos, aEnd, bStart: bPos, bEnd });
  return slideDown(a, b, changes);
}

/**
 * The part of the search that can hold a match: common ends trimmed, then items that never
 * occur on the other side left out. Those items cannot be matched, so leaving them out of the
 * Myers search does not change the result, and it turns a document where each edit brings new
 * lines (the usual case) from O(N·D) into near-linear work. git does the same
 * (xdl_cleanup_records).
 */
function reduce(a: Int32Array, b: Int32Array) {
  let start = 0;
  const minLength = Math.min(a.length, b.length);
  while (start < minLength && a[start] === b[start]) start++;
  let aEnd = a.length;
  let bEnd = b.length;
  while (aEnd > start && bEnd > start && a[aEnd - 1] === b[bEnd - 1]) {
    aEnd--;
    bEnd--;
  }
  const keptA = keepMatchable(a, start, aEnd, b, start, bEnd);
  const keptB = keepMatchable(b, start, bEnd, a, start, aEnd);
  return { start, aEnd, bEnd, keptA, keptB };
}

/**
 * Whether `b` is at most `limit` insertions and deletions away from `a`: the greedy Myers
 * search for the distance only, which stops as soon as the limit is passed, so its cost is
 * bounded by the limit rather than by how different the sequences are.
 */
export function editDistanceAtMost(a: Int32Array, b: Int32Array, limit: number): boolean {
  const { start, aEnd, bEnd, keptA, keptB } = reduce(a, b);
  // Every left-out item is one deletion or insertion in any diff.
  const budget = limit - (aEnd - start - keptA.length) - (bEnd - start - keptB.length);
  const n = keptA.length;
  const m = keptB.length;
  if (budget < Math.abs(n - m)) return false;
  const max = Math.min(budget, n + m);
  const offset = max + 1;
  const furthest = new Int32Array(2 * max + 3);
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (furthest[offset + k - 1] as number) < (furthest[offset + k + 1] as number));
      let x = down ? (furthest[offset + k + 1] as number) : (furthest[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[keptA[x] as number] === b[keptB[y] as number]) {
        x++;
        y++;
      }
      furthest[offset + k] = x;
      if (x >= n && y >= m) return true;
    }
  }
  return false;
}

/**
 * Indices in `seq[from, to)` of the items that also occur somewhere in `other[otherFrom,
 * otherTo)`. Items are small interned ids, so a flag array is the set.
 */
function keepMatchable(seq: Int32Array, from: number, to: number, other: Int32Array, otherFrom: number, otherTo: number): Int32Array {
  let largest = 0;
  for (let i = otherFrom; i < otherTo; i++) largest = Math.max(largest, other[i] as number);
  const present = new Uint8Array(largest + 1);
  for (let i = otherFrom; i < otherTo; i++) present[other[i] as number] = 1;
  const kept = new Int32Array(to - from);
  let count = 0;
  for (let i = from; i < to; i++) if (present[seq[i] as number] === 1) kept[count++] = i;
  return kept.subarray(0, count);
}

/**
 * Moves each pure insertion or deletion down past the items it repeats, as git does
 * (xdl_change_compact): inserting "b a" into "a b a" is reported after the last "a", so an
 * edit on the line (or word) before it is not mistaken for a touching one. A change that slides
 * into the next one joins it.
 */
function slideDown(a: Int32Array, b: Int32Array, changes: Change[]): Change[] {
  const out: Change[] = [];
  for (let k = 0; k < changes.length; k++) {
    const change = { ...(changes[k] as Change) };
    const next = changes[k + 1];
    const insertion = change.aStart === change.aEnd;
    const deletion = change.bStart === change.bEnd;
    if (insertion !== deletion) {
      // The changed items move down one place while the first of them equals the item after them.
      const side = insertion ? b : a;
      let common = (next ? next.aStart : a.length) - change.aEnd;
      while (common > 0 && side[insertion ? change.bStart : change.aStart] === side[insertion ? change.bEnd : change.aEnd]) {
        change.aStart++;
        change.aEnd++;
        change.bStart++;
        change.bEnd++;
        common--;
      }
      if (common === 0 && next) {
        out.push({ aStart: change.aStart, aEnd: next.aEnd, bStart: change.bStart, bEnd: next.bEnd });
        k++;
        continue;
      }
    }
    out.push(change);
  }
  return out;
}
