import { afterEach, describe, expect, it, vi } from 'vitest';
import { allowedTransitions, annotateHistory, formatHttpDate, lostVersions, overwrittenBy, parseHttpDate, type VersionLink } from './concurrency.ts';

describe('HTTP dates (RFC 9110 §5.6.7)', () => {
  const seconds = Date.UTC(1994, 10, 6, 8, 49, 37) / 1000;

  it('reads the three forms a recipient must accept', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(seconds);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(seconds);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(seconds);
  });

  it.each(['', 'yesterday', '2026-11-30T10:00:00Z', 'Sun, 31 Feb 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 25:49:37 GMT', 'Sun, 06 Nov 1994 08:49:37 UTC'])(
    'refuses %j (a condition with it is ignored)',
    (text) => {
      expect(parseHttpDate(text)).toBeNull();
    },
  );

  describe('a two-digit RFC 850 year', () => {
    afterEach(() => vi.useRealTimers());
    const year = (text: string) => new Date((parseHttpDate(text) ?? Number.NaN) * 1000).getUTCFullYear();

    it('is this century up to 50 years ahead, the last century beyond', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.UTC(2026, 10, 30));
      expect(parseHttpDate('Monday, 30-Nov-26 10:00:00 GMT')).toBe(Date.UTC(2026, 10, 30, 10, 0, 0) / 1000);
      expect(year('Monday, 01-Jan-00 00:00:00 GMT')).toBe(2000);
      expect(year('Wednesday, 01-Jan-76 00:00:00 GMT')).toBe(2076);
      expect(year('Friday, 01-Jan-77 00:00:00 GMT')).toBe(1977);
    });
  });

  it('writes IMF-fixdate, dropping the milliseconds, and reads it back', () => {
    const text = formatHttpDate('2026-11-30T10:00:00.900Z');
    expect(text).toBe('Mon, 30 Nov 2026 10:00:00 GMT');
    expect(parseHttpDate(text)).toBe(Date.UTC(2026, 10, 30, 10, 0, 0) / 1000);
  });
});

describe('states', () => {
  it('go draft → published → archived → draft, and nowhere else', () => {
    expect(allowedTransitions('draft')).toEqual(['published']);
    expect(allowedTransitions('published')).toEqual(['archived']);
    expect(allowedTransitions('archived')).toEqual(['draft']);
  });
});

describe('the lost-update detector', () => {
  /** A history where version v+1 was written from version basedOn[v] (0: it named none). */
  function history(...basedOn: number[]): VersionLink[] {
    const links: VersionLink[] = [{ version: 1, etag: '"t1"', basedOn: null }];
    basedOn.forEach((from, i) => links.push({ version: i + 2, etag: `"t${i + 2}"`, basedOn: from === 0 ? null : `"t${from}"` }));
    return links;
  }

  it('finds nothing lost in an empty history', () => {
    expect(lostVersions([])).toEqual([]);
  });

  it('finds nothing lost when every save started from the one before', () => {
    expect(lostVersions(history(1, 2, 3))).toEqual([]);
    expect(overwrittenBy(history(1, 2, 3), 4)).toEqual([]);
  });

  it('finds the version a save from an older one replaced', () => {
    // 2 from 1, 3 from 1: version 2 is lost, and 3 is the save that lost it.
    expect(lostVersions(history(1, 1))).toEqual([2]);
    expect(overwrittenBy(history(1, 1), 3)).toEqual([2]);
  });

  it('gives back a version that a later save built on again', () => {
    // 2 from 1, 3 from 1 (loses 2), 4 from 2 (has 2 again, loses 3).
    const h = history(1, 1, 2);
    expect(lostVersions(h)).toEqual([3]);
    expect(overwrittenBy(h, 4)).toEqual([3]);
    expect(annotateHistory(h)).toEqual({ lost: new Set([3]), overwrote: new Map([[3, [2]], [4, [3]]]) });
  });

  it('counts exactly the increments a read-modify-write counter loses', () => {
    // Simulate counters: each version's value is its parent's plus one.
    for (let trial = 0; trial < 200; trial++) {
      const basedOn: number[] = [];
      const value = [0, 0];
      for (let v = 2; v <= 40; v++) {
        const from = Math.max(1, v - 1 - Math.floor(Math.random() * 4));
        basedOn.push(from);
        value[v] = (value[from] ?? 0) + 1;
      }
      const lost = lostVersions(history(...basedOn)).length;
      expect(lost).toBe(39 - (value[40] ?? 0));
    }
  });

  it('treats a save that named no version, or an unknown tag, as one that saw nothing', () => {
    expect(lostVersions(history(1, 2, 0))).toEqual([1, 2, 3]);
    const unknown = history(1);
    unknown.push({ version: 3, etag: '"t3"', basedOn: '"elsewhere"' });
    expect(overwrittenBy(unknown, 3)).toEqual([1, 2]);
  });

  it('knows a weak tag of a version as that version', () => {
    const h: VersionLink[] = [
      { version: 1, etag: '"a"', basedOn: null },
      { version: 2, etag: '"b"', basedOn: 'W/"a"' },
    ];
    expect(lostVersions(h)).toEqual([]);
  });
});
