/**
 * A write the mode let through, beaten by another write between its read and its compare-and-set
 * (docs/protocol.md §1.11): decided again against the newer version, up to 50 times, then answered
 * with the conflict. The other write is made at an exact moment by a store that runs a step of the
 * test just before (or just after) the app's own delete or save reaches the real embedded store.
 * Also `server-merge` on a merge patch, a merged save whose title another document has, and a merged
 * save beaten by another save or by its own retry before it is written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConcurrencyMode } from '../../src/protocol/concurrency.ts';
import type { Document } from '../../src/protocol/types.ts';
import { createApp, type ConflictLabApp } from '../app.ts';
import { openSqliteStore, type SqliteStore } from '../storage/sqlite-store.ts';
import type { Store } from '../storage/types.ts';

type Step = (store: SqliteStore, call: number) => Promise<void>;
type Counted = 'remove' | 'update' | 'get' | 'revisions';

interface Interleaved {
  app: ConflictLabApp;
  store: SqliteStore;
  /** How many times the app called each of the store's writes, its reads of a document and of its history. */
  calls: { remove: number; update: number; get: number; revisions: number };
  /** Runs before (or after) each of the app's calls of `method`, until set to null. */
  before: Partial<Record<Counted, Step | null>>;
  after: Partial<Record<Counted, Step | null>>;
}

const opened: Interleaved[] = [];
afterEach(async () => {
  for (const { app, store } of opened.splice(0)) {
    app.shutdown();
    await store.close();
  }
});

function interleaved(concurrency: ConcurrencyMode): Interleaved {
  const store = openSqliteStore({ folder: null, seed: false });
  const setup: Interleaved = { app: undefined as unknown as ConflictLabApp, store, calls: { remove: 0, update: 0, get: 0, revisions: 0 }, before: {}, after: {} };
  const wrapped = new Proxy(store, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      if (name !== 'remove' && name !== 'update' && name !== 'get' && name !== 'revisions') return value.bind(target) as unknown;
      return async (...args: unknown[]) => {
        const call = (setup.calls[name] += 1);
        await setup.before[name]?.(store, call);
        const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        await setup.after[name]?.(store, call);
        return result;
      };
    },
  }) as Store;
  setup.app = createApp(wrapped, { settings: { allowedHosts: ['localhost'], concurrency } });
  opened.push(setup);
  return setup;
}

const url = (id = '') => `http://localhost/api/docs${id === '' ? '' : `/${id}`}`;
const json = (method: string, body: unknown, headers: Record<string, string> = {}, type = 'application/json'): RequestInit => ({
  method,
  headers: { 'Content-Type': type, 'X-User': 'Ana', ...headers },
  body: JSON.stringify(body),
});

async function created(app: ConflictLabApp, content = 'one', title = `Race ${Math.random().toString(36).slice(2)}`): Promise<{ doc: Document; etag: string }> {
  const response = await app.request(url(), json('POST', { title, content }));
  expect(response.status).toBe(201);
  return { doc: (await response.json()) as Document, etag: response.headers.get('etag') ?? '' };
}

/** Bob's save straight into the store, of whatever version is current. */
const bobSaves =
  (id: string): Step =>
  async (store, call) => {
    const found = await store.get(id);
    if (found.kind !== 'found') throw new Error(`no document ${id} to save`);
    const result = await store.update(id, { title: found.revision.document.title, content: `Bob ${call}` }, { any: true }, 'Bob');
    expect(result.kind).toBe('updated');
  };

