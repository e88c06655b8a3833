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
 * Whether `b` is at most `limit` insertions and deletions away from `a`: the greedy Myers
 * search for the distance only, which stops as soon as the limit is passed, so its cost is
 * bounded by the limit rather than by how different the sequences are.
 */
export function editDistanceAtMost(a: Int32Array, b: Int32Array, limit: number): boolean {
  // The part of the search that can hold a match: items that never occur on the other side
  // cannot be matched, so leaving them out of the Myers search does not change the result, and
  // it turns a text where each edit brings new items (the usual case) from O(N·D) into
  // near-linear work. Every left-out item is one deletion or insertion in any diff.
  const keptA = keepMatchable(a, b);
  const keptB = keepMatchable(b, a);
  const budget = limit - (a.length - keptA.length) - (b.length - keptB.length);
  const n = keptA.length;
  const m = keptB.length;
  if (budget < Math.abs(n - m)) return false;
  const max = Math.min(budget, n + m);
  // Diagonals -max … max, each read by its neighbours within that range.
  const offset = max;
  const furthest = new Int32Array(2 * max + 3);
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      // At k = d the diagonal above is not reached yet and reads 0, so the one below wins.
      const down = k === -d || (furthest[offset + k - 1] as number) < (furthest[offset + k + 1] as number);
      let x = down ? (furthest[offset + k + 1] as number) : (furthest[offset + k - 1] as number) + 1;
      let y = x - k;
      // Past the end of b, keptB reads undefined, which equals no item of a: x < n is the only
      // bound needed.
      while (x < n && a[keptA[x] as number] === b[keptB[y] as number]) {
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
 * Indices in `seq` of the items that also occur somewhere in `other`. Items are small interned
 * ids, so a flag array is the set.
 */
function keepMatchable(seq: Int32Array, other: Int32Array): Int32Array {
  let largest = 0;
  for (const item of other) largest = Math.max(largest, item);
  const present = new Uint8Array(largest + 1);
  for (const item of other) present[item] = 1;
  const kept = new Int32Array(seq.length);
  let count = 0;
  seq.forEach((item, i) => {
    if (present[item] === 1) kept[count++] = i;
  });
  return kept.subarray(0, count);
}
