/**
 * The store contract, run on every engine (a real SQLite file; a real PostgreSQL database when
 * one is available, always in CI): the same calls give the same answers.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseEntityTagCondition } from '../../src/protocol/etag.ts';
import { created, enginesUnderTest, openFresh, removeTempFolders } from './engines-under-test.ts';
import { DATABASE_FILE } from './sqlite-store.ts';
import { openStore, type StorageConfig } from './open.ts';
import type { Store, StoreChange } from './types.ts';

const ifMatch = parseEntityTagCondition;

afterAll(removeTempFolders);

describe.each(enginesUnderTest())('store contract on $name', (engine) => {
  const open: Store[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });

  async function fresh(options?: { seed?: boolean }): Promise<{ store: Store; config: StorageConfig }> {
    const opened = await openFresh(engine, options);
    open.push(opened.store);
    return opened;
  }

  async function reopen(config: StorageConfig, previous?: Store): Promise<Store> {
    // A restart: the embedded store must be closed first (it holds its folder); PostgreSQL
    // takes a second server beside the first just as well.
    if (previous && config.kind !== 'postgres') await previous.close();
    const store = await openStore({ ...config, seed: false });
    open.push(store);
    return store;
  }

  it('starts with three sample documents: notes, prose and code', async () => {
    const { store } = await fresh({ seed: true });
    const docs = await store.list();
    expect(docs.map((d) => d.title)).toEqual(['Team meeting notes', 'Why saves conflict', 'Retry with backoff (snippet)']);
    expect(new Set(docs.map((d) => d.etag)).size).toBe(3);
    expect(docs.every((d) => d.version === 1)).toBe(true);
  });

  it('creates version 1 with a strong tag, exactly as given', async () => {
    const { store } = await fresh();
    const revision = await created(store, '  Spaced title ', 'line\r\nnext 🙂 Łódź 中文\u0000');
    expect(revision.document).toMatchObject({ title: '  Spaced title ', content: 'line\r\nnext 🙂 Łódź 中文\u0000', version: 1, updatedBy: 'Ana' });
    expect(revision.etag).toMatch(/^"[^"]+"$/);
    expect(await store.get(revision.document.id)).toEqual({ kind: 'found', revision });
  });

  it('saves a new version when If-Match names the current tag, and keeps the history', async () => {
    const { store } = await fresh();
    const v1 = await created(store);
    const result = await store.update(v1.document.id, { title: 'Notes', content: 'two' }, ifMatch(v1.etag), 'Bob');
    expect(result.kind).toBe('updated');
    if (result.kind !== 'updated') return;
    expect(result.revision.document).toMatchObject({ version: 2, content: 'two', updatedBy: 'Bob' });
    expect(result.revision.etag).not.toBe(v1.etag);
    expect((await store.revisions(v1.document.id))?.map((r) => [r.version, r.etag])).toEqual([
      [1, v1.etag],
      [2, result.revision.etag],
    ]);
    expect((await store.revision(v1.document.id, 1))?.document.content).toBe('one');
    expect(await store.revision(v1.document.id, 3)).toBeNull();
    expect(await store.revisions('d_nope')).toBeNull();
  });

  it('reads the versions in a range, oldest first; none past the last; null for an unknown document', async () => {
    const { store } = await fresh();
    let current = await created(store);
    const id = current.document.id;
    for (let i = 2; i <= 5; i += 1) {
      const result = await store.update(id, { title: 'Notes', content: String(i) }, ifMatch(current.etag), 'Bob');
      if (result.kind !== 'updated') throw new Error(`expected updated, got ${result.kind}`);
      current = result.revision;
    }
    const all = await store.revisions(id);
    expect(all?.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
    expect(await store.revisions(id, { after: 2 })).toEqual(all?.slice(2));
    expect(await store.revisions(id, { after: 0 })).toEqual(all);
    expect(await store.revisions(id, { after: 1, through: 3 })).toEqual(all?.slice(1, 3));
    expect(await store.revisions(id, { through: 2 })).toEqual(all?.slice(0, 2));
    expect(await store.revisions(id, { after: 3, through: 3 })).toEqual([]);
    expect(await store.revisions(id, { through: 0 })).toEqual([]);
    expect(await store.revisions('d_nope', { through: 0 })).toBeNull();
    expect(await store.revisions(id, { after: 5 })).toEqual([]);
    expect(await store.revisions('d_nope', { after: 0 })).toBeNull();
    // A deleted document keeps its history, and so its range.
    expect((await store.remove(id, ifMatch(current.etag), 'Bob')).kind).toBe('deleted');
    expect((await store.revisions(id, { after: 3 }))?.map((r) => r.version)).toEqual([4, 5]);
    expect(await store.revisions(id, { after: 9 })).toEqual([]);
  });

  it('lets exactly one of many saves on the same tag through', async () => {
    const { store } = await fresh();
    const v1 = await created(store, 'Race', '0');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.update(v1.document.id, { title: 'Race', content: String(i) }, ifMatch(v1.etag), `W${i}`)),
    );
    expect(results.filter((r) => r.kind === 'updated')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'conflict')).toHaveLength(19);
    expect(await store.revisions(v1.document.id)).toHaveLength(2);
  });

  it('refuses a stale tag with the base, the current version and every change since', async () => {
    const { store } = await fresh();
    const v1 = await created(store);
    const id = v1.document.id;
    const v2 = await store.update(id, { title: 'Notes', content: 'two' }, ifMatch(v1.etag), 'Bob');
    if (v2.kind !== 'updated') throw new Error('setup');
    const v3 = await store.update(id, { title: 'Notes', content: 'three' }, ifMatch(v2.revision.etag), 'Carol');
    if (v3.kind !== 'updated') throw new Error('setup');

    const stale = await store.update(id, { title: 'Notes', content: 'mine' }, ifMatch(v1.etag), 'Ana');
    expect(stale.kind).toBe('conflict');
    if (stale.kind !== 'conflict') return;
    expect(stale.base?.document.version).toBe(1);
    expect(stale.current.document.version).toBe(3);
    expect(stale.changesSince.map((c) => [c.version, c.updatedBy])).toEqual([
      [2, 'Bob'],
      [3, 'Carol'],
    ]);
    expect(await store.get(id)).toMatchObject({ kind: 'found', revision: { document: { content: 'three' } } });
  });

  it('takes a conflict’s base from the newest version an If-Match lists, in whatever order, weak tags too', async () => {
    const { store } = await fresh();
    let current = await created(store);
    const id = current.document.id;
    const tags = [current.etag];
    for (let i = 2; i <= 4; i += 1) {
      const result = await store.update(id, { title: 'Notes', content: String(i) }, ifMatch(current.etag), 'Bob');
      if (result.kind !== 'updated') throw new Error('setup');
      current = result.revision;
      tags.push(current.etag);
    }
    const [t1, t2, t3] = tags;
    for (const condition of [`${t2}, ${t1}`, `${t1}, ${t2}`, `${t1}, "unknown", ${t2}`, `W/${t2}, ${t1}`]) {
      const result = await store.update(id, { title: 'Notes', content: 'mine' }, ifMatch(condition), 'Ana');
      expect(result, condition).toMatchObject({ kind: 'conflict', base: { etag: t2, document: { version: 2 } }, current: { etag: current.etag } });
      if (result.kind === 'conflict') expect(result.changesSince.map((c) => c.version), condition).toEqual([3, 4]);
    }
    const removed = await store.remove(id, ifMatch(`${t1}, ${t3}`), 'Ana');
    expect(removed).toMatchObject({ kind: 'conflict', base: { etag: t3 } });
    if (removed.kind === 'conflict') expect(removed.changesSince.map((c) => c.version)).toEqual([4]);
    expect(await store.revisions(id)).toHaveLength(4);
  });

  it('gives base null and the whole history when the tag names no known version', async () => {
    const { store } = await fresh();
    const v1 = await created(store);
    const result = await store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch('"unknown"'), 'Ana');
    expect(result).toMatchObject({ kind: 'conflict', base: null, changesSince: [{ version: 1 }] });
  });

  it('never lets a weak tag pass, even for the current version', async () => {
    const { store } = await fresh();
    const v1 = await created(store);
    const result = await store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch(`W/${v1.etag}`), 'Ana');
    expect(result.kind).toBe('conflict');
    expect(await store.revisions(v1.document.id)).toHaveLength(1);
  });

  it('treats a stale tag as a conflict even when the same user sends the stored text again', async () => {
    const { store } = await fresh();
    const v1 = await created(store, 'Counter', '5');
    const first = await store.update(v1.document.id, { title: 'Counter', content: '6' }, ifMatch(v1.etag), 'anonymous');
    expect(first.kind).toBe('updated');
    // Another client with the same (default) name that also moved 5 → 6: not a retry.
    const second = await store.update(v1.document.id, { title: 'Counter', content: '6' }, ifMatch(v1.etag), 'anonymous');
    expect(second.kind).toBe('conflict');
  });

  it('answers a repeated idempotency key with the first answer, and a reused key with a mismatch', async () => {
    const { store } = await fresh();
    const v1 = await created(store, 'Keyed', 'one');
    const id = v1.document.id;
    const key = { key: 'k-1', fingerprint: 'f-1' };
    const first = await store.update(id, { title: 'Keyed', content: 'two' }, ifMatch(v1.etag), 'Ana', key);
    if (first.kind !== 'updated') throw new Error(first.kind);
    const retry = await store.update(id, { title: 'Keyed', content: 'two' }, ifMatch(v1.etag), 'Ana', key);
    expect(retry).toEqual({ kind: 'replayed', revision: first.revision });
    expect(await store.revisions(id)).toHaveLength(2);
    const other = await store.update(id, { title: 'Keyed', content: 'three' }, ifMatch(first.revision.etag), 'Ana', { key: 'k-1', fingerprint: 'f-2' });
    expect(other).toEqual({ kind: 'idempotency-mismatch' });

    const create = { key: 'k-create', fingerprint: 'f' };
    const made = await store.create({ title: 'Made once', content: '' }, 'Ana', { idempotency: create });
    if (made.kind !== 'created') throw new Error(made.kind);
    expect(await store.create({ title: 'Made once', content: '' }, 'Ana', { idempotency: create })).toEqual({ kind: 'replayed', revision: made.revision });
  });

  it('does not remember the key of a create refused for its title: the same key creates once the title is free', async () => {
    const { store } = await fresh();
    const taken = await created(store, 'Taken title');
    const key = { key: 'k-title', fingerprint: 'f' };
    expect(await store.create({ title: 'taken title', content: '' }, 'Bob', { idempotency: key })).toMatchObject({ kind: 'duplicate-title', existing: { id: taken.document.id } });
    expect((await store.remove(taken.document.id, ifMatch(taken.etag), 'Ana')).kind).toBe('deleted');
    expect(await store.create({ title: 'taken title', content: '' }, 'Bob', { idempotency: key })).toMatchObject({ kind: 'created' });
  });

  it('remembers idempotency keys across a restart', async () => {
    const { store, config } = await fresh();
    const v1 = await created(store, 'Kept key', 'one');
    const key = { key: 'k-restart', fingerprint: 'f' };
    const first = await store.update(v1.document.id, { title: 'Kept key', content: 'two' }, ifMatch(v1.etag), 'Ana', key);
    if (first.kind !== 'updated') throw new Error(first.kind);
    const again = await reopen(config, store);
    expect(await again.update(v1.document.id, { title: 'Kept key', content: 'two' }, ifMatch(v1.etag), 'Ana', key)).toEqual({
      kind: 'replayed',
      revision: first.revision,
    });
  });

  it('answers not-found for a document that never existed, to reads and writes alike', async () => {
    const { store } = await fresh();
    expect(await store.get('d_nope')).toEqual({ kind: 'not-found' });
    expect(await store.update('d_nope', { title: 'Nope', content: '' }, ifMatch('"a.1"'), 'Ana')).toEqual({ kind: 'not-found' });
    expect(await store.update('d_nope', { title: 'Nope', content: '' }, ifMatch('*'), 'Ana')).toEqual({ kind: 'not-found' });
    expect(await store.remove('d_nope', ifMatch('*'), 'Ana')).toEqual({ kind: 'not-found' });
    expect(await store.revision('d_nope', 1)).toBeNull();
  });

  it('requires a condition to save or delete', async () => {
    const { store } = await fresh();
    const v1 = await created(store);
    expect((await store.update(v1.document.id, { title: 'Notes', content: 'x' }, null, 'Ana')).kind).toBe('precondition-required');
    expect((await store.remove(v1.document.id, null, 'Ana')).kind).toBe('precondition-required');
  });

  it('accepts * for any existing document', async () => {
    const { store } = await fresh();
    const v1 = await created(store);
    expect((await store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch('*'), 'Ana')).kind).toBe('updated');
    expect((await store.remove(v1.document.id, ifMatch('*'), 'Ana')).kind).toBe('deleted');
  });

  it('lets many saves on * through at once, one after another; of many on a list of tags, exactly one', async () => {
    const { store } = await fresh();
    const v1 = await created(store, 'Any', '0');
    const id = v1.document.id;
    const any = await Promise.all(Array.from({ length: 8 }, (_, i) => store.update(id, { title: 'Any', content: String(i) }, ifMatch('*'), `W${i}`)));
    expect(any.map((r) => r.kind)).toEqual(Array(8).fill('updated'));
    expect((await store.revisions(id))?.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const found = await store.get(id);
    if (found.kind !== 'found') throw new Error(found.kind);
    const listed = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.update(id, { title: 'Any', content: `l${i}` }, ifMatch(`${found.revision.etag}, "never-issued"`), `L${i}`)),
    );
    expect(listed.filter((r) => r.kind === 'updated')).toHaveLength(1);
    const refused = listed.filter((r) => r.kind === 'conflict');
    expect(refused).toHaveLength(7);
    for (const r of refused) expect(r).toMatchObject({ base: { etag: found.revision.etag }, current: { document: { version: 10 } }, changesSince: [{ version: 10 }] });
  });

  it('answers saves on * that race with one idempotency key once, and replays that answer to the others', async () => {
    const { store } = await fresh();
    const v1 = await created(store, 'Raced key', '0');
    const key = { key: 'k-race', fingerprint: 'f' };
    const results = await Promise.all(Array.from({ length: 6 }, () => store.update(v1.document.id, { title: 'Raced key', content: 'once' }, ifMatch('*'), 'Ana', key)));
    const updated = results.filter((r) => r.kind === 'updated');
    expect(updated).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'replayed')).toEqual(Array(5).fill({ kind: 'replayed', revision: updated[0]?.revision }));
    expect(await store.revisions(v1.document.id)).toHaveLength(2);
  });

  it('deletes once when many deletes on * race; the others find it gone', async () => {
    const { store } = await fresh();
    const v1 = await created(store, 'Raced delete');
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => store.remove(v1.document.id, ifMatch('*'), `D${i}`)));
    expect(results.filter((r) => r.kind === 'deleted')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'gone')).toHaveLength(5);
    expect(await store.get(v1.document.id)).toMatchObject({ kind: 'gone' });
  });

  it('refuses duplicate titles among live documents only, after trim and case folding', async () => {
    const { store } = await fresh();
    const a = await created(store, 'Plan');
    expect(await store.create({ title: '  pLAN ', content: '' }, 'Bob')).toEqual({
      kind: 'duplicate-title',
      existing: { id: a.document.id, title: 'Plan' },
    });
    const b = await created(store, 'Other');
    expect((await store.update(b.document.id, { title: 'PLAN', content: '' }, ifMatch(b.etag), 'Bob')).kind).toBe('duplicate-title');
    // Renaming a document to its own title in another case is fine.
    expect((await store.update(a.document.id, { title: 'PLAN', content: 'one' }, ifMatch(a.etag), 'Bob')).kind).toBe('updated');
    await store.remove(b.document.id, ifMatch('*'), 'Bob');
    expect((await store.create({ title: 'Other', content: '' }, 'Bob')).kind).toBe('created');
  });

  it('keeps track of titles through renames, restarts and resets', async () => {
    const { store, config } = await fresh();
    const a = await created(store, 'Draft');
    const renamed = await store.update(a.document.id, { title: 'Final', content: 'one' }, ifMatch(a.etag), 'Ana');
    if (renamed.kind !== 'updated') throw new Error(renamed.kind);
    expect((await store.create({ title: 'draft', content: '' }, 'Bob')).kind).toBe('created');
    expect(await store.create({ title: 'FINAL', content: '' }, 'Bob')).toEqual({
      kind: 'duplicate-title',
      existing: { id: a.document.id, title: 'Final' },
    });
    await store.remove(a.document.id, ifMatch(renamed.revision.etag), 'Ana');
    const restarted = await reopen(config, store);
    expect((await restarted.create({ title: 'Draft', content: '' }, 'Bob')).kind).toBe('duplicate-title');
    expect((await restarted.create({ title: 'Final', content: '' }, 'Bob')).kind).toBe('created');
    // A reset deletes every document, so the sample titles come back and nothing else is taken.
    const samples = await restarted.resetToSamples('Ana');
    expect(samples).toHaveLength(3);
    expect((await restarted.create({ title: 'Draft', content: '' }, 'Bob')).kind).toBe('created');
    expect((await restarted.create({ title: samples[0]?.title ?? '', content: '' }, 'Bob')).kind).toBe('duplicate-title');
  });

  it('marks deleted documents gone, keeps their history, and never reuses their tags', async () => {
    const { store } = await fresh();
    const v1 = await created(store);
    expect((await store.remove(v1.document.id, ifMatch(v1.etag), 'Bob')).kind).toBe('deleted');
    expect(await store.get(v1.document.id)).toMatchObject({ kind: 'gone', by: 'Bob' });
    expect((await store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch('*'), 'Ana')).kind).toBe('gone');
    expect((await store.remove(v1.document.id, ifMatch('*'), 'Ana')).kind).toBe('gone');
    expect(await store.revisions(v1.document.id)).toHaveLength(1);
    const again = await created(store);
    expect(again.document.id).not.toBe(v1.document.id);
    expect(again.etag).not.toBe(v1.etag);
  });

  it('stores why the demo reset deleted a document, across a restart; a person’s delete has no reason', async () => {
    const { store, config } = await fresh();
    const changes: Array<Pick<StoreChange, 'type' | 'id' | 'reason'>> = [];
    store.subscribe(({ type, id, reason }) => changes.push({ type, id, ...(reason && { reason }) }));
    const byBob = await created(store, 'By Bob');
    const byReset = await created(store, 'By the reset');
    expect((await store.remove(byBob.document.id, ifMatch(byBob.etag), 'Bob')).kind).toBe('deleted');
    await store.resetToSamples('Teacher');
    const gone = { kind: 'gone', by: 'Teacher', reason: 'reset' };
    expect(await store.get(byReset.document.id)).toMatchObject(gone);
    // Every answer about it carries the reason, not only a read.
    expect(await store.update(byReset.document.id, { title: 'x', content: 'x' }, ifMatch(byReset.etag), 'Ana')).toMatchObject(gone);
    expect(await store.remove(byReset.document.id, ifMatch('*'), 'Ana')).toMatchObject(gone);
    const bob = await store.get(byBob.document.id);
    expect(bob).toMatchObject({ kind: 'gone', by: 'Bob' });
    expect(bob).not.toHaveProperty('reason');
    await expect.poll(() => changes.filter((c) => c.type === 'deleted')).toEqual([
      { type: 'deleted', id: byBob.document.id },
      { type: 'deleted', id: byReset.document.id, reason: 'reset' },
    ]);

    const again = await reopen(config, store);
    expect(await again.get(byReset.document.id)).toMatchObject(gone);
    expect(await again.get(byBob.document.id)).not.toHaveProperty('reason');
  });

  it('tells listeners about every committed change, in order', async () => {
    const { store } = await fresh();
    const changes: Array<Pick<StoreChange, 'type' | 'version' | 'updatedBy'>> = [];
    store.subscribe(({ type, version, updatedBy }) => changes.push({ type, version, updatedBy }));
    const v1 = await created(store);
    await store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch('"stale"'), 'Ana');
    await store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch(v1.etag), 'Bob');
    await store.remove(v1.document.id, ifMatch('*'), 'Carol');
    // PostgreSQL tells listeners through NOTIFY, a moment after the commit.
    await expect.poll(() => changes).toEqual([
      { type: 'created', version: 1, updatedBy: 'Ana' },
      { type: 'updated', version: 2, updatedBy: 'Bob' },
      { type: 'deleted', version: 2, updatedBy: 'Carol' },
    ]);
  });

  it('stops telling a listener once it unsubscribes, and goes on telling the others', async () => {
    const { store } = await fresh();
    const left: string[] = [];
    const stayed: string[] = [];
    const unsubscribe = store.subscribe((change) => left.push(change.type));
    store.subscribe((change) => stayed.push(change.type));
    const v1 = await created(store);
    await expect.poll(() => left).toEqual(['created']);
    unsubscribe();
    await store.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch(v1.etag), 'Bob');
    // Both listeners are told in the same turn: once the one that stayed has heard, so would the other.
    await expect.poll(() => stayed).toEqual(['created', 'updated']);
    expect(left).toEqual(['created']);
  });

  it('keeps every document, version and tag across a restart, and mints tags that never collide', async () => {
    const { store, config } = await fresh();
    const v1 = await created(store);
    const v2 = await store.update(v1.document.id, { title: 'Notes', content: 'two' }, ifMatch(v1.etag), 'Bob');
    if (v2.kind !== 'updated') throw new Error(v2.kind);
    const restarted = await reopen(config, store);
    expect(await restarted.get(v1.document.id)).toEqual({ kind: 'found', revision: v2.revision });
    expect(await restarted.revision(v1.document.id, 1)).toEqual(v1);
    // The stale tag from before the restart still fails; the current one still passes.
    expect((await restarted.update(v1.document.id, { title: 'Notes', content: 'x' }, ifMatch(v1.etag), 'Ana')).kind).toBe('conflict');
    const v3 = await restarted.update(v1.document.id, { title: 'Notes', content: 'three' }, ifMatch(v2.revision.etag), 'Ana');
    if (v3.kind !== 'updated') throw new Error(v3.kind);
    expect([v1.etag, v2.revision.etag]).not.toContain(v3.revision.etag);
  });

  it('records the tag each writer started from, and keeps the state unless a save names one', async () => {
    const { store, config } = await fresh();
    const v1 = await created(store, 'Stated', 'one');
    const id = v1.document.id;
    expect(v1).toMatchObject({ basedOn: null, document: { state: 'draft' } });
    const v2 = await store.update(id, { title: 'Stated', content: 'two' }, ifMatch(v1.etag), 'Bob');
    if (v2.kind !== 'updated') throw new Error(v2.kind);
    expect(v2.revision).toMatchObject({ basedOn: v1.etag, document: { state: 'draft' } });
    const v3 = await store.update(id, { title: 'Stated', content: 'three', state: 'published' }, ifMatch('*'), 'Ana', undefined, {
      basedOn: v1.etag,
    });
    if (v3.kind !== 'updated') throw new Error(v3.kind);
    const v4 = await store.update(id, { title: 'Stated', content: 'four' }, ifMatch('*'), 'Ana', undefined, { basedOn: null });
    if (v4.kind !== 'updated') throw new Error(v4.kind);
    expect(v4.revision).toMatchObject({ basedOn: null, document: { state: 'published' } });
    const expected = [
      { version: 1, basedOn: null, state: 'draft' },
      { version: 2, basedOn: v1.etag, state: 'draft' },
      { version: 3, basedOn: v1.etag, state: 'published' },
      { version: 4, basedOn: null, state: 'published' },
    ];
    expect((await store.revisions(id))?.map(({ version, basedOn, state }) => ({ version, basedOn, state }))).toEqual(expected);
    expect((await store.list()).find((d) => d.id === id)?.state).toBe('published');
    const restarted = await reopen(config, store);
    expect((await restarted.revisions(id))?.map(({ version, basedOn, state }) => ({ version, basedOn, state }))).toEqual(expected);
    expect(await restarted.get(id)).toEqual({ kind: 'found', revision: v4.revision });
  });

  it('saves only in the states a write names, checked after the condition, with one tag or *', async () => {
    const { store } = await fresh();
    const v1 = await created(store, 'Shelved', 'one');
    const id = v1.document.id;
    const archived = await store.update(id, { title: 'Shelved', content: 'one', state: 'archived' }, ifMatch(v1.etag), 'Ana');
    if (archived.kind !== 'updated') throw new Error(archived.kind);
    const editable = { inStates: ['draft', 'published'] as const };
    for (const condition of [archived.revision.etag, '*']) {
      const refused = await store.update(id, { title: 'Shelved', content: 'two' }, ifMatch(condition), 'Bob', undefined, editable);
      expect(refused).toEqual({ kind: 'wrong-state', current: archived.revision });
    }
    // A stale tag is a conflict, whatever the state.
    expect((await store.update(id, { title: 'Shelved', content: 'two' }, ifMatch(v1.etag), 'Bob', undefined, editable)).kind).toBe('conflict');
    expect(await store.revisions(id)).toHaveLength(2);
    const kept = await store.update(id, { title: 'Shelved', content: 'two' }, ifMatch(archived.revision.etag), 'Bob', undefined, { inStates: ['archived'] });
    expect(kept).toMatchObject({ kind: 'updated', revision: { basedOn: archived.revision.etag, document: { version: 3, state: 'archived' } } });
  });

  it('creates under a client-chosen id once, and refuses an id that exists or existed', async () => {
    const { store } = await fresh();
    const made = await store.create({ title: 'Chosen', content: 'x', state: 'published' }, 'Ana', { id: 'my-notes' });
    if (made.kind !== 'created') throw new Error(made.kind);
    expect(made.revision).toMatchObject({ basedOn: null, document: { id: 'my-notes', version: 1, state: 'published' } });
    expect(await store.create({ title: 'Other', content: '' }, 'Bob', { id: 'my-notes' })).toEqual({ kind: 'exists', id: 'my-notes', deleted: false });
    const [first, second] = await Promise.all([
      store.create({ title: 'Race one', content: '' }, 'Ana', { id: 'raced' }),
      store.create({ title: 'Race two', content: '' }, 'Bob', { id: 'raced' }),
    ]);
    expect([first.kind, second.kind].sort()).toEqual(['created', 'exists']);
    expect((await store.remove('my-notes', ifMatch(made.revision.etag), 'Ana')).kind).toBe('deleted');
    expect(await store.create({ title: 'Again', content: '' }, 'Bob', { id: 'my-notes' })).toEqual({ kind: 'exists', id: 'my-notes', deleted: true });
  });

  it('migrates a database from before basedOn and states: each revision based on the one before, all drafts', async () => {
    const { store, config } = await fresh();
    const v1 = await created(store, 'Old', 'one');
    const id = v1.document.id;
    const v2 = await store.update(id, { title: 'Old', content: 'two' }, ifMatch(v1.etag), 'Bob');
    if (v2.kind !== 'updated') throw new Error(v2.kind);
    await store.close();
    await downgradeToFirstSchema(config);

    const migrated = await reopen(config);
    expect((await migrated.revisions(id))?.map(({ version, basedOn, state }) => ({ version, basedOn, state }))).toEqual([
      { version: 1, basedOn: null, state: 'draft' },
      { version: 2, basedOn: v1.etag, state: 'draft' },
    ]);
    expect(await migrated.get(id)).toEqual({ kind: 'found', revision: v2.revision });
    const v3 = await migrated.update(id, { title: 'Old', content: 'three', state: 'archived' }, ifMatch(v2.revision.etag), 'Ana');
    expect(v3).toMatchObject({ kind: 'updated', revision: { basedOn: v2.revision.etag, document: { state: 'archived' } } });
  });

  it('migrates a database from before deletion reasons: old deletions stay a person’s, a reset after it records its reason', async () => {
    const { store, config } = await fresh();
    const deleted = await created(store, 'Deleted before');
    const kept = await created(store, 'Kept');
    expect((await store.remove(deleted.document.id, ifMatch(deleted.etag), 'Bob')).kind).toBe('deleted');
    await store.close();
    await downgradeToBeforeDeletionReasons(config);

    const migrated = await reopen(config);
    const before = await migrated.get(deleted.document.id);
    expect(before).toMatchObject({ kind: 'gone', by: 'Bob' });
    expect(before).not.toHaveProperty('reason');
    expect(await migrated.get(kept.document.id)).toEqual({ kind: 'found', revision: kept });
    await migrated.resetToSamples('Teacher');
    expect(await migrated.get(kept.document.id)).toMatchObject({ kind: 'gone', by: 'Teacher', reason: 'reset' });
  });
});

/** Runs one SQL text on a store's database, as the engine under test speaks it. */
async function alterStore(config: StorageConfig, sql: { postgres: string; sqlite: string }): Promise<void> {
  if (config.kind === 'postgres') {
    const client = new pg.Client({ connectionString: config.url });
    await client.connect();
    try {
      await client.query(sql.postgres);
    } finally {
      await client.end();
    }
    return;
  }
  if (config.kind !== 'folder') throw new Error(`cannot downgrade a ${config.kind} store`);
  const db = new Database(join(config.folder, DATABASE_FILE));
  try {
    db.exec(sql.sqlite);
  } finally {
    db.close();
  }
}