describe('what a write reads before it writes', () => {
  it('a save with If-Match is the store’s compare-and-set alone, made or refused: nothing is read first', async () => {
    const race = interleaved('etag');
    const { doc, etag } = await created(race.app);
    const save = (content: string) => race.app.request(url(doc.id), json('PUT', { title: doc.title, content }, { 'If-Match': etag }));
    expect((await save('two')).status).toBe(200);
    const stale = await save('three');
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ type: '/problems/edit-conflict', current: { version: 2, content: 'two' } });
    expect(race.calls).toEqual({ get: 0, update: 2, remove: 0, revisions: 0 });
  });

  it('a save in none reads the history for what it overwrote only when it did not start from the version it replaced', async () => {
    const race = interleaved('none');
    const { doc, etag } = await created(race.app);
    const seen = await race.app.request(url(doc.id), json('PUT', { title: doc.title, content: 'two' }, { 'If-Match': etag }));
    expect(seen.status).toBe(200);
    expect(await seen.json()).not.toHaveProperty('overwrote');
    expect(race.calls.revisions).toBe(0);
    const unseen = await race.app.request(url(doc.id), json('PUT', { title: doc.title, content: 'three' }, { 'If-Match': etag }));
    expect(await unseen.json()).toMatchObject({ version: 3, overwrote: [2] });
    expect(race.calls.revisions).toBeGreaterThan(0);
  });

  it('a write refused by someone else’s lock reads the document once for its answer, and writes nothing', async () => {
    const race = interleaved('lock');
    const { doc, etag } = await created(race.app);
    expect((await race.app.request(`${url(doc.id)}/lock`, json('POST', {}, { 'X-User': 'Bob' }))).status).toBe(200);
    // Each refusal reads the document once, and the conflict statistics read its title once more.
    const before = race.calls.get;
    const put = await race.app.request(url(doc.id), json('PUT', { title: doc.title, content: 'x' }, { 'If-Match': etag }));
    expect(put.status).toBe(409);
    expect(await put.json()).toMatchObject({ type: '/problems/resource-locked' });
    expect(race.calls.get - before).toBe(2);
    const patch = await race.app.request(url(doc.id), json('PATCH', { content: 'x' }, { 'If-Match': etag }, 'application/merge-patch+json'));
    expect(patch.status).toBe(409);
    expect(await patch.json()).toMatchObject({ type: '/problems/resource-locked' });
    expect(race.calls.get - before).toBe(4);
    expect(race.calls.update).toBe(0);
  });

  it('a stale delete is answered at its first compare-and-set, not decided again', async () => {
    const race = interleaved('etag');
    const { doc, etag } = await created(race.app);
    expect((await race.app.request(url(doc.id), json('PUT', { title: doc.title, content: 'two' }, { 'If-Match': etag }))).status).toBe(200);
    const response = await race.app.request(url(doc.id), { method: 'DELETE', headers: { 'X-User': 'Ana', 'If-Match': etag } });
    expect(response.status).toBe(409);
    expect(race.calls.remove).toBe(1);
  });
});

describe('a delete the mode let through, beaten by a save', () => {
  it('once: is decided again against the newer version and made', async () => {
    const race = interleaved('none');
    const { doc } = await created(race.app);
    race.before.remove = async (store, call) => {
      if (call === 1) await bobSaves(doc.id)(store, call);
    };
    const response = await race.app.request(url(doc.id), { method: 'DELETE', headers: { 'X-User': 'Ana' } });
    expect(response.status).toBe(204);
    expect(race.calls.remove).toBe(2);
    expect((await race.app.request(url(doc.id))).status).toBe(410);
  });

  it('every time: gives up after 50 tries with the conflict', async () => {
    const race = interleaved('none');
    const { doc } = await created(race.app);
    // Bob saves before each try, and stops after 60 so a delete that tries on would end.
    race.before.remove = async (store, call) => {
      if (call <= 60) await bobSaves(doc.id)(store, call);
    };
    const response = await race.app.request(url(doc.id), { method: 'DELETE', headers: { 'X-User': 'Ana' } });
    expect(race.calls.remove).toBe(50);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ type: '/problems/edit-conflict', current: { version: 51, updatedBy: 'Bob' } });
    expect((await race.app.request(url(doc.id))).status).toBe(200);
  });

  it('and then by a delete: answers that the document is gone', async () => {
    const race = interleaved('none');
    const { doc } = await created(race.app);
    race.before.remove = async (store, call) => {
      if (call === 1) await bobSaves(doc.id)(store, call);
    };
    race.after.remove = async (store, call) => {
      if (call === 1) expect((await store.remove(doc.id, { any: true }, 'Carol')).kind).toBe('deleted');
    };
    const response = await race.app.request(url(doc.id), { method: 'DELETE', headers: { 'X-User': 'Ana' } });
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ type: '/problems/gone', deletedBy: 'Carol' });
    expect(race.calls.remove).toBe(1);
  });

  it('beaten by a delete: answers that the document is gone', async () => {
    const race = interleaved('none');
    const { doc } = await created(race.app);
    race.before.remove = async (store) => {
      expect((await store.remove(doc.id, { any: true }, 'Carol')).kind).toBe('deleted');
    };
    const response = await race.app.request(url(doc.id), { method: 'DELETE', headers: { 'X-User': 'Ana' } });
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ type: '/problems/gone', deletedBy: 'Carol' });
  });
});

