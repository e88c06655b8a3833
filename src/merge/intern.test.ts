import { describe, expect, it } from 'vitest';
import { InternTable } from './intern.ts';

describe('InternTable', () => {
  it('gives equal strings the same id and different strings different ids, across sequences', () => {
    const table = new InternTable();
    expect(Array.from(table.intern(['a\n', 'b\n', 'a\n']))).toEqual([0, 1, 0]);
    expect(Array.from(table.intern(['b\n', 'c', '', 'a\n', '']))).toEqual([1, 2, 3, 0, 3]);
  });

  it('keeps ids apart for strings whose hashes collide', () => {
    // With FNV-1a these pairs differ yet any table is small enough to share slots; ids must stay exact.
    const table = new InternTable();
    const values = Array.from({ length: 5000 }, (_, i) => `line ${i % 2500}${i >= 2500 ? '' : '\n'}`);
    const ids = table.intern(values);
    expect(new Set(ids).size).toBe(5000);
    expect(Array.from(table.intern(values))).toEqual(Array.from(ids));
  });

  it('interns a version along its reference with the ids interning it alone would give', () => {
    const reference = ['a', 'b', '', 'c', '', 'd', 'e', 'f'];
    const version = ['x', 'a', 'b', '', 'd', 'e', 'y', '', 'f', 'new'];
    const along = new InternTable();
    const referenceIds = along.intern(reference);
    const alone = new InternTable();
    alone.intern(reference);
    expect(Array.from(along.internAlong(version, reference, referenceIds))).toEqual(Array.from(alone.intern(version)));
  });

  it('handles more distinct values than fit in UTF-16 code units', () => {
    const table = new InternTable();
    const values = Array.from({ length: 70_000 }, (_, i) => `${i}`);
    const ids = table.intern(values);
    expect(ids[69_999]).toBe(69_999);
    expect(Array.from(table.intern(['69999', '0']))).toEqual([69_999, 0]);
  });
});
