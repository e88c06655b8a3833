/**
 * The bounded history reads against the whole-history computation they replace: random histories
 * (writers starting from the version before, an older one, a weak tag, another document's tag, a
 * tag never issued, or naming none), on every engine, give the same lost updates for every
 * version and the same conflict for every condition, while reading only the newest part.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../test-server.ts';
import { annotateHistory, overwrittenBy, overwrittenByRecent, type VersionLink } from '../../src/protocol/concurrency.ts';
import { parseEntityTag, parseEntityTagCondition, type EntityTagCondition } from '../../src/protocol/etag.ts';
import { enginesUnderTest, openFresh, removeTempFolders } from '../storage/engines-under-test.ts';
import type { RevisionRange, RevisionRecord, Store } from '../storage/types.ts';
import { lostUpdateCount } from './documents.ts';
import { conflictHistory, FIRST_SPAN, overwrittenSince } from './history.ts';
import { seededRandom } from '../../src/lib/seeded-random.ts';

afterAll(removeTempFolders);

/** What the writer of the next version said it started from, given the tags so far (oldest first). */
function pickBasedOn(next: () => number, tags: readonly string[], foreign: string): string | null {
  const roll = next();
  const at = (back: number) => tags[Math.max(0, tags.length - back)] ?? null;
  if (roll < 0.5) return at(1);
  if (roll < 0.65) return at(2 + Math.floor(next() * 6));
  if (roll < 0.75) return at(1 + Math.floor(next() * tags.length));
  if (roll < 0.8) return `W/${at(1 + Math.floor(next() * tags.length)) ?? '"x"'}`;
  if (roll < 0.88) return null;
  if (roll < 0.94) return foreign;
  return '"never-issued"';
}

/** A history as the stores keep it: versions 1…n, each tag unique. */
function randomHistory(seed: number, length: number): VersionLink[] {
  const next = seededRandom(seed);
  const history: VersionLink[] = [];
  for (let version = 1; version <= length; version += 1) {
    const tags = history.map((link) => link.etag);
    history.push({ version, etag: `"t${seed}-${version}"`, basedOn: version === 1 ? null : pickBasedOn(next, tags, '"other-doc"') });
  }
  return history;
}

describe('overwrittenByRecent', () => {
  it('gives overwrittenBy’s answer, or asks for more, from every newest part of random histories', () => {
    let asked = 0;
    let answered = 0;
    for (let seed = 1; seed <= 60; seed += 1) {
      const history = randomHistory(seed, 1 + (seed % 40));
      for (const { version } of history) {
        const expected = overwrittenBy(history, version);
        expect(overwrittenByRecent(history, version, true), `seed ${seed}, v${version}, whole`).toEqual(expected);
        for (let after = 1; after < version; after += 1) {
          const answer = overwrittenByRecent(history.slice(after), version, false);
          if (answer === null) {
            asked += 1;
          } else {
            answered += 1;
            expect(answer, `seed ${seed}, v${version}, after ${after}`).toEqual(expected);
          }
        }
      }
    }
    // Both kinds of answer were met: the parts compared were not all too short, nor all enough.
    expect(asked).toBeGreaterThan(0);
    expect(answered).toBeGreaterThan(asked / 10);
  });

  it('answers from the last versions alone when the save started a few versions back', () => {
    const history = randomHistory(7, 1).concat(
      Array.from({ length: 999 }, (_, i): VersionLink => ({ version: i + 2, etag: `"v${i + 2}"`, basedOn: i === 0 ? '"t7-1"' : `"v${i + 1}"` })),
    );
    history.push({ version: 1001, etag: '"v1001"', basedOn: '"v997"' });
    expect(overwrittenByRecent(history.slice(990), 1001, false)).toEqual([998, 999, 1000]);
    expect(overwrittenByRecent(history.slice(998), 1001, false)).toBeNull();
    expect(overwrittenBy(history, 1001)).toEqual([998, 999, 1000]);
  });
});

/** A store that counts the versions each history read hands over, and keeps the range of each read. */
function counting(store: Store): { store: Store; rows: () => number; ranges: Array<RevisionRange | undefined> } {
  let rows = 0;
  const ranges: Array<RevisionRange | undefined> = [];
  const counted: Store = Object.create(store) as Store;
  counted.revisions = async (id: string, range?: RevisionRange): Promise<RevisionRecord[] | null> => {
    ranges.push(range);
    const read = await store.revisions(id, range);
    rows += read?.length ?? 0;
    return read;
  };
  return { store: counted, rows: () => rows, ranges };
}

/** The conflict part of the answer as the whole-history read worked it out. */
function conflictFromWhole(history: readonly RevisionRecord[], condition: EntityTagCondition) {
  const named = new Set(condition.any ? [] : condition.tags.map((tag) => tag.opaque));
  const baseVersion = history.reduce((best, r) => (named.has(parseEntityTag(r.etag).opaque) ? r.version : best), 0);
  return {
    baseVersion,
    changesSince: history.filter((r) => r.version > baseVersion).map(({ version, updatedBy, updatedAt }) => ({ version, updatedBy, updatedAt })),
  };
}