describe('a state change the mode let through, beaten by a save', () => {
  const publish = (race: Interleaved, id: string) => race.app.request(`${url(id)}/transitions`, json('POST', { to: 'published' }));

  it('once: is decided again and made on the newer version', async () => {
    const race = interleaved('none');
    const { doc } = await created(race.app);
    race.before.update = async (store, call) => {
      if (call === 1) await bobSaves(doc.id)(store, call);
    };
    const response = await publish(race, doc.id);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ state: 'published', version: 3, content: 'Bob 1' });
    expect(race.calls.update).toBe(2);
  });

  it('every time: gives up after 50 tries with the conflict', async () => {
    const race = interleaved('none');
    const { doc } = await created(race.app);
    race.before.update = async (store, call) => {
      if (call <= 60) await bobSaves(doc.id)(store, call);
    };
    const response = await publish(race, doc.id);
    expect(race.calls.update).toBe(50);
    expect(response.status).toBe(409);
    expect(await (await race.app.request(url(doc.id))).json()).toMatchObject({ version: 51, updatedBy: 'Bob', state: 'draft' });
  });
});

describe('a stale write whose document is deleted while its conflict is read', () => {
  // The app reads the document for the precondition check (the first get) and to decide (the
  // second), finds the write stale, then reads the conflict (the third): Carol's delete lands
  // just before the third.
  const carolDeletesBeforeSecondRead = (race: Interleaved, id: string) => {
    race.before.get = async (store, call) => {
      if (call === 3) expect((await store.remove(id, { any: true }, 'Carol')).kind).toBe('deleted');
    };
  };

  it('a state change: answers that the document is gone, and who deleted it', async () => {
    const race = interleaved('etag');
    const { doc, etag } = await created(race.app);
    await bobSaves(doc.id)(race.store, 1);
    carolDeletesBeforeSecondRead(race, doc.id);
    const response = await race.app.request(`${url(doc.id)}/transitions`, json('POST', { to: 'published' }, { 'If-Match': etag }));
    expect(race.calls.get).toBeGreaterThanOrEqual(3);
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ type: '/problems/gone', deletedBy: 'Carol' });
  });

  it('a save on a stale date: answers that the document is gone, and who deleted it', async () => {
    const race = interleaved('timestamp');
    const { doc } = await created(race.app);
    const before = new Date(Date.parse(doc.updatedAt) - 60_000).toUTCString();
    await bobSaves(doc.id)(race.store, 1);
    carolDeletesBeforeSecondRead(race, doc.id);
    const response = await race.app.request(url(doc.id), json('PUT', { title: doc.title, content: 'Ana' }, { 'If-Unmodified-Since': before }));
    expect(race.calls.get).toBeGreaterThanOrEqual(3);
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ type: '/problems/gone', deletedBy: 'Carol' });
  });
});

describe('a merge patch the mode let through, beaten by a save', () => {
  it('and then by a delete: answers that the document is gone', async () => {
    const race = interleaved('none');
    const { doc } = await created(race.app);
    race.before.update = async (store, call) => {
      if (call === 1) await bobSaves(doc.id)(store, call);
    };
    race.after.update = async (store, call) => {
      if (call === 1) expect((await store.remove(doc.id, { any: true }, 'Carol')).kind).toBe('deleted');
    };
    const response = await race.app.request(url(doc.id), json('PATCH', { content: 'Ana' }, {}, 'application/merge-patch+json'));
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ type: '/problems/gone', deletedBy: 'Carol' });
    expect(race.calls.update).toBe(1);
  });

  it('every time: gives up after 50 tries with the conflict', async () => {
    const race = interleaved('none');
    const { doc } = await created(race.app);
    race.before.update = async (store, call) => {
      if (call <= 60) await bobSaves(doc.id)(store, call);
    };
    const response = await race.app.request(url(doc.id), json('PATCH', { content: 'Ana' }, {}, 'application/merge-patch+json'));
    expect(race.calls.update).toBe(50);
    expect(response.status).toBe(409);
  });
});

