/**
 * The concurrency rules at their edges, as the app and the server share them: which words are modes
 * and states, HTTP dates at the limits of each field, tags that only look alike, histories given
 * out of order, and the lost-update answer from the newest part of a history checked against the
 * whole-history one on every small history there is.
 */
import { describe, expect, it } from 'vitest';
import {
  annotateHistory,
  concurrencyModes,
  documentStates,
  httpSeconds,
  isConcurrencyMode,
  isDocumentState,
  isEditable,
  lostVersions,
  overwrittenBy,
  overwrittenByRecent,
  parseHttpDate,
  type VersionLink,
} from './concurrency.ts';

describe('modes and states', () => {
  it('knows each mode and state by its exact name, and nothing else', () => {
    for (const mode of concurrencyModes) expect(isConcurrencyMode(mode), mode).toBe(true);
    for (const state of documentStates) expect(isDocumentState(state), state).toBe(true);
    for (const other of ['', 'ETag', 'etag ', 'lock-free', 'draft', null, undefined, 3, ['etag'], { concurrency: 'etag' }]) {
      expect(isConcurrencyMode(other), JSON.stringify(other)).toBe(false);
    }
    for (const other of ['', 'Draft', 'deleted', 'etag', null, undefined, 0, ['draft']]) {
      expect(isDocumentState(other), JSON.stringify(other)).toBe(false);
    }
  });

  it('takes saves in every state but archived', () => {
    expect(isEditable('draft')).toBe(true);
    expect(isEditable('published')).toBe(true);
    expect(isEditable('archived')).toBe(false);
  });
});

describe('HTTP dates at their limits', () => {
  const at = (h: number, m: number, s: number) => Date.UTC(1994, 10, 6, h, m, s) / 1000;

  it('cuts an instant to its second', () => {
    expect(httpSeconds('1994-11-06T08:49:37.999Z')).toBe(at(8, 49, 37));
    expect(httpSeconds(new Date(Date.UTC(1994, 10, 6, 8, 49, 37, 1)))).toBe(at(8, 49, 37));
  });

  it('reads the last hour, minute and second of a day, and a leap second as the one before it', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 23:59:59 GMT')).toBe(at(23, 59, 59));
    expect(parseHttpDate('Sun, 06 Nov 1994 23:59:60 GMT')).toBe(at(23, 59, 59));
  });

  it.each(['Sun, 06 Nov 1994 24:00:00 GMT', 'Sun, 06 Nov 1994 23:60:00 GMT', 'Sun, 06 Nov 1994 08:60:00 GMT', 'Sun, 06 Nov 1994 08:49:61 GMT', 'Sun, 06 Nov 1994 23:59:61 GMT', 'Sun, 00 Nov 1994 08:49:37 GMT', 'Sun, 31 Nov 1994 08:49:37 GMT'])(
    'refuses %j, which names no instant',
    (text) => {
      expect(parseHttpDate(text)).toBeNull();
    },
  );

  it('ignores the spaces around a header value', () => {
    expect(parseHttpDate('  Sun, 06 Nov 1994 08:49:37 GMT \t')).toBe(at(8, 49, 37));
  });
});

describe('tags and histories at the edges', () => {
  it('tells a strong tag whose text begins with W/ from the weak form of another', () => {
    const h: VersionLink[] = [
      { version: 1, etag: '"1"', basedOn: null },
      { version: 2, etag: '"W/1"', basedOn: '"1"' },
      // Written from version 1 (`W/"1"` is its weak form), so version 2 is lost.
      { version: 3, etag: '"3"', basedOn: 'W/"1"' },
    ];
    expect(lostVersions(h)).toEqual([2]);
    expect(overwrittenBy(h, 3)).toEqual([2]);
  });

  it('takes no later version as a parent when a history comes out of order', () => {
    const h: VersionLink[] = [
      { version: 2, etag: '"b"', basedOn: null },
      { version: 1, etag: '"a"', basedOn: '"b"' },
    ];
    expect(lostVersions(h)).toEqual([2]);
    expect(annotateHistory(h).lost).toEqual(new Set([2]));
    expect(overwrittenByRecent(h, 1, true)).toEqual([]);
    const named: VersionLink[] = [
      { version: 3, etag: '"c"', basedOn: null },
      { version: 2, etag: '"b"', basedOn: '"c"' },
      { version: 4, etag: '"d"', basedOn: '"c"' },
    ];
    // Version 2 named version 3 (later), so it counts as having seen nothing.
    expect(overwrittenByRecent(named, 4, true)).toEqual([]);
    expect(overwrittenByRecent(named, 3, true)).toEqual([2]);
  });
});

