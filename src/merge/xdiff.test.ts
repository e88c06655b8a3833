import { describe, expect, it } from 'vitest';
import { InternTable } from './intern.ts';
import { xdiff } from './xdiff.ts';

/**
 * git's two-way diff on cases made to reach one step of it each. Every expected answer is what
 * `git diff --no-index -U0 --no-indent-heuristic --diff-algorithm=myers` gives for the same lines
 * (each ending in a newline), written as [aStart, aEnd, bStart, bEnd] with 0-based, end-exclusive
 * line ranges, as scripts/record-merge-git-cases.ts reads git's hunk headers.
 */
function diffOf(a: readonly string[], b: readonly string[]): number[][] {
  const table = new InternTable();
  return xdiff(table.intern(a), table.intern(b)).map((c) => [c.aStart, c.aEnd, c.bStart, c.bEnd]);
}

describe('xdiff: which lines git leaves out of the search (xdl_cleanup_records)', () => {
  it('leaves out a line that occurs on the other side exactly as often as the limit, among unmatched lines', () => {
    // a has 9 lines, so the limit is xdl_bogosqrt(9) = 4: four "c" on the other side is already
    // "many", and the lone "c" among lines found nowhere is not matched. With three it is.
    const a = ['1', '2', '3', '4', 'c', '5', '6', '7', '8'];
    expect(diffOf(a, ['c', 'c', 'c', 'c'])).toEqual([[0, 9, 0, 4]]);
    expect(diffOf(a, ['c', 'c', 'c'])).toEqual([
      [0, 4, 0, 0],
      [5, 9, 1, 3],
    ]);
  });

  it('leaves the common end out of the look around a line that occurs often', () => {
    // The three common last lines are not searched, and not looked at either. Around the first
    // "c", the run of unmatched and often-found lines then holds seven unmatched lines before it,
    // two after and no other often-found line: those are under a quarter of it, so that "c" is
    // left out. Were the common "c" at the end looked at too, it would be one more often-found
    // line in the run, no longer under a quarter, and the first "c" would be matched.
    const a = ['1', '2', '3', '4', '5', '6', '7', 'c', '8', '9', 'c', 'x', 'y'];
    const b = ['c', 'c', 'c', 'new', 'c', 'c', 'x', 'y'];
    expect(diffOf(a, b)).toEqual([[0, 10, 0, 5]]);
  });
});
