import { afterEach, describe, expect, it, vi } from 'vitest';
import { InternTable } from './intern.ts';

describe('InternTable', () => {
  // First: a broken hash or table makes the larger cases below slow rather than wrong, and
  // these small ones fail at once.
  it('hashes with FNV-1a and tells apart different strings of the same hash', () => {
    // Known FNV-1a (32-bit) collisions: each pair shares one hash.
    const table = new InternTable();
    const ids = table.intern(['costarring', 'liquid', 'declinate', 'macallums', 'liquid', 'costarring']);
    expect(Array.from(ids)).toEqual([0, 1, 2, 3, 1, 0]);
    const { hashes } = table as unknown as { hashes: Int32Array };
    expect(Array.from(hashes.subarray(0, 4))).toEqual([1582148253, 1582148253, -502380590, -502380590]);
  });

  it('keeps its table at most half full, growing it as it fills', () => {
    const table = new InternTable();
    const inner = table as unknown as { slots: Int32Array; hashes: Int32Array };
    table.intern(Array.from({ length: 256 }, (_, i) => `v${i}`));
    expect([inner.slots.length, inner.hashes.length]).toEqual([512, 256]);
    table.intern(['v256']);
    expect([inner.slots.length, inner.hashes.length]).toEqual([1024, 512]);
    // Every value is still found where the grown table put it.
    expect(Array.from(table.intern(['v0', 'v255', 'v256']))).toEqual([0, 255, 256]);
  });

  it('gives equal strings the same id and different strings different ids, across sequences', () => {
    const table = new InternTable();
    expect(Array.from(table.intern(['a\n', 'b\n', 'a\n']))).toEqual([0, 1, 0]);
    expect(Array.from(table.intern(['b\n', 'c', '', 'a\n', '']))).toEqual([1, 2, 3, 0, 3]);
  });

  it('keeps ids apart for strings that share slots', () => {
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

/**
 * internAlong compares each item with the reference item where it is expected before it hashes
 * it, which makes interning a version of a large document several times quicker: the items
 * hashed (the table's `idOf`, private) are what these tests count. The ids are the same either
 * way (tested above).
 */
describe('InternTable.internAlong hashes only what it cannot match by place', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const reference = ['a', 'b', 'c', 'd', 'e', 'f'];

  function hashedInterning(version: string[], ref: string[] = reference, alsoKnown: string[] = []): string[] {
    const table = new InternTable();
    const refIds = table.intern(ref);
    table.intern(alsoKnown);
    const idOf = vi.spyOn(InternTable.prototype as unknown as { idOf(value: string): number }, 'idOf');
    const ids = table.internAlong(version, ref, refIds);
    const hashed = idOf.mock.calls.map(([value]) => value);
    idOf.mockRestore();
    // The same ids as interning the version on its own.
    expect(Array.from(ids)).toEqual(Array.from(table.intern(version)));
    return hashed;
  }

  it('hashes nothing of an unchanged version', () => {
    expect(hashedInterning([...reference])).toEqual([]);
  });

  it('re-aligns after an inserted line on the first line it finds out of place', () => {
    expect(hashedInterning(['new', 'a', 'b', 'c', 'd', 'e', 'f'])).toEqual(['new', 'a']);
    expect(hashedInterning(['a', 'b', 'new', 'c', 'd', 'e', 'f'])).toEqual(['new', 'c']);
  });

  it('re-aligns after a deleted line', () => {
    expect(hashedInterning(['a', 'c', 'd', 'e', 'f'])).toEqual(['c']);
  });

  it('hashes only the replacement of a replaced line, known to the table or not', () => {
    expect(hashedInterning(['a', 'b', 'new', 'd', 'e', 'f'])).toEqual(['new']);
    // Known from another version interned with the same table, but not in the reference.
    expect(hashedInterning(['a', 'b', 'other', 'd', 'e', 'f'], reference, ['other'])).toEqual(['other']);
  });

  it('does not align on a line the reference holds more than once', () => {
    // "x" is at 0 and 3: it replaces "a" at 1, and the guess stays where it was.
    expect(hashedInterning(['x', 'x', 'b', 'x', 'c'], ['x', 'a', 'b', 'x', 'c'])).toEqual(['x']);
  });
});