describe('server-merge', () => {
  it('merges a stale merge patch into the current version', async () => {
    const race = interleaved('server-merge');
    const { doc, etag } = await created(race.app, 'first line\nsecond line\n');
    const bob = await race.app.request(url(doc.id), json('PUT', { title: doc.title, content: 'first line, by Bob\nsecond line\n' }, { 'If-Match': etag, 'X-User': 'Bob' }));
    expect(bob.status).toBe(200);
    const ana = await race.app.request(url(doc.id), json('PATCH', { content: 'first line\nsecond line, by Ana\n' }, { 'If-Match': etag }, 'application/merge-patch+json'));
    expect(ana.status).toBe(200);
    expect(await ana.json()).toMatchObject({ version: 3, mergedFrom: [1, 2], content: 'first line, by Bob\nsecond line, by Ana\n', title: doc.title });
  });

  it('keeps the title only the stale writer changed, and refuses two different new titles', async () => {
    const race = interleaved('server-merge');
    const { doc, etag } = await created(race.app, 'a\nb\n');
    const put = (body: { title: string; content: string }, user: string) =>
      race.app.request(url(doc.id), json('PUT', body, { 'If-Match': etag, 'X-User': user }));
    expect((await put({ title: doc.title, content: 'a, by Bob\nb\n' }, 'Bob')).status).toBe(200);
    const renamed = await put({ title: `${doc.title} (Ana)`, content: 'a\nb, by Ana\n' }, 'Ana');
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ title: `${doc.title} (Ana)`, content: 'a, by Bob\nb, by Ana\n', mergedFrom: [1, 2] });
    // The current version now has Ana's title; a third writer from version 1 with another title clashes.
    const clash = await put({ title: `${doc.title} (Carol)`, content: 'a\nb\n' }, 'Carol');
    expect(clash.status).toBe(409);
    expect(await clash.json()).toMatchObject({ type: '/problems/edit-conflict' });
  });

  it('a merged save beaten by another save before it is written: the conflict, not written over it', async () => {
    const race = interleaved('server-merge');
    const { doc, etag } = await created(race.app, 'a\nb\n');
    expect((await race.app.request(url(doc.id), json('PUT', { title: doc.title, content: 'a, by Bob\nb\n' }, { 'If-Match': etag, 'X-User': 'Bob' }))).status).toBe(200);
    // Ana's save: its compare-and-set (the conflict), then the merged save, which Bob's next save beats.
    race.before.update = async (store, call) => {
      if (call === 3) await bobSaves(doc.id)(store, call);
    };
    const ana = await race.app.request(url(doc.id), json('PUT', { title: doc.title, content: 'a\nb, by Ana\n' }, { 'If-Match': etag }));
    expect(ana.status).toBe(409);
    expect(await ana.json()).toMatchObject({ type: '/problems/edit-conflict', current: { version: 2 } });
    expect(race.calls.update).toBe(3);
    expect(await race.store.get(doc.id)).toMatchObject({ kind: 'found', revision: { document: { version: 3, content: 'Bob 3' } } });
  });

  it('a merged save whose retry was merged first: the retry’s version, not a conflict nor a second merge', async () => {
    const race = interleaved('server-merge');
    const { doc, etag } = await created(race.app, 'a\nb\n');
    expect((await race.app.request(url(doc.id), json('PUT', { title: doc.title, content: 'a, by Bob\nb\n' }, { 'If-Match': etag, 'X-User': 'Bob' }))).status).toBe(200);
    const save = () => race.app.request(url(doc.id), json('PUT', { title: doc.title, content: 'a\nb, by Ana\n' }, { 'If-Match': etag, 'Idempotency-Key': 'ana-merge-1' }));
    // Just before Ana's merged save is written, her retry (same key, same request) is merged and written.
    let retried: Response | undefined;
    race.before.update = async (_store, call) => {
      if (call !== 3) return;
      retried = await save();
    };
    const first = await save();
    expect(retried?.status).toBe(200);
    expect(await retried?.json()).toMatchObject({ version: 3, mergedFrom: [1, 2], content: 'a, by Bob\nb, by Ana\n' });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ version: 3, content: 'a, by Bob\nb, by Ana\n' });
    expect(await race.store.get(doc.id)).toMatchObject({ kind: 'found', revision: { document: { version: 3 } } });
  });

  it('answers a merged save whose title another document has with that document', async () => {
    const race = interleaved('server-merge');
    const other = await created(race.app, 'other', 'Taken title');
    const { doc, etag } = await created(race.app, 'a\nb\n');
    expect((await race.app.request(url(doc.id), json('PUT', { title: doc.title, content: 'a, by Bob\nb\n' }, { 'If-Match': etag, 'X-User': 'Bob' }))).status).toBe(200);
    const ana = await race.app.request(url(doc.id), json('PUT', { title: 'Taken title', content: 'a\nb, by Ana\n' }, { 'If-Match': etag }));
    expect(ana.status).toBe(409);
    expect(await ana.json()).toMatchObject({
      type: '/problems/duplicate-title',
      detail: 'Another document is already titled "Taken title".',
      existing: { id: other.doc.id, title: 'Taken title' },
    });
  });
});