describe('overwrittenByRecent on every small history', () => {
  /** What the writer of a version said it started from: nothing, a version's tag (strong or weak), or another document's tag. */
  type Named = { kind: 'none' } | { kind: 'strong' | 'weak'; of: number } | { kind: 'foreign' };

  function* choices(version: number): Generator<Named> {
    yield { kind: 'none' };
    yield { kind: 'foreign' };
    for (let of = 1; of < version; of += 1) {
      yield { kind: 'strong', of };
      yield { kind: 'weak', of };
    }
  }

  function* histories(length: number, made: Named[] = []): Generator<Named[]> {
    if (made.length === length) {
      yield made;
      return;
    }
    for (const next of choices(made.length + 1)) yield* histories(length, [...made, next]);
  }

  const tagOf = (version: number) => `"t${version}"`;
  function links(named: Named[]): VersionLink[] {
    return named.map((n, i) => ({
      version: i + 1,
      etag: tagOf(i + 1),
      basedOn: n.kind === 'none' ? null : n.kind === 'foreign' ? '"other"' : n.kind === 'weak' ? `W/${tagOf(n.of)}` : tagOf(n.of),
    }));
  }

  it('gives the whole history’s answer for every version, from the whole history and from every newest part that can tell', () => {
    let told = 0;
    let asked = 0;
    for (let length = 1; length <= 4; length += 1) {
      for (const named of histories(length)) {
        const history = links(named);
        for (let version = 1; version <= length; version += 1) {
          const whole = overwrittenBy(history, version);
          expect(overwrittenByRecent(history, version, true), `${JSON.stringify(named)} v${version}`).toEqual(whole);
          for (let from = 1; from < length; from += 1) {
            const answer = overwrittenByRecent(history.slice(from), version, false);
            if (answer === null) asked += 1;
            else {
              told += 1;
              expect(answer, `${JSON.stringify(named)} v${version} from v${from + 1}`).toEqual(whole);
            }
          }
        }
      }
    }
    // Both kinds of answer were met.
    expect(told).toBeGreaterThan(100);
    expect(asked).toBeGreaterThan(100);
  });

  it('answers from the part that holds both lines down to where they meet, and asks for more otherwise', () => {
    // 2 from 1, 3 from 2, 4 from 3, 5 from 2: 5 replaced 3 and 4 unseen.
    const history = links([{ kind: 'none' }, { kind: 'strong', of: 1 }, { kind: 'strong', of: 2 }, { kind: 'strong', of: 3 }, { kind: 'weak', of: 2 }]);
    expect(overwrittenByRecent(history.slice(1), 5, false)).toEqual([3, 4]);
    // Without version 2 the part cannot tell what 5's tag names.
    expect(overwrittenByRecent(history.slice(2), 5, false)).toBeNull();
    // A save from the version before needs that version, to know its tag, and nothing older.
    expect(overwrittenByRecent(history.slice(2), 4, false)).toEqual([]);
    expect(overwrittenByRecent(history.slice(3), 4, false)).toBeNull();
    // Nothing at hand, and not the whole history: nothing can be told.
    expect(overwrittenByRecent([], 4, false)).toBeNull();
    // The first version replaced nothing, whatever is at hand.
    expect(overwrittenByRecent([], 1, false)).toEqual([]);
    // A whole history that holds none of the versions: each named nothing, so a save replaced the one before it.
    expect(overwrittenByRecent([], 3, true)).toEqual([2]);
    // A save naming another document's tag, from a part: that tag may be an older version's.
    const foreign = links([{ kind: 'none' }, { kind: 'strong', of: 1 }, { kind: 'foreign' }]);
    expect(overwrittenByRecent(foreign.slice(1), 3, false)).toBeNull();
    expect(overwrittenByRecent(foreign, 3, true)).toEqual([1, 2]);
  });
});
