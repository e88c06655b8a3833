/**
 * The PostgreSQL store against a real database that races it, refuses it or loses its connection:
 * what a write costs in statements and connections (through a proxy that reads the wire
 * protocol), a write that PostgreSQL ends to break a deadlock or to keep REPEATABLE READ, two
 * servers racing on one key or one delete, a connection that drops mid-write, a statement or lock
 * timeout, a session the server ends, a commit whose answer never comes back (the 503s of each,
 * over HTTP), a role that may not write, listen or make tables, and what opening a database does:
 * no migration when it is current, its epoch kept, expired keys purged, and a second server that
 * starts at the same time waiting for the first. Runs where the global setup has a server (always
 * in CI).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEntityTagCondition } from '../../src/protocol/etag.ts';
import type { Document } from '../../src/protocol/types.ts';
import type { RunningServer } from '../server.ts';
import { createDoc, expectProblem, jsonInit, startTestServer } from '../test-server.ts';
import { SAMPLE_DOCUMENTS } from './common.ts';
import { created, postgresEngine, until } from './engines-under-test.ts';
import { createDatabase, startLocalCluster } from './pg-cluster.ts';
import { startPgProxy, type PgProxy } from './pg-proxy.ts';
import { PostgresStore, type PostgresStoreOptions } from './postgres-store.ts';
import { StorageError, StoreOpenError, type StoreChange } from './types.ts';

const postgres = postgresEngine();
const ifMatch = parseEntityTagCondition;
/** A statement as the proxy names it, cut to its first word when it has no name. */
const short = (statement: string) => statement.trim().split(/\s/)[0];

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function database(): Promise<{ url: string; name: string }> {
  const config = await postgres!.freshConfig();
  if (config.kind !== 'postgres') throw new Error(config.kind);
  return { url: config.url, name: new URL(config.url).pathname.slice(1) };
}

/** A store on `options.url`, closed after the test; unseeded unless `seed` says otherwise. */
async function open(options: PostgresStoreOptions): Promise<PostgresStore> {
  const store = await PostgresStore.open({ seed: false, ...options });
  cleanups.push(() => store.close());
  return store;
}

async function proxied(url: string): Promise<PgProxy> {
  const proxy = await startPgProxy(url);
  cleanups.push(() => proxy.close());
  return proxy;
}

/** A connection of the test's own, straight to the database. */
async function session(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

/** The server processes of `name` waiting for a lock, once there are `count` of them. */
async function waitingForLocks(dba: pg.Client, name: string, count: number): Promise<number[]> {
  let pids: number[] = [];
  await until(`${count} sessions waiting for a lock`, async () => {
    const { rows } = await dba.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' ORDER BY pid",
      [name],
    );
    pids = rows.map((row) => row.pid);
    return pids.length === count;
  });
  return pids;
}

async function gone(dba: pg.Client, pids: number[]): Promise<void> {
  await until('the dropped sessions to end', async () => (await dba.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1)', [pids])).rowCount === 0);
}

/** The app on loopback over the database at `url` (straight, or through a proxy). */
async function serve(url: string): Promise<RunningServer> {
  const server = await startTestServer({ storage: { kind: 'postgres', url, seed: false } });
  cleanups.push(() => server.close());
  return server;
}

/** A save of `content` over HTTP with If-Match, under an Idempotency-Key when given one. */
function put(server: RunningServer, doc: Document, content: string, ifMatchHeader: string, key?: string): Promise<Response> {
  const headers: Record<string, string> = { 'If-Match': ifMatchHeader, 'X-User': 'Bob', ...(key !== undefined && { 'Idempotency-Key': key }) };
  return fetch(`${server.url}/api/docs/${doc.id}`, jsonInit('PUT', { title: doc.title, content }, headers));
}

/** What a document holds in the database: its version, and how many revisions, changes and keys there are. */
async function stored(dba: pg.Client, id: string): Promise<{ version: number; revisions: number; changes: number; keys: number }> {
  const { rows } = await dba.query<{ version: number; revisions: number; changes: number; keys: number }>(
    `SELECT (SELECT version FROM documents WHERE id = $1) AS version,
            (SELECT count(*)::int FROM revisions WHERE doc_id = $1) AS revisions,
            (SELECT count(*)::int FROM changes) AS changes,
            (SELECT count(*)::int FROM idempotency_keys) AS keys`,
    [id],
  );
  if (!rows[0]) throw new Error('no row');
  return rows[0];
}

/** Opens a transaction on `client` that holds the document's row, as another server's save would. */
async function holdRow(client: pg.Client, id: string): Promise<void> {
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM documents WHERE id = $1 FOR UPDATE', [id]);
}

/** What `promise` rejects with, or null when it resolves. */
function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}

/** A new login role, dropped with all it owns after the test, and `url` as that role. */
async function newRole(dba: pg.Client, url: string): Promise<{ role: string; url: string }> {
  const role = `conflict_lab_role_${Math.random().toString(36).slice(2, 10)}`;
  await dba.query(`CREATE ROLE ${role} LOGIN`);
  cleanups.push(() => dba.query(`DROP ROLE ${role}`));
  cleanups.push(() => dba.query(`REASSIGN OWNED BY ${role} TO CURRENT_USER; DROP OWNED BY ${role}`));
  const asRole = new URL(url);
  asRole.username = role;
  return { role, url: asRole.toString() };
}

