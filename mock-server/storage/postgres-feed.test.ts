/**
 * The PostgreSQL change feed (postgres-feed.ts) on its own paths, without its safety poll: each
 * test stops `setInterval` (fake timers for it alone; sockets, `setTimeout` and PostgreSQL stay
 * real), so a change arrives only through the reads the feed makes on a commit, on a wake-up,
 * after a full batch, or while a change is held back. Delivery that would only come with the
 * next safety poll, a second later, does not come at all, and the test's bounded wait says so.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { created, postgresEngine, until } from './engines-under-test.ts';
import { PostgresStore } from './postgres-store.ts';
import { CHANNEL } from './postgres-feed.ts';
import type { StoreChange } from './types.ts';

const postgres = postgresEngine();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The shared bounded wait, at most 5 s here, looking every 10 ms. */
const soon = (what: string, done: () => boolean, ms = 5000) => until(what, done, ms, 10);

describe.runIf(postgres)('the change feed without its safety poll', () => {
  const stores: PostgresStore[] = [];
  const clients: pg.Client[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
    await Promise.all(stores.splice(0).map((store) => store.close()));
    vi.useRealTimers();
  });

  async function database(): Promise<string> {
    const config = await postgres!.freshConfig();
    if (config.kind !== 'postgres') throw new Error(config.kind);
    return config.url;
  }

  async function open(url: string): Promise<{ store: PostgresStore; heard: StoreChange[] }> {
    const store = await PostgresStore.open({ url, seed: false });
    stores.push(store);
    const heard: StoreChange[] = [];
    store.subscribe((change) => heard.push(change));
    return { store, heard };
  }

  async function connect(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    await client.connect();
    clients.push(client);
    return client;
  }

  it('delivers its own commits, and another server’s on its wake-up', async () => {
    const url = await database();
    const one = await open(url);
    const other = await open(url);
    const own = await created(one.store, 'Own', '');
    await soon('its own change', () => one.heard.length === 1);
    await soon('the change on the other server', () => other.heard.length === 1);
    expect(one.heard.map((c) => c.id)).toEqual([own.document.id]);
    expect(other.heard).toEqual(one.heard);
    const back = await created(other.store, 'Back', '');
    await soon('the answer on the first server', () => one.heard.length === 2);
    expect(one.heard.map((c) => c.id)).toEqual([own.document.id, back.document.id]);
  });

  it('reads on, batch after batch, when more changes wait than one read takes', async () => {
    const url = await database();
    const { heard } = await open(url);
    const writer = await connect(url);
    // 1,234 changes of one transaction (another program's, or a reset of many documents), then one wake-up.
    await writer.query(
      `INSERT INTO changes (n, payload)
       SELECT i, json_build_object('type', 'created', 'id', 'd_' || i, 'version', 1, 'etag', '"t' || i || '"', 'updatedBy', 'Ana', 'updatedAt', '2026-01-01T00:00:00.000Z')::text
         FROM generate_series(0, 1233) AS i`,
    );
    await writer.query(`NOTIFY ${CHANNEL}`);
    await soon('every change', () => heard.length >= 1234);
    expect(heard.map((c) => c.id)).toEqual(Array.from({ length: 1234 }, (_, i) => `d_${i}`));
    const seqs = heard.map((c) => c.seq ?? 0n);
    expect(seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] ?? 0n))).toBe(true);
  });

  it('reads again for the commits made while it was reading', async () => {
    const url = await database();
    const { store, heard } = await open(url);
    const made = await Promise.all(Array.from({ length: 12 }, (_, i) => created(store, `At once ${i}`, '')));
    await soon('every change', () => heard.length === made.length);
    expect(heard.map((c) => c.id).sort()).toEqual(made.map((r) => r.document.id).sort());
  });

  it('says once that changes were pruned past it, passes over the ones before the mark, and goes on after it', async () => {
    const url = await database();
    const { store, heard } = await open(url);
    const missed: bigint[] = [];
    store.subscribeMissed((after) => missed.push(after));
    const writer = await connect(url);
    const xid = async () => BigInt((await writer.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows[0]?.xid ?? '0');
    // Another server pruned up to a transaction 20 ahead of the last one so far.
    const mark = (await xid()) + 20n;
    await writer.query("INSERT INTO meta (key, value) VALUES ('changes_pruned_through', $1)", [String(mark << 32n)]);
    const before = await created(store, 'Before the mark', '');
    await soon('the missed notice', () => missed.length === 1);
    expect(missed).toEqual([mark << 32n]);
    // Its own change sits before the mark: passed over, as if pruned.
    for (let i = 0; i < 25; i++) await xid();
    const after = await created(store, 'After the mark', '');
    await soon('the change after the mark', () => heard.length > 0);
    await writer.query(`NOTIFY ${CHANNEL}`);
    const last = await created(store, 'Last', '');
    await soon('the last change', () => heard.length === 2);
    expect(heard.map((c) => c.id)).toEqual([after.document.id, last.document.id]);
    expect(heard.map((c) => c.id)).not.toContain(before.document.id);
    expect(missed).toEqual([mark << 32n]);
  });

  it('goes on reading after a read that failed on a connection that stayed', async () => {
    const url = await database();
    const name = new URL(url).pathname.slice(1);
    const writer = await connect(url);
    // The feed's reads give up on a lock after 100 ms.
    await writer.query(`ALTER DATABASE ${name} SET lock_timeout = '100ms'`);
    const { store, heard } = await open(url);
    const locker = await connect(url);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE changes IN ACCESS EXCLUSIVE MODE');
    // A wake-up: the feed reads, waits for the lock, and fails.
    await writer.query(`NOTIFY ${CHANNEL}`);
    await pause(300);
    await locker.query('COMMIT');
    const made = await created(store, 'After the failed read', '');
    await soon('the change after the failed read', () => heard.length === 1);
    expect(heard[0]).toMatchObject({ id: made.document.id });
  });

  it('holds a change back while an older transaction is open, and delivers it once that ends', async () => {
    const url = await database();
    const { store, heard } = await open(url);
    const older = await connect(url);
    await older.query('BEGIN');
    await older.query('SELECT pg_current_xact_id()');
    const held = await created(store, 'Held back', '');
    // Several reads come and go meanwhile (its own commit's, then the retries).
    await pause(150);
    expect(heard).toEqual([]);
    await older.query('ROLLBACK');
    await soon('the held change', () => heard.length === 1);
    expect(heard[0]).toMatchObject({ type: 'created', id: held.document.id });
    // And the next one after it, which nothing holds back.
    const next = await created(store, 'Not held', '');
    await soon('the next change', () => heard.length === 2);
    expect(heard[1]).toMatchObject({ id: next.document.id });
  });
});
