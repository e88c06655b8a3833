import { describe, expect, it } from 'vitest';
import { changeCount, revisionDiff } from './revision-diff.ts';

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('');

describe('revisionDiff', () => {
  it('marks what changed and folds long unchanged stretches to a little context', () => {
    const before = lines(1, 100);
    const after = before.replace('line 50\n', 'line fifty\n');
    const parts = revisionDiff(before, after);
    expect(parts[0]).toEqual({ kind: 'folded', lines: 47 });
    expect(parts).toContainEqual({ kind: 'delete', text: '50' });
    expect(parts).toContainEqual({ kind: 'insert', text: 'fifty' });
    expect(parts[parts.length - 1]).toEqual({ kind: 'folded', lines: 48 });
    // Two whole lines of context on each side of the changed one.
    expect(parts[1]).toEqual({ kind: 'equal', text: 'line 48\nline 49\nline ' });
    expect(parts[4]).toEqual({ kind: 'equal', text: '\nline 51\nline 52\n' });
    expect(changeCount(parts)).toBe('1 change');
  });

  it('says when two versions are the same', () => {
    expect(changeCount(revisionDiff('same\n', 'same\n'))).toBe('No changes');
  });
});
