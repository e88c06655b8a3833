import { describe, expect, it } from 'vitest';
import { merge3 } from '../../merge/index.ts';
import { conflictRefs } from './choices.ts';
import { hunkLines } from './layout.ts';
import { rulerMarks } from './ruler.ts';

describe('rulerMarks', () => {
  it('marks each conflict, open or resolved, and each change merged on its own, by line in yours', () => {
    const merge = merge3('a\nb\nc\nd\ne\nf\ng\n', 'a\nB\nc\nd\nE\nf\ng\n', 'a\nb2\nc\nd\ne\nf\ng\nh\n', { wordLevel: false });
    const refs = conflictRefs(merge);
    const byHunk = new Map(refs.map((ref) => [ref.hunkIndex, ref]));
    const starts = hunkLines(merge.hunks).starts;
    expect(rulerMarks(merge.hunks, byHunk, new Map(), starts, 'Theirs (Bob)')).toEqual([
      { hunk: 1, kind: 'conflict', line: 2, label: 'Conflict 1, line 2' },
      { hunk: 3, kind: 'mine', line: 5, label: 'Yours, line 5' },
      { hunk: 5, kind: 'theirs', line: 8, label: 'Theirs (Bob), line 8' },
    ]);
    const resolved = new Map([[refs[0].key, { kind: 'take', take: 'mine' } as const]]);
    expect(rulerMarks(merge.hunks, byHunk, resolved, starts, 'Theirs (Bob)')[0].kind).toBe('resolved');
  });
});
