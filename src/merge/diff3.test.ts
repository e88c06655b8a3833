import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diff3, type Region } from './diff3.ts';
import { propertyRuns } from './test-documents.ts';

/**
 * diff3 on item ids, region by region: the merge builds its hunks from a region's ranges on
 * the side its kind names, so a range it never reads (a stable region's `theirs`, say) is
 * checked here or nowhere.
 */
const ids = (...items: number[]) => Int32Array.from(items);

const stable = (b0: number, b1: number, m0: number, m1: number, t0: number, t1: number): Region => ({ kind: 'stable', b0, b1, m0, m1, t0, t1 });

describe('diff3 regions', () => {
  it('gives every range of every region, stable ones included, each side at its own place', () => {
    // mine inserts 8 8 before 3; theirs deletes 1 and replaces 5 with 9.
    expect(diff3(ids(0, 1, 2, 3, 4, 5, 6), ids(0, 1, 2, 8, 8, 3, 4, 5, 6), ids(0, 2, 3, 4, 9, 6))).toEqual([
      stable(0, 1, 0, 1, 0, 1),
      { kind: 'theirs', b0: 1, b1: 2, m0: 1, m1: 2, t0: 1, t1: 1 },
      stable(2, 3, 2, 3, 1, 2),
      { kind: 'mine', b0: 3, b1: 3, m0: 3, m1: 5, t0: 2, t1: 2 },
      stable(3, 5, 5, 7, 2, 4),
      { kind: 'theirs', b0: 5, b1: 6, m0: 7, m1: 8, t0: 4, t1: 5 },
      stable(6, 7, 8, 9, 5, 6),
    ]);
  });

  it('widens a conflict to both changes when one starts before the other and the other ends after it', () => {
    // mine replaces 1 2 with 7; theirs replaces 2 3 with 8 8: one conflict over base 1–4.
    expect(diff3(ids(0, 1, 2, 3, 4), ids(0, 7, 3, 4), ids(0, 1, 8, 8, 4))).toEqual([
      stable(0, 1, 0, 1, 0, 1),
      { kind: 'conflict', b0: 1, b1: 4, m0: 1, m1: 3, t0: 1, t1: 4 },
      stable(4, 5, 3, 4, 4, 5),
    ]);
    // The same with the sides swapped.
    expect(diff3(ids(0, 1, 2, 3, 4), ids(0, 1, 8, 8, 4), ids(0, 7, 3, 4))).toEqual([
      stable(0, 1, 0, 1, 0, 1),
      { kind: 'conflict', b0: 1, b1: 4, m0: 1, m1: 4, t0: 1, t1: 3 },
      stable(4, 5, 4, 5, 3, 4),
    ]);
  });

  it('folds changes that touch, with no unchanged item between them, into one conflict', () => {
    // mine replaces 1, theirs replaces 2: adjacent, so they conflict as one.
    expect(diff3(ids(0, 1, 2, 3), ids(0, 7, 2, 3), ids(0, 1, 8, 3))).toEqual([
      stable(0, 1, 0, 1, 0, 1),
      { kind: 'conflict', b0: 1, b1: 3, m0: 1, m1: 3, t0: 1, t1: 3 },
      stable(3, 4, 3, 4, 3, 4),
    ]);
    // One unchanged item between them: two clean changes.
    expect(diff3(ids(0, 1, 2, 3, 4), ids(0, 7, 2, 3, 4), ids(0, 1, 2, 8, 4)).map((r) => r.kind)).toEqual([
      'stable',
      'mine',
      'stable',
      'theirs',
      'stable',
    ]);
  });

  it('makes one conflict of a deletion and an insertion that touch it, before or after', () => {
    const conflict = (b1: number, m1: number, t1: number): Region => ({ kind: 'conflict', b0: 0, b1, m0: 0, m1, t0: 0, t1 });
    // mine deletes the only item; theirs inserts before it, or after it.
    expect(diff3(ids(2), ids(), ids(0, 2))).toEqual([conflict(1, 0, 2)]);
    expect(diff3(ids(1), ids(), ids(1, 0))).toEqual([conflict(1, 0, 2)]);
    // The same with the sides swapped.
    expect(diff3(ids(0), ids(1, 0), ids())).toEqual([conflict(1, 2, 0)]);
    expect(diff3(ids(3), ids(3, 0), ids())).toEqual([conflict(1, 2, 0)]);
    // Both insert something different after it: an empty base range.
    expect(diff3(ids(5), ids(5, 4), ids(5, 0))).toEqual([stable(0, 1, 0, 1, 0, 1), { kind: 'conflict', b0: 1, b1: 1, m0: 1, m1: 2, t0: 1, t1: 2 }]);
    // Both delete it: the same change.
    expect(diff3(ids(2), ids(), ids())).toEqual([{ kind: 'both', b0: 0, b1: 1, m0: 0, m1: 0, t0: 0, t1: 0 }]);
  });

  it('keeps the same change on both sides as one region between conflicts', () => {
    // Both replace 3 with 9; around it, each side replaces 1 and 5 differently.
    expect(diff3(ids(0, 1, 2, 3, 4, 5, 6), ids(0, 7, 2, 9, 4, 7, 6), ids(0, 8, 2, 9, 4, 8, 6))).toEqual([
      stable(0, 1, 0, 1, 0, 1),
      { kind: 'conflict', b0: 1, b1: 2, m0: 1, m1: 2, t0: 1, t1: 2 },
      stable(2, 3, 2, 3, 2, 3),
      { kind: 'both', b0: 3, b1: 4, m0: 3, m1: 4, t0: 3, t1: 4 },
      stable(4, 5, 4, 5, 4, 5),
      { kind: 'conflict', b0: 5, b1: 6, m0: 5, m1: 6, t0: 5, t1: 6 },
      stable(6, 7, 6, 7, 6, 7),
    ]);
  });

  it('lays the regions end to end over each version, with the items each kind says', () => {
    const sequence = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 14 });
    /** A version of `base` with up to four items inserted, deleted or replaced, or an unrelated one. */
    const versionOf = (base: number[]) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.array(fc.tuple(fc.nat(20), fc.nat(2), fc.integer({ min: 0, max: 6 })), { maxLength: 4 }).map((edits) => {
          const out = [...base];
          for (const [at, op, item] of edits) {
            const i = at % (out.length + 1);
            if (op === 0 || i === out.length) out.splice(i, 0, item);
            else if (op === 1) out.splice(i, 1);
            else out[i] = item;
          }
          return out;
        }) },
        { weight: 1, arbitrary: sequence },
      );
    const versions = sequence.chain((base) => fc.tuple(fc.constant(base), versionOf(base), versionOf(base)));
    fc.assert(
      fc.property(versions, ([base, mine, theirs]) => {
        const regions = diff3(Int32Array.from(base), Int32Array.from(mine), Int32Array.from(theirs));
        let b = 0;
        let m = 0;
        let t = 0;
        for (const r of regions) {
          expect([r.b0, r.m0, r.t0]).toEqual([b, m, t]);
          expect(r.b1 >= r.b0 && r.m1 >= r.m0 && r.t1 >= r.t0).toBe(true);
          const [bs, ms, ts] = [base.slice(r.b0, r.b1), mine.slice(r.m0, r.m1), theirs.slice(r.t0, r.t1)];
          if (r.kind === 'stable') expect([ms, ts]).toEqual([bs, bs]);
          if (r.kind === 'mine') expect(ts).toEqual(bs);
          if (r.kind === 'theirs') expect(ms).toEqual(bs);
          if (r.kind === 'both') expect(ts).toEqual(ms);
          if (r.kind !== 'stable') expect([bs, ms, ts].some((items) => items.length > 0)).toBe(true);
          [b, m, t] = [r.b1, r.m1, r.t1];
        }
        expect([b, m, t]).toEqual([base.length, mine.length, theirs.length]);
        // A change of one side next to a stable region would have been part of it.
        for (let i = 1; i < regions.length; i++) expect([regions[i - 1]?.kind, regions[i]?.kind]).not.toEqual(['stable', 'stable']);
      }),
      propertyRuns(500),
    );
  });
});
