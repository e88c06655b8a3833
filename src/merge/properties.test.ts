import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { merge3, toText, type Hunk, type MergeResult } from './index.ts';
import { splitLines } from './lines.ts';
import { diffSequences } from './sequence-diff.ts';
import { InternTable } from './intern.ts';
import { document, hasLoneSurrogate, propertyRuns, threeVersions, versionOf } from './test-documents.ts';

const RUNS = propertyRuns(400);
const levels = [{ wordLevel: false }, { wordLevel: true }] as const;

const textOf = (hunks: Hunk[]) => hunks.map((h) => (h.kind === 'conflict' ? '' : h.text)).join('');
const baseOf = (hunks: Hunk[]) => hunks.map((h) => (h.kind === 'stable' ? h.text : h.base)).join('');

/** What each side had: at line level every hunk knows both sides' text. */
function sideOf(hunks: Hunk[], side: 'mine' | 'theirs'): string {
  return hunks
    .map((h) => {
      switch (h.kind) {
        case 'stable':
          return h.text;
        case 'both':
          return h.text;
        case 'conflict':
          return h[side];
        default:
          return h.kind === side ? h.text : h.base;
      }
    })
    .join('');
}

function mirrored(result: MergeResult): MergeResult {
  return {
    clean: result.clean,
    hunks: result.hunks.map((h): Hunk => {
      if (h.kind === 'conflict') return { kind: 'conflict', base: h.base, mine: h.theirs, theirs: h.mine };
      if (h.kind === 'stable') return h;
      const kind = h.kind === 'mine' ? 'theirs' : h.kind === 'theirs' ? 'mine' : 'both';
      const from = h.wordMerged;
      return from ? { ...h, kind, wordMerged: { base: from.base, mine: from.theirs, theirs: from.mine } } : { ...h, kind };
    }),
  };
}

/** The lines a side added, as runs: each run must survive a clean merge in one piece. */
function addedRuns(base: string, side: string): string[] {
  const table = new InternTable();
  const before = splitLines(base);
  const after = splitLines(side);
  return diffSequences(table.intern(before), table.intern(after))
    .filter((c) => c.bEnd > c.bStart)
    .map((c) => after.slice(c.bStart, c.bEnd).join(''));
}

describe.each(levels)('merge3 properties (wordLevel $wordLevel)', (options) => {
  it('takes theirs when mine did not change: merge(b, b, t) = t', () => {
    fc.assert(
      fc.property(document.chain((b) => fc.tuple(fc.constant(b), versionOf(b))), ([base, theirs]) => {
        const result = merge3(base, base, theirs, options);
        expect(result.clean).toBe(true);
        expect(toText(result)).toBe(theirs);
      }),
      RUNS,
    );
  });

  it('takes mine when theirs did not change: merge(b, m, b) = m', () => {
    fc.assert(
      fc.property(document.chain((b) => fc.tuple(fc.constant(b), versionOf(b))), ([base, mine]) => {
        const result = merge3(base, mine, base, options);
        expect(result.clean).toBe(true);
        expect(toText(result)).toBe(mine);
      }),
      RUNS,
    );
  });

  it('accepts the same change on both sides: merge(b, x, x) = x', () => {
    fc.assert(
      fc.property(document.chain((b) => fc.tuple(fc.constant(b), versionOf(b))), ([base, both]) => {
        const result = merge3(base, both, both, options);
        expect(result.clean).toBe(true);
        expect(toText(result)).toBe(both);
      }),
      RUNS,
    );
  });

  it('is clean exactly when no hunk is a conflict, and then hunks concatenate to the text', () => {
    fc.assert(
      fc.property(threeVersions, ([base, mine, theirs]) => {
        const result = merge3(base, mine, theirs, options);
        expect(result.clean).toBe(result.hunks.every((h) => h.kind !== 'conflict'));
        if (result.clean) expect(toText(result)).toBe(textOf(result.hunks));
        // Every hunk carries its stretch of base: together they are base, nothing invented or dropped.
        expect(baseOf(result.hunks)).toBe(base);
        for (const h of result.hunks) {
          if (h.kind === 'stable') expect(h.text).not.toBe('');
        }
      }),
      RUNS,
    );
  });

  it('never writes a lone surrogate', () => {
    fc.assert(
      fc.property(threeVersions, ([base, mine, theirs]) => {
        const result = merge3(base, mine, theirs, options);
        expect(hasLoneSurrogate(toText(result))).toBe(false);
        for (const h of result.hunks) {
          const texts = Object.values(h).filter((value) => typeof value === 'string');
          if ('wordMerged' in h && h.wordMerged) texts.push(...Object.values(h.wordMerged));
          for (const text of texts) expect(hasLoneSurrogate(text)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('gives the mirrored result when mine and theirs swap', () => {
    fc.assert(
      fc.property(threeVersions, ([base, mine, theirs]) => {
        expect(merge3(base, theirs, mine, options)).toEqual(mirrored(merge3(base, mine, theirs, options)));
      }),
      RUNS,
    );
  });
});

describe('line-level hunks', () => {
  it('keeps, when clean, every run of lines either side added', () => {
    fc.assert(
      fc.property(threeVersions, ([base, mine, theirs]) => {
        const result = merge3(base, mine, theirs, { wordLevel: false });
        fc.pre(result.clean);
        const merged = toText(result);
        for (const run of [...addedRuns(base, mine), ...addedRuns(base, theirs)]) {
          expect(merged).toContain(run);
        }
      }),
      RUNS,
    );
  });

  it('rebuild each side: mine from its texts, theirs from theirs', () => {
    fc.assert(
      fc.property(threeVersions, ([base, mine, theirs]) => {
        const { hunks } = merge3(base, mine, theirs, { wordLevel: false });
        expect(sideOf(hunks, 'mine')).toBe(mine);
        expect(sideOf(hunks, 'theirs')).toBe(theirs);
      }),
      RUNS,
    );
  });

  it('change only where the line level conflicts when the word level is on', () => {
    fc.assert(
      fc.property(threeVersions, ([base, mine, theirs]) => {
        const lines = merge3(base, mine, theirs, { wordLevel: false });
        const words = merge3(base, mine, theirs);
        // Word level only ever resolves conflicts; everything the line level settled stays.
        expect(words.hunks).toHaveLength(lines.hunks.length);
        lines.hunks.forEach((h, i) => {
          if (h.kind !== 'conflict') expect(words.hunks[i]).toEqual(h);
          else expect(baseOf([words.hunks[i] as Hunk])).toBe(h.base);
        });
      }),
      RUNS,
    );
  });
});