/**
 * A new document of `length` versions in `store`, each save made by `by(version)` with
 * If-Match of the version before and, when `basedOn` gives one, X-Based-On of the tag it picks
 * from those so far. Its id and every version's tag, oldest first.
 */
async function documentOf(
  store: Store,
  title: string,
  length: number,
  { by = () => 'Bob', basedOn }: { by?: (version: number) => string; basedOn?: (version: number, tags: readonly string[]) => string | null } = {},
): Promise<{ id: string; tags: string[] }> {
  const made = await store.create({ title, content: '' }, 'Ana');
  if (made.kind !== 'created') throw new Error(made.kind);
  const id = made.revision.document.id;
  const tags = [made.revision.etag];
  for (let version = 2; version <= length; version += 1) {
    const options = basedOn === undefined ? undefined : { basedOn: basedOn(version, tags) };
    const saved = await store.update(id, { title, content: String(version) }, parseEntityTagCondition(tags.at(-1) ?? ''), by(version), undefined, options);
    if (saved.kind !== 'updated') throw new Error(saved.kind);
    tags.push(saved.revision.etag);
  }
  return { id, tags };
}

describe.each(enginesUnderTest())('history reads on $name', (engine) => {
  const open: Store[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });

  it('give the whole-history answers for random histories, for every version and condition', async () => {
    const { store } = await openFresh(engine);
    open.push(store);
    const other = await store.create({ title: 'Other', content: '' }, 'Ana');
    if (other.kind !== 'created') throw new Error(other.kind);
    for (const [seed, length] of [
      [11, 40],
      [12, 150],
      [13, 260],
    ] as const) {
      const next = seededRandom(seed);
      const { id, tags } = await documentOf(store, `Random ${seed}`, length, {
        by: (version) => `W${version % 5}`,
        basedOn: (_, tags) => pickBasedOn(next, tags, other.revision.etag),
      });
      const whole = (await store.revisions(id)) ?? [];
      expect(whole).toHaveLength(length);
      for (const { version } of whole) {
        expect(await overwrittenSince(store, id, version), `seed ${seed}, v${version}`).toEqual(overwrittenBy(whole, version));
      }
      const conditions = [
        '*',
        tags[0] ?? '',
        tags.at(-1) ?? '',
        tags.at(-3) ?? '',
        `W/${tags.at(-20) ?? ''}`,
        `${tags.at(-2) ?? ''}, ${tags.at(-70) ?? ''}`,
        tags[Math.floor(next() * tags.length)] ?? '',
        '"never-issued"',
        other.revision.etag,
      ];
      for (const text of conditions) {
        const condition = parseEntityTagCondition(text);
        expect(await conflictHistory(store, id, condition, length), `seed ${seed}, ${text}`).toEqual(conflictFromWhole(whole, condition));
      }
    }
    expect(await overwrittenSince(store, 'd_nope', 3)).toEqual(overwrittenBy([], 3));
    expect(await conflictHistory(store, 'd_nope', parseEntityTagCondition('"x"'), 3)).toBeNull();
  });

  it('count lost updates as the whole histories say, reading again only what was saved since', async () => {
    const { store } = await openFresh(engine);
    open.push(store);
    const read = counting(store);
    const wholeCount = async () => {
      let lost = 0;
      for (const { id } of await store.list()) lost += annotateHistory((await store.revisions(id)) ?? []).lost.size;
      return lost;
    };
    const docs = await Promise.all(
      ['A', 'B', 'C'].map(async (title) => {
        const made = await store.create({ title, content: '' }, 'Ana');
        if (made.kind !== 'created') throw new Error(made.kind);
        return { id: made.revision.document.id, tags: [made.revision.etag] };
      }),
    );
    const save = async (doc: { id: string; tags: string[] }, basedOn: string | null) => {
      const saved = await store.update(doc.id, { title: doc.id, content: String(doc.tags.length) }, parseEntityTagCondition(doc.tags.at(-1) ?? ''), 'Bob', undefined, { basedOn });
      if (saved.kind !== 'updated') throw new Error(saved.kind);
      doc.tags.push(saved.revision.etag);
    };
    const [a, b, c] = docs;
    if (!a || !b || !c) throw new Error('three documents');
    for (let i = 0; i < 4; i += 1) await save(a, a.tags.at(-1) ?? null);
    await save(a, a.tags.at(-3) ?? null);
    await save(b, null);
    await save(b, b.tags[0] ?? null);
    expect(await lostUpdateCount(read.store)).toBe(await wholeCount());
    expect(await wholeCount()).toBe(3);
    // Nothing saved since: no history is read again.
    const before = read.rows();
    expect(await lostUpdateCount(read.store)).toBe(3);
    expect(read.rows()).toBe(before);
    // One document saved: only its history is read again.
    await save(c, null);
    await save(c, c.tags[0] ?? null);
    expect(await lostUpdateCount(read.store)).toBe(await wholeCount());
    expect(read.rows() - before).toBe(3);
    // A deleted document no longer counts.
    expect((await store.remove(a.id, parseEntityTagCondition(a.tags.at(-1) ?? ''), 'Bob')).kind).toBe('deleted');
    expect(await lostUpdateCount(read.store)).toBe(await wholeCount());
    expect(await wholeCount()).toBe(2);
  });

  it('a document deleted between two reads of its history: no answer, and the lost-update count skips it', async () => {
    const { store } = await openFresh(engine);
    open.push(store);
    const { id, tags } = await documentOf(store, 'Going', 100, { basedOn: (_, so) => so[0] ?? null });
    // The store's answer once the document is gone: no history (as for a document never made).
    const goneAfter = (reads: number): Store => {
      let calls = 0;
      const racing: Store = Object.create(store) as Store;
      racing.revisions = async (at: string, range?: RevisionRange) => ((calls += 1) > reads ? null : store.revisions(at, range));
      return racing;
    };
    expect(await conflictHistory(goneAfter(1), id, parseEntityTagCondition(tags[9] ?? ''), 100)).toBeNull();
    expect(await lostUpdateCount(goneAfter(0))).toBe(0);
    expect(await lostUpdateCount(store)).toBe(98);
  });

  it('read only the newest versions for a save a few versions stale on a long history', async () => {
    const { store } = await openFresh(engine);
    open.push(store);
    // The last save started from three versions back; the ones before from the version before.
    const { id, tags } = await documentOf(store, 'Long', 400, { basedOn: (version, so) => (version === 400 ? (so.at(-4) ?? null) : (so.at(-1) ?? null)) });
    const read = counting(store);
    expect(await overwrittenSince(read.store, id, 400)).toEqual([397, 398, 399]);
    expect(read.rows()).toBeLessThanOrEqual(FIRST_SPAN + 1);
    // One read, of the FIRST_SPAN versions before the one the save replaced, and the save.
    expect(read.ranges).toEqual([{ after: 399 - FIRST_SPAN }]);
    const conflict = counting(store);
    expect((await conflictHistory(conflict.store, id, parseEntityTagCondition(tags.at(-5) ?? ''), 400))?.baseVersion).toBe(396);
    expect(conflict.rows()).toBeLessThanOrEqual(FIRST_SPAN);
    expect(conflict.ranges).toEqual([{ after: 400 - FIRST_SPAN }]);
  });

  it('read further back in parts twice as long as the last, each version once, and only when the answer needs it', async () => {
    const { store } = await openFresh(engine);
    open.push(store);
    const { id, tags } = await documentOf(store, 'Deep', 400);
    // A base 100 versions back: the newest 32, then the 64 before them, then the 128 before those.
    const deep = counting(store);
    const found = await conflictHistory(deep.store, id, parseEntityTagCondition(tags[299] ?? ''), 400);
    expect(found?.baseVersion).toBe(300);
    expect(found?.changesSince.map((c) => c.version)).toEqual(Array.from({ length: 100 }, (_, i) => 301 + i));
    expect(deep.ranges).toEqual([
      { after: 400 - FIRST_SPAN },
      { after: 400 - 3 * FIRST_SPAN, through: 400 - FIRST_SPAN },
      { after: 400 - 7 * FIRST_SPAN, through: 400 - 3 * FIRST_SPAN },
    ]);
    expect(deep.rows()).toBe(7 * FIRST_SPAN);
    // A condition that names no version (`*`) has every save since the first as its changes: one read of all.
    const all = counting(store);
    expect((await conflictHistory(all.store, id, parseEntityTagCondition('*'), 400))?.changesSince).toHaveLength(400);
    expect(all.ranges).toEqual([{ after: 0 }]);
    // The first version replaced nothing: nothing is read.
    const first = counting(store);
    expect(await overwrittenSince(first.store, id, 1)).toEqual([]);
    expect(first.ranges).toEqual([]);
  });
});

describe('a version that is not there', () => {
  it('is told apart from a document that is not there, over HTTP', async () => {
    const server = await startTestServer();
    try {
      const created = await fetch(`${server.url}/api/docs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-User': 'Ana' },
        body: JSON.stringify({ title: 'Has one version', content: '' }),
      });
      const { id } = (await created.json()) as { id: string };
      const missingVersion = await fetch(`${server.url}/api/docs/${id}/revisions/9`);
      expect(missingVersion.status).toBe(404);
      expect(((await missingVersion.json()) as { detail: string }).detail).toBe(`Document ${id} has no version 9.`);
      const missingDocument = await fetch(`${server.url}/api/docs/d_never/revisions/9`);
      expect(missingDocument.status).toBe(404);
      expect(((await missingDocument.json()) as { detail: string }).detail).not.toContain('has no version');
    } finally {
      await server.close();
    }
  });
});
