/**
 * The PostgreSQL store where things go wrong or wait, in this process, on a real database: a
 * change held back while an older transaction is open, a feed whose connection drops while
 * changes are pruned, a store that is closed, and a database that cannot be opened. Runs where the global setup has a server (always in CI).
 */
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseEntityTagCondition } from '../../src/protocol/etag.ts';
import { created, postgresEngine, until } from './engines-under-test.ts';
import { openStore } from './open.ts';
import { PostgresStore, redact } from './postgres-store.ts';
import { StorageError, StoreOpenError, type Store, type StoreChange } from './types.ts';

const postgres = postgresEngine();
const ifMatch = parseEntityTagCondition;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(postgres)('the PostgreSQL store, edge cases', () => {
  const stores: Store[] = [];
  const clients: pg.Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(() => {});

  async function database(): Promise<string> {
    const config = await postgres!.freshConfig();
    if (config.kind !== 'postgres') throw new Error(config.kind);
    return config.url;
  }

  async function open(url: string, changeRetentionMs?: number): Promise<Store> {
    const store = await openStore({ kind: 'postgres', url, seed: false, ...(changeRetentionMs !== undefined && { changeRetentionMs }) });
    stores.push(store);
    return store;
  }

  async function admin(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    await client.connect();
    clients.push(client);
    return client;
  }

  it('holds a change back while an older transaction is open, then delivers it', async () => {
    const url = await database();
    const store = await open(url);
    const heard: StoreChange[] = [];
    store.subscribe((change) => heard.push(change));
    const older = await admin(url);
    await older.query('BEGIN');
    await older.query('SELECT pg_current_xact_id()');
    const made = await created(store, 'Held back');
    // Read several times meanwhile (each commit reads): still not delivered.
    await created(store, 'Also held');
    await pause(300);
    expect(heard).toEqual([]);
    await older.query('COMMIT');
    await until('the held changes', () => heard.length === 2);
    expect(heard.map((c) => [c.type, c.id])).toEqual([
      ['created', made.document.id],
      ['created', heard[1]?.id],
    ]);
    expect(heard[0]?.seq).toBeTypeOf('bigint');
    expect((heard[0]?.seq ?? 0n) < (heard[1]?.seq ?? 0n)).toBe(true);
  });

  it('tells a server whose feed was cut off that changes were pruned meanwhile, and goes on after them', async () => {
    const url = await database();
    // The other server keeps changes for 300 ms: long enough for a server that is listening.
    const pruner = await open(url, 300);
    const cut = await open(url);
    const missed: bigint[] = [];
    const heard: StoreChange[] = [];
    cut.subscribeMissed?.((after) => missed.push(after));
    cut.subscribe((change) => heard.push(change));
    await created(pruner, 'Before');
    await until('the first change on the other server', () => heard.length === 1);

    // Its feed's connection is dropped (as by a network fault); it reconnects a second later.
    const feed = Reflect.get(cut, 'feed') as object;
    const client = Reflect.get(feed, 'client') as pg.Client & { processID: number };
    const dba = await admin(url);
    await dba.query('SELECT pg_terminate_backend($1)', [client.processID]);
    // Meanwhile the other server saves, and prunes that save once it is older than 300 ms.
    const lost = await created(pruner, 'Pruned unseen');
    await pause(400);
    await created(pruner, 'Prunes the one before');
    await until('the pruned mark', async () => (await dba.query("SELECT 1 FROM meta WHERE key = 'changes_pruned_through'")).rowCount === 1);

    await until('the missed notice', () => missed.length > 0);
    expect(missed[0]).toBeTypeOf('bigint');
    expect(heard.map((c) => c.id)).not.toContain(lost.document.id);
    // And it goes on: a new change reaches it, its own saves too.
    const after = await created(pruner, 'After the gap');
    await until('the change after the gap', () => heard.some((c) => c.id === after.document.id));
    const own = await created(cut, 'Its own');
    await until('its own change', () => heard.some((c) => c.id === own.document.id));
    expect(heard.every((c) => (c.seq ?? 0n) > (missed[0] ?? 0n) || c.id !== lost.document.id)).toBe(true);
  });

  it('answers writes with a 503 while the database takes no writes, keeps reading, and writes again after', async () => {
    const url = await database();
    const store = await open(url);
    const v1 = await created(store, 'Read-only');
    const id = v1.document.id;
    const dba = await admin(url);
    const name = new URL(url).pathname.slice(1);
    // As after a fail-over to a standby: every new session is read-only, and the old ones end.
    const reconnectAll = async () => {
      await dba.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await until('the old sessions to end', async () => (await dba.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = $2', [name, 'client backend'])).rowCount === 0);
      await pause(200);
    };
    await dba.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
    await reconnectAll();
    const unavailable = { name: 'StorageError', status: 503, retryAfter: 5, message: 'The database takes no writes now: it is a standby, or set to read-only (25006).' };
    const saving = await store.update(id, { title: 'Read-only', content: 'two' }, ifMatch(v1.etag), 'Bob').then(
      () => null,
      (error: unknown) => error,
    );
    expect(saving).toMatchObject(unavailable);
    expect((saving as Error).cause).toMatchObject({ code: '25006' });
    await expect(store.update(id, { title: 'Read-only', content: 'two' }, ifMatch('*'), 'Bob')).rejects.toMatchObject(unavailable);
    await expect(store.remove(id, ifMatch(v1.etag), 'Bob')).rejects.toMatchObject(unavailable);
    await expect(store.create({ title: 'Not now', content: '' }, 'Bob')).rejects.toMatchObject(unavailable);
    expect(await store.get(id)).toEqual({ kind: 'found', revision: v1 });
    expect((await store.list()).map((d) => d.id)).toEqual([id]);

    await dba.query(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
    await reconnectAll();
    const saved = await store.update(id, { title: 'Read-only', content: 'three' }, ifMatch(v1.etag), 'Bob');
    expect(saved).toMatchObject({ kind: 'updated', revision: { document: { version: 2, content: 'three' } } });
    if (saved.kind !== 'updated') return;
    expect(await store.remove(id, ifMatch(saved.revision.etag), 'Bob')).toMatchObject({ kind: 'deleted' });
    expect((await store.create({ title: 'Now', content: '' }, 'Bob')).kind).toBe('created');
  });

  it('answers with a 503 when it cannot get a connection, to reads and writes alike, and works again after', async () => {
    const url = await database();
    const name = new URL(url).pathname.slice(1);
    const dba = await admin(url);
    // A role of its own, whose connections can be limited (a superuser's cannot).
    const role = `conflict_lab_role_${Math.random().toString(36).slice(2, 10)}`;
    await dba.query(`CREATE ROLE ${role} LOGIN`);
    await dba.query(`ALTER DATABASE ${name} OWNER TO ${role}`);
    const asRole = new URL(url);
    asRole.username = role;
    let store: PostgresStore | null = null;
    try {
      store = await PostgresStore.open({ url: asRole.toString(), seed: false });
      const v1 = await created(store, 'Before');
      const id = v1.document.id;
      // The role may open no more connections, and the ones the store has end (a server that
      // restarts with fewer connection slots than before).
      await dba.query(`ALTER ROLE ${role} CONNECTION LIMIT 0`);
      await dba.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
      await until('its sessions to end', async () => (await dba.query('SELECT 1 FROM pg_stat_activity WHERE usename = $1', [role])).rowCount === 0);
      await pause(100);
      const unavailable = { name: 'StorageError', status: 503, retryAfter: 5, message: 'The database server has no connection to spare: it has as many open as it allows (53300).' };
      await expect(store.list()).rejects.toMatchObject(unavailable);
      await expect(store.revisions(id)).rejects.toMatchObject(unavailable);
      await expect(store.get(id)).rejects.toMatchObject(unavailable);
      await expect(store.create({ title: 'Not now', content: '' }, 'Bob')).rejects.toMatchObject(unavailable);
      await expect(store.remove(id, ifMatch(v1.etag), 'Bob')).rejects.toMatchObject(unavailable);

      await dba.query(`ALTER ROLE ${role} CONNECTION LIMIT -1`);
      expect(await store.get(id)).toEqual({ kind: 'found', revision: v1 });
      expect((await store.create({ title: 'Now', content: '' }, 'Bob')).kind).toBe('created');
    } finally {
      await store?.close();
      await dba.query(`REASSIGN OWNED BY ${role} TO CURRENT_USER`);
      await dba.query(`ALTER DATABASE ${name} OWNER TO CURRENT_USER`);
      await dba.query(`DROP ROLE ${role}`);
    }
  });

  it('refuses a retry whose first answer’s version is gone, instead of answering it with something else', async () => {
    const url = await database();
    const store = await open(url);
    const v1 = await created(store, 'Keyed');
    const request = { key: 'retry-1', fingerprint: 'PUT body' };
    expect((await store.update(v1.document.id, { title: 'Keyed', content: 'two' }, ifMatch(v1.etag), 'Bob', request)).kind).toBe('updated');
    const dba = await admin(url);
    await dba.query('DELETE FROM revisions WHERE doc_id = $1 AND version = 2', [v1.document.id]);
    await expect(store.update(v1.document.id, { title: 'Keyed', content: 'two' }, ifMatch(v1.etag), 'Bob', request)).rejects.toThrow(
      new Error('Idempotency key retry-1 names a revision that is not stored.'),
    );
  });

  it('refuses a database it cannot reach, naming it without the password', async () => {
    const url = new URL(await database());
    url.pathname = '/conflict_lab_never_created';
    url.password = 'secret';
    const error = await PostgresStore.open({ url: url.toString(), seed: false }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreOpenError);
    const shown = new URL(url);
    shown.password = '***';
    expect((error as Error).message).toMatch(
      new RegExp(`^PostgreSQL at ${shown.toString().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be used: .*conflict_lab_never_created`),
    );
    expect((error as Error).message).not.toContain('secret');
  });

  it('refuses reads and writes once closed, with a 503', async () => {
    const store = await open(await database());
    const v1 = await created(store, 'Closing');
    await store.close();
    await store.close();
    for (const call of [
      () => store.update(v1.document.id, { title: 'Closing', content: 'two' }, ifMatch(v1.etag), 'Bob'),
      () => store.update(v1.document.id, { title: 'Closing', content: 'two' }, ifMatch('*'), 'Bob'),
      () => store.remove(v1.document.id, ifMatch(v1.etag), 'Bob'),
      () => store.create({ title: 'After', content: '' }, 'Bob'),
      () => store.get(v1.document.id),
      () => store.list(),
      () => store.revisions(v1.document.id),
    ]) {
      await expect(call()).rejects.toThrow(new StorageError('The store is closed.', 503));
    }
  });
});

describe('redact', () => {
  it('hides a connection string’s password, and all of one it cannot read', () => {
    expect(redact('postgres://ana:secret@db.example:5432/lab')).toBe('postgres://ana:***@db.example:5432/lab');
    expect(redact('postgres://ana@db.example/lab')).toBe('postgres://ana@db.example/lab');
    expect(redact('ana secret, db.example')).toBe('the given address');
  });
});