describe.runIf(postgres)('the PostgreSQL store, when the database races, refuses or drops it', () => {
  it('saves on one strong tag in one statement, and in one read and one transaction otherwise, on the connections it has', async () => {
    const { url } = await database();
    const proxy = await proxied(url);
    const store = await open({ url: proxy.url, poolSize: 1 });
    const v1 = await created(store, 'Counted');
    const id = v1.document.id;
    proxy.clear();

    const v2 = await store.update(id, { title: 'Counted', content: 'two' }, ifMatch(v1.etag), 'Bob');
    if (v2.kind !== 'updated') throw new Error(v2.kind);
    const v3 = await store.update(id, { title: 'Counted', content: 'three' }, ifMatch(v2.revision.etag), 'Bob');
    if (v3.kind !== 'updated') throw new Error(v3.kind);
    expect(proxy.statements()).toEqual(['save-on-one-tag', 'save-on-one-tag']);
    // Prepared once on the connection, by name.
    expect(proxy.parsed()).toEqual(['save-on-one-tag']);

    const v4 = await store.update(id, { title: 'Counted', content: 'four' }, ifMatch('*'), 'Bob');
    expect(v4).toMatchObject({ kind: 'updated', revision: { document: { version: 4, content: 'four' } } });
    expect(proxy.statements().map(short)).toEqual(['save-on-one-tag', 'save-on-one-tag', 'read-for-write', 'BEGIN', 'SELECT', 'WITH', 'INSERT', 'COMMIT']);

    // A create reads the title, and writes the document, its revision and its change.
    const creating = proxy.statements().length;
    await created(store, 'Taken');
    expect(proxy.statements().slice(creating).map(short)).toEqual(['BEGIN', 'SELECT', 'INSERT', 'INSERT', 'INSERT', 'COMMIT']);

    // Refused inside the transaction: nothing changed, so no change is recorded.
    const before = proxy.statements().length;
    expect(await store.update(id, { title: 'Taken', content: 'five' }, ifMatch('*'), 'Bob')).toMatchObject({ kind: 'duplicate-title' });
    expect(proxy.statements().slice(before).map(short)).toEqual(['read-for-write', 'BEGIN', 'SELECT', 'COMMIT']);

    if (v4.kind !== 'updated') throw new Error(v4.kind);
    expect(await store.remove(id, ifMatch(v4.revision.etag), 'Bob')).toMatchObject({ kind: 'deleted' });
    expect(proxy.statements().slice(-5).map(short)).toEqual(['read-for-write', 'BEGIN', 'UPDATE', 'INSERT', 'COMMIT']);
    // Each named statement is prepared once on the connection.
    expect(proxy.parsed().filter((statement) => statement === 'read-for-write')).toHaveLength(1);

    // One connection for the pool and one for the change feed, all along.
    expect(proxy.connections()).toBe(2);
  });

  it('saves in one statement on the one strong tag of an If-Match that also lists weak ones', async () => {
    const { url } = await database();
    const proxy = await proxied(url);
    const store = await open({ url: proxy.url, poolSize: 1 });
    const v1 = await created(store, 'Weak beside');
    proxy.clear();
    // Weak tags never pass If-Match (a strong comparison), so only the strong one counts.
    const saved = await store.update(v1.document.id, { title: 'Weak beside', content: 'two' }, ifMatch(`W/"other", ${v1.etag}`), 'Bob');
    expect(saved).toMatchObject({ kind: 'updated', revision: { basedOn: v1.etag, document: { version: 2 } } });
    expect(proxy.statements()).toEqual(['save-on-one-tag']);
  });

  it('keeps to the pool size it was given: a read waits for the one connection a save holds', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    const proxy = await proxied(url);
    const store = await open({ url: proxy.url, poolSize: 1 });
    const held = await created(store, 'Held');
    const other = await created(store, 'Other');
    const holder = await session(url);
    await holdRow(holder, held.document.id);
    const saving = store.update(held.document.id, { title: 'Held', content: 'two' }, ifMatch('*'), 'Bob');
    await waitingForLocks(dba, name, 1);
    const reading = store.get(other.document.id);
    await holder.query('COMMIT');
    expect(await saving).toMatchObject({ kind: 'updated' });
    expect(await reading).toEqual({ kind: 'found', revision: other });
    // The pool's one connection and the change feed's.
    expect(proxy.connections()).toBe(2);
  });

  it('tells a save made in a transaction to the event streams as an update', async () => {
    const { url } = await database();
    const store = await open({ url });
    const heard: StoreChange[] = [];
    store.subscribe((change) => heard.push(change));
    const v1 = await created(store, 'Heard');
    const saved = await store.update(v1.document.id, { title: 'Heard', content: 'two' }, ifMatch('*'), 'Bob');
    if (saved.kind !== 'updated') throw new Error(saved.kind);
    await until('both changes', () => heard.length === 2);
    expect(heard[1]).toMatchObject({ type: 'updated', id: v1.document.id, version: 2, etag: saved.revision.etag, replaced: v1.etag });
  });

  it('leaves no listener behind on a connection it used, however often', async () => {
    const { url } = await database();
    const store = await open({ url, poolSize: 1 });
    const v1 = await created(store, 'Often');
    const warnings: Error[] = [];
    const warned = (warning: Error) => warnings.push(warning);
    process.on('warning', warned);
    try {
      let etag = v1.etag;
      for (let i = 0; i < 12; i++) {
        expect((await store.get(v1.document.id)).kind).toBe('found');
        const saved = await store.update(v1.document.id, { title: 'Often', content: `${i}` }, ifMatch(`${etag}, "other"`), 'Bob');
        if (saved.kind !== 'updated') throw new Error(saved.kind);
        etag = saved.revision.etag;
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', warned);
    }
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
  });

  it('runs a write again when PostgreSQL ends it to break a deadlock', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    // The store's sessions look for a deadlock soon after they start waiting; the test's own
    // sessions never do first, so the store's write is the one PostgreSQL ends.
    await dba.query(`ALTER DATABASE ${name} SET deadlock_timeout = '20ms'`);
    const store = await open({ url });
    const first = await created(store, 'First');
    const second = await created(store, 'Second');
    const third = await created(store, 'Third');
    const holder = await session(url);
    const other = await session(url);
    for (const client of [holder, other]) await client.query("SET deadlock_timeout = '1h'");
    await holdRow(holder, second.document.id);
    await holdRow(other, third.document.id);

    // The reset locks the live documents in order: the first, then it waits for the second.
    const reset = store.resetToSamples('Teacher');
    await waitingForLocks(dba, name, 1);
    const othersTurn = other.query('SELECT 1 FROM documents WHERE id = $1 FOR UPDATE', [first.document.id]);
    await waitingForLocks(dba, name, 2);
    // Now it takes the second and waits for the third, which waits for the first: a deadlock.
    await holder.query('COMMIT');
    // The other session gets the first document only once the reset's transaction has ended.
    await othersTurn;
    await other.query('COMMIT');

    const samples = await reset;
    expect(samples.map((sample) => sample.title)).toEqual(SAMPLE_DOCUMENTS.map((sample) => sample.title));
  });

  it('runs a write again that REPEATABLE READ refuses for a concurrent change, on either kind of save', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    // A database whose administrator made every transaction REPEATABLE READ.
    await dba.query(`ALTER DATABASE ${name} SET default_transaction_isolation = 'repeatable read'`);
    const store = await open({ url });
    const v1 = await created(store, 'Isolated');
    const id = v1.document.id;
    const holder = await session(url);

    for (const [content, condition] of [
      ['two', '*'],
      ['three', 'the current tag'],
    ] as const) {
      const current = await store.get(id);
      if (current.kind !== 'found') throw new Error(current.kind);
      // Another session changes the row (leaving the document as it is) and commits while the save waits.
      await holder.query('BEGIN');
      await holder.query('UPDATE documents SET updated_by = updated_by WHERE id = $1', [id]);
      const saving = store.update(id, { title: 'Isolated', content }, ifMatch(condition === '*' ? '*' : current.revision.etag), 'Bob');
      await waitingForLocks(dba, name, 1);
      await holder.query('COMMIT');
      expect(await saving).toMatchObject({ kind: 'updated', revision: { document: { content, version: current.revision.document.version + 1 } } });
    }
  });

  it('answers the second of two servers saving with one key with the first one’s answer, when they met in the transaction', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    const one = await open({ url });
    const two = await open({ url });
    const v1 = await created(one, 'Keyed twice');
    const id = v1.document.id;
    const holder = await session(url);
    await holdRow(holder, id);
    // Both have read, found no answer under the key, and wait to write.
    const request = { key: 'twice', fingerprint: 'PUT twice' };
    const saves = [one, two].map((store) => store.update(id, { title: 'Keyed twice', content: 'two' }, ifMatch('*'), 'Bob', request));
    await waitingForLocks(dba, name, 2);
    await holder.query('COMMIT');

    const answers = await Promise.all(saves);
    expect(answers.map((answer) => answer.kind).sort()).toEqual(['replayed', 'updated']);
    const [first, second] = answers.map((answer) => ('revision' in answer ? answer.revision : null));
    expect(second).toEqual(first);
    expect(await one.revisions(id)).toHaveLength(2);
  });

  it('answers the second of two servers deleting a document at once as the first one left it', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    const one = await open({ url });
    const two = await open({ url });
    const v1 = await created(one, 'Deleted twice');
    const id = v1.document.id;
    const holder = await session(url);
    await holdRow(holder, id);
    const deletes = [one.remove(id, ifMatch(v1.etag), 'Ana'), two.remove(id, ifMatch(v1.etag), 'Bob')];
    await waitingForLocks(dba, name, 2);
    await holder.query('COMMIT');

    const answers = await Promise.all(deletes);
    expect(answers.map((answer) => answer.kind).sort()).toEqual(['deleted', 'gone']);
    const winner = answers.find((answer) => answer.kind === 'deleted');
    const loser = answers.find((answer) => answer.kind === 'gone');
    const deletedBy = winner === answers[0] ? 'Ana' : 'Bob';
    expect(loser).toMatchObject({ kind: 'gone', by: deletedBy });
    expect(await one.get(id)).toEqual(loser);
  });

  it('deletes with If-Match: * what another server saved meanwhile, the version it saved', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    const saver = await open({ url });
    const remover = await open({ url });
    const v1 = await created(saver, 'Saved, then deleted');
    const id = v1.document.id;
    const holder = await session(url);
    await holdRow(holder, id);
    // The save waits first, then the delete, which has read version 1: the save goes first.
    const saving = saver.update(id, { title: 'Saved, then deleted', content: 'two' }, ifMatch(v1.etag), 'Bob');
    await waitingForLocks(dba, name, 1);
    const deleting = remover.remove(id, ifMatch('*'), 'Ana');
    await waitingForLocks(dba, name, 2);
    await holder.query('COMMIT');

    const saved = await saving;
    if (saved.kind !== 'updated') throw new Error(saved.kind);
    expect(await deleting).toEqual({ kind: 'deleted', revision: saved.revision });
    expect(await saver.get(id)).toMatchObject({ kind: 'gone', by: 'Ana' });
  });

  it('stops telling a listener of missed changes once it unsubscribes, and goes on telling the others', async () => {
    const { url } = await database();
    // The other server keeps changes for 300 ms: long enough for a server that is listening.
    const pruner = await open({ url, changeRetentionMs: 300 });
    const proxy = await proxied(url);
    const cut = await open({ url: proxy.url });
    const stayed: bigint[] = [];
    const left: bigint[] = [];
    cut.subscribeMissed((after) => stayed.push(after));
    const unsubscribe = cut.subscribeMissed((after) => left.push(after));
    const heard: StoreChange[] = [];
    cut.subscribe((change) => heard.push(change));
    await created(pruner, 'Before');
    await until('the first change', () => heard.length === 1);
    unsubscribe();

    // Its connections drop; meanwhile the other server saves, and prunes that save.
    proxy.cut();
    await created(pruner, 'Pruned unseen');
    await new Promise((resolve) => setTimeout(resolve, 400));
    await created(pruner, 'Prunes the one before');
    await until('the missed notice', () => stayed.length > 0);
    expect(left).toEqual([]);
  });

  it('answers 503 when the connection drops in the middle of a save, stores nothing, and saves again after', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    // The server ends a session whose client is gone even while it waits for a lock.
    await dba.query(`ALTER DATABASE ${name} SET client_connection_check_interval = '20ms'`);
    const proxy = await proxied(url);
    const store = await open({ url: proxy.url });
    const v1 = await created(store, 'Dropped');
    const id = v1.document.id;
    const holder = await session(url);
    // In a transaction (If-Match: *), where the drop comes before COMMIT, and as the one statement
    // of a save on one strong tag, which commits on its own: there the store cannot tell whether it did.
    for (const [condition, unavailable] of [
      ['*', { stored: 'no', message: 'The connection to the database was lost (Connection terminated unexpectedly).' }],
      [v1.etag, { stored: 'unknown', message: 'The connection to the database was lost while the change was being committed (Connection terminated unexpectedly).' }],
    ] as const) {
      await holdRow(holder, id);
      const saving = failureOf(store.update(id, { title: 'Dropped', content: 'lost' }, ifMatch(condition), 'Bob'));
      const pids = await waitingForLocks(dba, name, 1);
      proxy.cut();
      await gone(dba, pids);
      await holder.query('COMMIT');
      const error = await saving;
      expect(error).toBeInstanceOf(StorageError);
      expect(error).toMatchObject({ name: 'StorageError', status: 503, retryAfter: 5, keyed: false, ...unavailable });
    }
    expect(await store.get(id)).toEqual({ kind: 'found', revision: v1 });
    expect(await store.update(id, { title: 'Dropped', content: 'kept' }, ifMatch(v1.etag), 'Bob')).toMatchObject({
      kind: 'updated',
      revision: { document: { version: 2, content: 'kept' } },
    });
  });

  it('answers 503 with Retry-After, in plain words, a save the database cancels for its time limit or its lock timeout, and stores nothing of it', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    const made = await open({ url });
    const v1 = await created(made, 'Waited for');
    const doc = v1.document;
    const before = await stored(dba, doc.id);
    const holder = await session(url);
    await holdRow(holder, doc.id);

    for (const [setting, detail] of [
      ['statement_timeout', 'The database cancelled the change because it took longer than the database allows (57014).'],
      ['lock_timeout', 'The database gave up waiting for a lock that another transaction holds (55P03).'],
    ] as const) {
      // Sessions that start from now on have the limit: a server started now.
      await dba.query(`ALTER DATABASE ${name} SET ${setting} = '300ms'`);
      const server = await serve(url);
      // In a transaction (If-Match: *), and as the one statement of a save on one strong tag.
      for (const condition of ['*', v1.etag]) {
        const answer = await put(server, doc, 'waited', condition, `${setting}-${condition === '*' ? 'any' : 'tag'}`);
        expect(answer.headers.get('retry-after')).toBe('5');
        expect((await expectProblem(answer, 503, 'storage-unavailable')).detail).toBe(`${detail} Nothing was changed; try again later.`);
      }
      expect(await stored(dba, doc.id)).toEqual(before);
      await dba.query(`ALTER DATABASE ${name} RESET ${setting}`);
    }
    // Once the lock is free, the same request saves.
    await holder.query('COMMIT');
    const server = await serve(url);
    expect((await put(server, doc, 'waited', v1.etag, 'lock_timeout-tag')).status).toBe(200);
    expect(await stored(dba, doc.id)).toEqual({ version: 2, revisions: 2, changes: before.changes + 1, keys: 1 });
  });

  it('answers 503 with Retry-After, in plain words, a save whose session the database ends while it waits, and stores nothing of it', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    const server = await serve(url);
    const { doc, etag } = await createDoc(server.url, 'Ended while waiting', 'one');
    const before = await stored(dba, doc.id);
    const holder = await session(url);
    for (const condition of ['*', etag]) {
      await holdRow(holder, doc.id);
      const saving = put(server, doc, 'ended', condition);
      const pids = await waitingForLocks(dba, name, 1);
      await dba.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
      const answer = await saving;
      expect(answer.headers.get('retry-after')).toBe('5');
      expect((await expectProblem(answer, 503, 'storage-unavailable')).detail).toBe(
        'The database server ended the connection: it is shutting down, or an administrator ended it (57P01). Nothing was changed; try again later.',
      );
      await holder.query('COMMIT');
    }
    expect(await stored(dba, doc.id)).toEqual(before);
  });

  it('answers 503 in plain words when the database server crashes under a save, and while it shuts down', async () => {
    // A server of its own, to crash and to shut down; durable, so that the crash loses no commit.
    const cluster = await startLocalCluster();
    cleanups.push(async () => cluster.stop());
    const url = await createDatabase(cluster.url);
    const name = new URL(url).pathname.slice(1);
    const dba = await session(url);
    const server = await serve(url);
    const { doc } = await createDoc(server.url, 'On a server that crashes', 'one');
    const holder = await session(url);
    await holdRow(holder, doc.id);
    const saving = put(server, doc, 'crashed', '*', 'crashed');
    await waitingForLocks(dba, name, 1);
    // One server process dies: PostgreSQL ends every other session (telling each client only in a
    // warning, 57P02) and starts again.
    const { rows } = await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    process.kill(rows[0]?.pid ?? 0, 'SIGKILL');
    const crashed = await saving;
    let again: pg.Client | null = null;
    await until('the server to take connections again', async () => {
      again = await session(url).catch(() => null);
      return again !== null;
    });
    expect(crashed.headers.get('retry-after')).toBe('5');
    expect((await expectProblem(crashed, 503, 'storage-unavailable')).detail).toBe(
      'The connection to the database was lost (Connection terminated unexpectedly). Nothing was changed; try again later.',
    );

    // A smart shutdown waits for the sessions there are (this one) and refuses new ones.
    const postmaster = Number(readFileSync(join(cluster.folder, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGTERM');
    const shutting = await put(server, doc, 'shutting down', '*', 'shutting-down');
    expect(shutting.headers.get('retry-after')).toBe('5');
    expect((await expectProblem(shutting, 503, 'storage-unavailable')).detail).toBe(
      'The database server takes no connections now: it is starting up, shutting down or recovering (57P03). Nothing was changed; try again later.',
    );
    expect(await stored(again!, doc.id)).toMatchObject({ version: 1, revisions: 1, keys: 0 });
  }, 60_000);

  it('answers 503 saying the database cannot be reached when no connection to it can be made, to reads and writes alike', async () => {
    const { url } = await database();
    const proxy = await proxied(url);
    const store = await open({ url: proxy.url });
    const v1 = await created(store, 'Out of reach');
    // The way to the database closes: its connections end (a read may meet one before the pool
    // has dropped it: the connection lost), and new ones are refused.
    await proxy.close();
    const unreachable = { name: 'StorageError', status: 503, retryAfter: 5, stored: 'no', message: 'The database cannot be reached (ECONNREFUSED).' };
    await until('a read to find no connection', async () => ((await failureOf(store.get(v1.document.id))) as Error).message === unreachable.message);
    await expect(store.get(v1.document.id)).rejects.toMatchObject(unreachable);
    await expect(store.update(v1.document.id, { title: 'Out of reach', content: 'two' }, ifMatch(v1.etag), 'Bob')).rejects.toMatchObject(unreachable);
    await expect(store.update(v1.document.id, { title: 'Out of reach', content: 'two' }, ifMatch('*'), 'Bob')).rejects.toMatchObject(unreachable);
    expect(await stored(await session(url), v1.document.id)).toMatchObject({ version: 1, revisions: 1 });
  });

  it('answers 503 in plain words a read met by a failed connection (08…), by another SQLSTATE of an unavailable server, or by a reset', async () => {
    const { url } = await database();
    const proxy = await proxied(url);
    const store = await open({ url: proxy.url });
    await created(store, 'Answered on the way');
    const failure = { name: 'StorageError', status: 503, retryAfter: 5, stored: 'no' };
    // The way to the database answers the read itself, as the server would have.
    for (const [code, message] of [
      ['08006', 'The connection to the database failed (08006).'],
      ['08P01', 'The connection to the database failed (08P01).'],
      ['57P04', 'The database is unavailable (57P04).'],
      ['58030', 'The database is unavailable (58030).'],
    ] as const) {
      proxy.failNext('SELECT', code, 'failed on the way');
      await expect(store.list()).rejects.toMatchObject({ ...failure, message });
    }
    // The way to the database resets the connection under a read.
    proxy.clear();
    proxy.holdReplies('SELECT');
    const reading = failureOf(store.list());
    await until('the read to be sent', () => proxy.statements().length === 1);
    proxy.reset();
    expect(await reading).toMatchObject({ ...failure, message: 'The connection to the database was lost (ECONNRESET).' });
    expect(await store.list()).toHaveLength(1);
  });

  it('answers 503 with Retry-After, not 500, a save on a connection the database ended before the save’s next statement, and stores nothing of it', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    const proxy = await proxied(url);
    const server = await serve(proxy.url);
    const { doc } = await createDoc(server.url, 'Ended between statements', 'one');
    const before = await stored(dba, doc.id);
    // The transaction has begun; the server ends the session, and the store hears of both at once,
    // so its next statement finds the connection unusable.
    proxy.holdReplies('BEGIN');
    const saving = put(server, doc, 'ended', '*', 'between');
    await until('the transaction to begin', async () => (await dba.query("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND state = 'idle in transaction'", [name])).rowCount === 1);
    await dba.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND state = 'idle in transaction'", [name]);
    await until('the server to end the session', () => proxy.serverEnded());
    proxy.release();
    const answer = await saving;
    expect(answer.headers.get('retry-after')).toBe('5');
    expect((await expectProblem(answer, 503, 'storage-unavailable')).detail).toBe(
      'The connection to the database was lost (Client has encountered a connection error and is not queryable). Nothing was changed; try again later.',
    );
    expect(await stored(dba, doc.id)).toEqual(before);
    // The same request again saves, on a new connection.
    expect((await put(server, doc, 'ended', '*', 'between')).status).toBe(200);
  });

  it('answers 503 saying a save may have been stored when its connection drops after the commit reached the database, and the same request again gets the first answer', async () => {
    const { url } = await database();
    const dba = await session(url);
    const proxy = await proxied(url);
    const server = await serve(proxy.url);
    const { doc, etag } = await createDoc(server.url, 'Committed unheard', 'one');
    let version = 1;
    let current = etag;
    // As the one statement of a save on one strong tag, and in a transaction (If-Match: *).
    for (const [statement, condition] of [['save-on-one-tag', etag], ['COMMIT', '*']] as const) {
      const ifMatchHeader = condition === '*' ? '*' : current;
      const key = `unheard-${statement}`;
      proxy.holdReplies(statement);
      const saving = put(server, doc, `saved as ${statement}`, ifMatchHeader, key);
      await until('the save to be committed', async () => (await stored(dba, doc.id)).version === version + 1);
      proxy.cut();
      const answer = await saving;
      expect(answer.headers.get('retry-after')).toBe('5');
      expect((await expectProblem(answer, 503, 'storage-unavailable')).detail).toBe(
        'The connection to the database was lost while the change was being committed (Connection terminated unexpectedly). ' +
          'It may have been stored all the same. Sending the same request again, with the same Idempotency-Key, is safe: ' +
          'if it was stored, the answer is the one it would have had, and nothing is stored twice.',
      );
      version += 1;
      const { rows } = await dba.query<{ etag: string }>('SELECT etag FROM documents WHERE id = $1', [doc.id]);
      const again = await put(server, doc, `saved as ${statement}`, ifMatchHeader, key);
      expect(again.status).toBe(200);
      expect(again.headers.get('etag')).toBe(rows[0]?.etag);
      expect(await again.json()).toMatchObject({ version, content: `saved as ${statement}` });
      expect(await stored(dba, doc.id)).toMatchObject({ version, revisions: version });
      current = rows[0]?.etag ?? '';
    }

    // Without a key, a retry could not get the first answer: the answer says to look first.
    proxy.holdReplies('save-on-one-tag');
    const saving = put(server, doc, 'unkeyed', current);
    await until('the save to be committed', async () => (await stored(dba, doc.id)).version === version + 1);
    proxy.cut();
    expect((await expectProblem(await saving, 503, 'storage-unavailable')).detail).toBe(
      'The connection to the database was lost while the change was being committed (Connection terminated unexpectedly). ' +
        'It may have been stored all the same: load it again to see before trying again.',
    );
  });

  it('answers 503 saying a create, a save in a transaction or a delete may have been stored when its connection drops at COMMIT, and what to do: send it again when it has a key, else look first', async () => {
    const { url } = await database();
    const dba = await session(url);
    const proxy = await proxied(url);
    const server = await serve(proxy.url);
    const lost = 'The connection to the database was lost while the change was being committed (Connection terminated unexpectedly). ';
    const safe = `${lost}It may have been stored all the same. Sending the same request again, with the same Idempotency-Key, is safe: if it was stored, the answer is the one it would have had, and nothing is stored twice.`;
    const look = `${lost}It may have been stored all the same: load it again to see before trying again.`;
    const count = async (where: string) => Number((await dba.query<{ n: string }>(`SELECT count(*) AS n FROM documents WHERE ${where}`)).rows[0]?.n);
    /** Sends `request` with COMMIT's answer held back, cuts the connection once it has committed, and reads the answer's detail. */
    async function dropAtCommit(request: () => Promise<Response>, committed: () => Promise<boolean>): Promise<string> {
      proxy.holdReplies('COMMIT');
      const answer = request();
      await until('the change to be committed', committed);
      proxy.cut();
      return (await expectProblem(await answer, 503, 'storage-unavailable')).detail ?? '';
    }
    const post = (title: string, key?: string) =>
      fetch(`${server.url}/api/docs`, jsonInit('POST', { title, content: 'one' }, { 'X-User': 'Ana', ...(key !== undefined && { 'Idempotency-Key': key }) }));

    expect(await dropAtCommit(() => post('Created, keyed', 'create-once'), async () => (await count("deleted_at IS NULL")) === 1)).toBe(safe);
    const again = await post('Created, keyed', 'create-once');
    expect(again.status).toBe(201);
    expect(await count('deleted_at IS NULL')).toBe(1);
    const doc = (await again.json()) as Document;

    expect(await dropAtCommit(() => post('Created, unkeyed'), async () => (await count('deleted_at IS NULL')) === 2)).toBe(look);

    // If-Match: * is saved in a transaction.
    expect(await dropAtCommit(() => put(server, doc, 'two', '*'), async () => (await stored(dba, doc.id)).version === 2)).toBe(look);

    const { rows } = await dba.query<{ etag: string }>('SELECT etag FROM documents WHERE id = $1', [doc.id]);
    const remove = () => fetch(`${server.url}/api/docs/${doc.id}`, { method: 'DELETE', headers: { 'If-Match': rows[0]?.etag ?? '', 'X-User': 'Bob' } });
    expect(await dropAtCommit(remove, async () => (await count('deleted_at IS NOT NULL')) === 1)).toBe(look);
  });

  it('hands a connection whose write the database refused for another reason than its state back to the pool, for the next read', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    const { role, url: asRole } = await newRole(dba, url);
    await dba.query(`ALTER DATABASE ${name} OWNER TO ${role}`);
    const proxy = await proxied(asRole);
    const store = await open({ url: proxy.url, poolSize: 1 });
    const v1 = await created(store, 'Refused, kept');
    await dba.query('ALTER TABLE documents OWNER TO CURRENT_USER');
    await dba.query(`GRANT SELECT ON documents TO ${role}`);
    const connections = proxy.connections();
    // The save on one strong tag, one statement, refused for want of a privilege.
    expect(await failureOf(store.update(v1.document.id, { title: 'Refused, kept', content: 'two' }, ifMatch(v1.etag), 'Bob'))).toMatchObject({ code: '42501' });
    expect(await store.get(v1.document.id)).toEqual({ kind: 'found', revision: v1 });
    expect(proxy.connections()).toBe(connections);
  });

  it('answers 503 saying nothing was changed when the connection drops at the commit of a save refused inside its transaction', async () => {
    const { url } = await database();
    const dba = await session(url);
    const proxy = await proxied(url);
    const server = await serve(proxy.url);
    const { doc } = await createDoc(server.url, 'Refused, then dropped', 'one');
    const taken = await createDoc(server.url, 'Taken title', 'one');
    const before = await stored(dba, doc.id);
    // A save on * that takes another document's title: refused in the transaction, which wrote
    // nothing when its COMMIT goes.
    proxy.clear();
    proxy.holdReplies('COMMIT');
    const saving = fetch(`${server.url}/api/docs/${doc.id}`, jsonInit('PUT', { title: taken.doc.title, content: 'two' }, { 'If-Match': '*', 'Idempotency-Key': 'refused' }));
    await until('the COMMIT to be sent', () => proxy.statements().includes('COMMIT'));
    expect(proxy.statements().map(short)).toEqual(['SELECT', 'read-for-write', 'BEGIN', 'SELECT', 'COMMIT']);
    proxy.cut();
    expect((await expectProblem(await saving, 503, 'storage-unavailable')).detail).toBe(
      'The connection to the database was lost (Connection terminated unexpectedly). Nothing was changed; try again later.',
    );
    expect(await stored(dba, doc.id)).toEqual(before);
  });

  it('gives a read that waits for the pool a new connection, not one the database ended under the read before it', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    const store = await open({ url, poolSize: 1 });
    const v1 = await created(store, 'Read twice');
    const holder = await session(url);
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE documents IN ACCESS EXCLUSIVE MODE');
    // The first read holds the one connection, waiting for the table; the second waits for the connection.
    const first = failureOf(store.get(v1.document.id));
    const pids = await waitingForLocks(dba, name, 1);
    const second = store.get(v1.document.id).catch((error: unknown) => error);
    await dba.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
    expect(await first).toMatchObject({ name: 'StorageError', status: 503, message: expect.stringMatching(/\(57P01\)\.$/) });
    await waitingForLocks(dba, name, 1);
    await holder.query('COMMIT');
    expect(await second).toEqual({ kind: 'found', revision: v1 });
  });

  it('gives a write up after 20 attempts when each meets the same unique violation, with the database’s error, and keeps its connection', async () => {
    const { url } = await database();
    const proxy = await proxied(url);
    const store = await open({ url: proxy.url, poolSize: 1 });
    const v1 = await created(store, 'Stray');
    const dba = await session(url);
    // A revision for the version the next save makes, left by a restore that copied one table.
    await dba.query(
      "INSERT INTO revisions (doc_id, version, etag, title, content, updated_at, updated_by) VALUES ($1, 2, '\"stray\"', '', '', '', 'restore')",
      [v1.document.id],
    );
    proxy.clear();
    const error = await failureOf(store.update(v1.document.id, { title: 'Stray', content: 'two' }, ifMatch('*'), 'Bob'));
    expect(error).not.toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: '23505', constraint: 'revisions_pkey' });
    expect(proxy.statements().filter((statement) => statement === 'BEGIN')).toHaveLength(20);
    expect(await store.get(v1.document.id)).toEqual({ kind: 'found', revision: v1 });
    expect(proxy.connections()).toBe(2);
  });

  it('takes a new connection after one that refused a write, so a database that takes writes again is written at once', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    const store = await open({ url, poolSize: 2 });
    const held = await created(store, 'Held');
    const other = await created(store, 'Other');
    // One connection stays busy throughout: a save that waits for another session's lock.
    const holder = await session(url);
    await holdRow(holder, held.document.id);
    const waiting = store.update(held.document.id, { title: 'Held', content: 'two' }, ifMatch('*'), 'Bob');
    await waitingForLocks(dba, name, 1);

    // The pool's other connection is made while new sessions are read-only (as on a standby).
    await dba.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
    await expect(store.update(other.document.id, { title: 'Other', content: 'two' }, ifMatch('*'), 'Bob')).rejects.toMatchObject({
      status: 503,
      message: 'The database takes no writes now: it is a standby, or set to read-only (25006).',
    });
    // Writable again: the next save does not reuse the read-only session.
    await dba.query(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
    expect(await store.update(other.document.id, { title: 'Other', content: 'three' }, ifMatch('*'), 'Bob')).toMatchObject({
      kind: 'updated',
      revision: { document: { version: 2, content: 'three' } },
    });

    await holder.query('COMMIT');
    expect(await waiting).toMatchObject({ kind: 'updated', revision: { document: { version: 2 } } });
  });

  it('takes an idempotency key that expired as a new one', async () => {
    const { url } = await database();
    const store = await open({ url });
    const v1 = await created(store, 'Keyed');
    const first = await store.update(v1.document.id, { title: 'Keyed', content: 'two' }, ifMatch(v1.etag), 'Bob', { key: 'old', fingerprint: 'PUT two' });
    if (first.kind !== 'updated') throw new Error(first.kind);
    const dba = await session(url);
    await dba.query("UPDATE idempotency_keys SET created_at = now() - interval '2 days' WHERE key = 'old'");
    const again = await store.update(v1.document.id, { title: 'Keyed', content: 'three' }, ifMatch(first.revision.etag), 'Bob', {
      key: 'old',
      fingerprint: 'PUT three',
    });
    expect(again).toMatchObject({ kind: 'updated', revision: { document: { version: 3, content: 'three' } } });
    // And the key now answers for the new save.
    const replayed = await store.update(v1.document.id, { title: 'Keyed', content: 'three' }, ifMatch(first.revision.etag), 'Bob', {
      key: 'old',
      fingerprint: 'PUT three',
    });
    expect(replayed).toMatchObject({ kind: 'replayed', revision: { document: { version: 3 } } });
  });

  it('lists the versions a conflict missed in order, however PostgreSQL reads them', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    // Two servers take turns: their tags interleave, so the revisions ordered by tag are out of
    // version order. Stored in that order and read without an index, they come back in it.
    const one = await open({ url });
    const two = await open({ url });
    const v1 = await created(one, 'Taking turns');
    let etag = v1.etag;
    for (let version = 2; version <= 6; version++) {
      const saved = await (version % 2 === 0 ? one : two).update(v1.document.id, { title: 'Taking turns', content: `${version}` }, ifMatch(etag), 'Bob');
      if (saved.kind !== 'updated') throw new Error(saved.kind);
      etag = saved.revision.etag;
    }
    await dba.query('CLUSTER revisions USING revisions_etag_key');
    const stored = await dba.query<{ version: number }>('SELECT version FROM revisions ORDER BY ctid');
    expect(stored.rows.map((row) => row.version)).not.toEqual([1, 2, 3, 4, 5, 6]);
    for (const plan of ['enable_indexscan', 'enable_indexonlyscan', 'enable_bitmapscan']) await dba.query(`ALTER DATABASE ${name} SET ${plan} = off`);

    const reader = await open({ url });
    const stale = await reader.update(v1.document.id, { title: 'Taking turns', content: 'late' }, ifMatch(v1.etag), 'Ana');
    expect(stale.kind).toBe('conflict');
    if (stale.kind !== 'conflict') return;
    expect(stale.changesSince.map((change) => change.version)).toEqual([2, 3, 4, 5, 6]);
  });

  it('answers a write the database refuses for want of a privilege as a failure, not as “try later”', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    const { role, url: asRole } = await newRole(dba, url);
    await dba.query(`ALTER DATABASE ${name} OWNER TO ${role}`);
    const store = await open({ url: asRole });
    const v1 = await created(store, 'Privileged');
    // The tables are the role's; a superuser takes the documents away from it.
    await dba.query('ALTER TABLE documents OWNER TO CURRENT_USER');
    await dba.query(`GRANT SELECT ON documents TO ${role}`);
    const error = await failureOf(store.update(v1.document.id, { title: 'Privileged', content: 'two' }, ifMatch(v1.etag), 'Bob'));
    expect(error).not.toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: '42501' });
    expect(await store.get(v1.document.id)).toEqual({ kind: 'found', revision: v1 });
  });

  it('refuses to open where it may not make its tables, or may not listen for changes, and leaves nothing behind', async () => {
    const { url, name } = await database();
    const dba = await session(url);
    const { role, url: asRole } = await newRole(dba, url);

    // Not the database's owner: PostgreSQL 15 lets only the owner create in its public schema.
    const refused = await failureOf(PostgresStore.open({ url: asRole }));
    expect(refused).toBeInstanceOf(StoreOpenError);
    expect((refused as Error).message).toMatch(/cannot be used: permission denied for schema public$/);
    const tables = await dba.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'");
    expect(tables.rowCount).toBe(0);

    // The owner, with one connection: the tables are made, but the change feed gets none.
    await dba.query(`ALTER DATABASE ${name} OWNER TO ${role}`);
    await dba.query(`ALTER ROLE ${role} CONNECTION LIMIT 1`);
    const unheard = await failureOf(PostgresStore.open({ url: asRole }));
    expect(unheard).toBeInstanceOf(StoreOpenError);
    expect((unheard as Error).message).toMatch(/cannot be listened to: too many connections for role/);
    await until('its sessions to end', async () => (await dba.query('SELECT 1 FROM pg_stat_activity WHERE usename = $1', [role])).rowCount === 0);
  });

  it('seeds a new database unless told not to', async () => {
    const { url } = await database();
    const store = await PostgresStore.open({ url });
    cleanups.push(() => store.close());
    expect((await store.list()).map((document) => document.title)).toEqual(SAMPLE_DOCUMENTS.map((sample) => sample.title));
  });
});

