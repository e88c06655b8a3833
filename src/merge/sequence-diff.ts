import { xdiff, type Change } from './xdiff.ts';

export type { Change };

/**
 * The changes that turn `a` into `b`, as git's diff finds them (xdiff.ts): the same alignment
 * as `git merge-file`, so a merge built on it agrees with git's. No time limit: a large input
 * is slower, never approximated into "replace everything".
 */
export function diffSequences(a: Int32Array, b: Int32Array): Change[] {
  return xdiff(a, b);
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