/**
 * Turns a store back into the schema before deletions had a reason (SQLite's version 2,
 * PostgreSQL's 3): the column gone, the version marker saying so.
 */
function downgradeToBeforeDeletionReasons(config: StorageConfig): Promise<void> {
  return alterStore(config, {
    postgres: "ALTER TABLE documents DROP COLUMN deleted_reason; UPDATE meta SET value = '3' WHERE key = 'schema_version'",
    sqlite: "ALTER TABLE documents DROP COLUMN deleted_reason; UPDATE meta SET value = '2' WHERE key = 'schema_version'",
  });
}

/**
 * Turns a store back into the first schema (no based_on, no state, no deletion reason, no version marker), as a
 * database made before those existed looks.
 */
function downgradeToFirstSchema(config: StorageConfig): Promise<void> {
  return alterStore(config, {
    postgres:
      "ALTER TABLE revisions DROP COLUMN based_on, DROP COLUMN state; ALTER TABLE documents DROP COLUMN deleted_reason; DELETE FROM meta WHERE key = 'schema_version'",
    sqlite:
      "ALTER TABLE revisions DROP COLUMN based_on; ALTER TABLE revisions DROP COLUMN state; ALTER TABLE documents DROP COLUMN deleted_reason; DELETE FROM meta WHERE key = 'schema_version'",
  });
}