describe.runIf(postgres)('the PostgreSQL store, opening a database', () => {
  it('opens a database of this version as it is: no migration, the same epoch, no second seeding, expired keys gone', async () => {
    const { url } = await database();
    const first = await open({ url, seed: true });
    const sample = (await first.list())[0];
    if (!sample) throw new Error('not seeded');
    const saved = await first.update(sample.id, { title: sample.title, content: 'two' }, ifMatch(sample.etag), 'Bob', { key: 'old', fingerprint: 'PUT' });
    expect(saved.kind).toBe('updated');
    await first.close();
    const dba = await session(url);
    await dba.query("UPDATE idempotency_keys SET created_at = now() - interval '2 days'");

    const proxy = await proxied(url);
    const again = await open({ url: proxy.url, seed: true });
    expect(proxy.statements().map(short)).toEqual(['BEGIN', 'SELECT', 'CREATE', 'SELECT', 'SELECT', 'DELETE', 'COMMIT']);
    expect(again.streamEpoch).toBe(first.streamEpoch);
    expect((await again.list()).map((document) => document.title)).toEqual(SAMPLE_DOCUMENTS.map((document) => document.title));
    expect((await dba.query('SELECT key FROM idempotency_keys')).rows).toEqual([]);
  });

  it('drops the sequence that numbered events before version 3 when it brings such a database up to date', async () => {
    const { url } = await database();
    await (await PostgresStore.open({ url, seed: false })).close();
    const dba = await session(url);
    // As version 2 left it: events numbered by a sequence of their own.
    await dba.query("CREATE SEQUENCE change_seq; UPDATE meta SET value = '2' WHERE key = 'schema_version'");
    await open({ url, seed: false });
    expect((await dba.query("SELECT to_regclass('change_seq') AS found")).rows).toEqual([{ found: null }]);
    expect((await dba.query("SELECT value FROM meta WHERE key = 'schema_version'")).rows).toEqual([{ value: '4' }]);
  });

  it('starts after the changes that were made before it, for its event streams', async () => {
    const { url } = await database();
    const one = await open({ url, seed: false });
    const heardByOne: StoreChange[] = [];
    one.subscribe((change) => heardByOne.push(change));
    await created(one, 'Before');
    await until('the first change', () => heardByOne.length === 1);
    const two = await open({ url, seed: false });
    const heardByTwo: StoreChange[] = [];
    two.subscribe((change) => heardByTwo.push(change));
    await created(one, 'After');
    await until('the change after it started', () => heardByTwo.length === 1);

    const start = two.streamStart;
    if (start === undefined) throw new Error('no start');
    expect(heardByOne[0]?.seq ?? start + 1n).toBeLessThanOrEqual(start);
    expect(heardByTwo[0]?.seq ?? start).toBeGreaterThan(start);
  });

  it('makes a server that starts while another is starting on the same database wait for it', async () => {
    const { url, name } = await database();
    // Made, and closed: no other server's feed reads the table locked below meanwhile.
    await (await PostgresStore.open({ url, seed: false })).close();
    // The first server's start is held up inside it, by another session's lock on a table.
    const dba = await session(url);
    await dba.query('BEGIN');
    await dba.query('LOCK TABLE meta IN ACCESS EXCLUSIVE MODE');
    const watcher = await session(url);
    const waits = async (event: string) =>
      (await watcher.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event = $2', [name, event])).rowCount ?? 0;
    const starting = [open({ url, seed: false })];
    await until('the first start to wait for the table', async () => (await waits('relation')) === 1);
    starting.push(open({ url, seed: false }));
    await until('the second start to wait for the first', async () => (await waits('advisory')) === 1);
    expect(await waits('relation')).toBe(1);
    await dba.query('COMMIT');

    const [first, second] = await Promise.all(starting);
    expect(second?.streamEpoch).toBe(first?.streamEpoch);
  });
});
