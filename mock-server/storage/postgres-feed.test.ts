/**
 * The PostgreSQL change feed (postgres-feed.ts) on its own paths, without its safety poll: each
 * test stops `setInterval` (fake timers for it alone; sockets, `setTimeout` and PostgreSQL stay
 * real), so a change arrives only through the reads the feed makes on a commit, on a wake-up,
 * after a full batch, or while a change is held back. Delivery that would only come with the
 * next safety poll, a second later, does not come at all, and the test's bounded wait says so.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { created, postgresEngine, until } from './engines-under-test.ts';
import { PostgresStore } from './postgres-store.ts';
import { CHANNEL, ChangeFeed, positionOf } from './postgres-feed.ts';
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

/**
 * The feed on its own (ChangeFeed, without a store) with every timer it sets and its clock fake,
 * sockets and PostgreSQL real, and the queries it sends counted on their way to PostgreSQL (the
 * real `pg.Client` query, wrapped): what a wake-up, a commit, a retry, a safety poll or a lost
 * connection costs, in queries, reads, wake-ups sent and connections opened. The tests wait for
 * PostgreSQL's answers with the real setTimeout, kept before the timers are faked; no assertion
 * depends on how long anything takes.
 */
const realSetTimeout = globalThis.setTimeout;

describe.runIf(postgres)('the change feed, its queries and timers counted', () => {
  type Kind = 'read' | 'prune' | 'notify' | 'other';
  interface Sent {
    client: pg.Client;
    kind: Kind;
  }
  interface Hold {
    /** Resolves when the held query's answer has come back from PostgreSQL. */
    answered: Promise<void>;
    release(): void;
  }
  const kindOf = (text: string): Kind =>
    text.includes('FROM changes c WHERE') ? 'read' : text.startsWith('WITH pruned') ? 'prune' : text === `NOTIFY ${CHANNEL}` ? 'notify' : 'other';
  // `pg.Client`'s methods, as called: overloads the wrapper passes on unchanged.
  const prototype = pg.Client.prototype as unknown as Record<'query' | 'connect', (this: pg.Client, ...args: unknown[]) => unknown>;
  const { query, connect } = prototype;

  /** The test's own connections (a writer, a listener): their queries are not the feed's. */
  const ours = new WeakSet<pg.Client>();
  const clients: pg.Client[] = [];
  const feeds: ChangeFeed[] = [];
  let sent: Sent[] = [];
  /** The feed's queries not answered yet (or answered and held). */
  let pending = 0;
  /** The feed's connection attempts, each as it ends (never rejects). */
  let attempts: Promise<unknown>[] = [];
  const holds = new Map<Kind, { gate: Promise<void>; answered: () => void }>();
  const releases: (() => void)[] = [];
  let url = '';

  const count = (kind: Kind) => sent.filter((s) => s.kind === kind).length;

  /** Waits (the real setTimeout: at most 5 s, every 10 ms) until `done` holds. */
  async function until(what: string, done: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
    for (let waited = 0; !(await done()); waited += 10) {
      if (waited >= ms) throw new Error(`waited ${ms} ms for ${what}`);
      await new Promise((resolve) => realSetTimeout(resolve, 10));
    }
  }
  /** Until the feed has no query out. */
  const settled = () => until('the feed to have no query out', () => pending === 0);

  /** Holds back the answer to the feed's next query of this kind until `release`. */
  function hold(kind: Kind): Hold {
    let release = () => {};
    let answered = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reached = new Promise<void>((resolve) => (answered = resolve));
    holds.set(kind, { gate, answered });
    releases.push(release);
    return { answered: reached, release };
  }

  beforeEach(async () => {
    const config = await postgres!.freshConfig();
    if (config.kind !== 'postgres') throw new Error(config.kind);
    url = config.url;
    // The store's tables, made by the store.
    await (await PostgresStore.open({ url, seed: false })).close();
    sent = [];
    pending = 0;
    attempts = [];
    prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const answer = query.apply(this, args);
      if (ours.has(this)) return answer;
      const first = args[0];
      const kind = kindOf(typeof first === 'string' ? first : (first as { text: string }).text);
      sent.push({ client: this, kind });
      pending += 1;
      const held = holds.get(kind);
      holds.delete(kind);
      return (answer as Promise<unknown>).finally(async () => {
        if (held) {
          held.answered();
          await held.gate;
        }
        pending -= 1;
      });
    };
    prototype.connect = function (this: pg.Client, ...args: unknown[]) {
      const attempt = connect.apply(this, args);
      if (!ours.has(this)) attempts.push((attempt as Promise<unknown>).catch(() => {}));
      return attempt;
    };
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(async () => {
    for (const release of releases.splice(0)) release();
    holds.clear();
    await Promise.all(feeds.splice(0).map((feed) => feed.close()));
    await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
    prototype.query = query;
    prototype.connect = connect;
    vi.useRealTimers();
  });

  async function own(database = url): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: database });
    ours.add(client);
    client.on('error', () => {});
    await client.connect();
    clients.push(client);
    return client;
  }

  async function open() {
    const heard: StoreChange[] = [];
    const missed: bigint[] = [];
    const feed = await ChangeFeed.open(url, (change) => heard.push(change), { onMissed: (after) => missed.push(after) });
    feeds.push(feed);
    await settled();
    const client = sent[sent.length - 1]!.client;
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    /** The wake-ups its connection has received, its own included. */
    const notes = { count: 0 };
    client.on('notification', () => (notes.count += 1));
    return { feed, heard, missed, client, pid, notes };
  }

  const change = (id: string) =>
    JSON.stringify({ type: 'created', id, version: 1, etag: `"${id}"`, updatedBy: 'Ana', updatedAt: '2026-01-01T00:00:00.000Z' });
  /** A change committed by another program, without a wake-up; its transaction id. */
  async function commit(writer: pg.Client, id: string): Promise<bigint> {
    const { rows } = await writer.query<{ xid: string }>('INSERT INTO changes (n, payload) VALUES (0, $1) RETURNING xid::text AS xid', [change(id)]);
    return BigInt(rows[0]!.xid);
  }
  /** A wake-up from another connection, and the read it causes. */
  async function wake(writer: pg.Client): Promise<void> {
    const reads = count('read');
    await writer.query(`NOTIFY ${CHANNEL}`);
    await until('the read the wake-up causes', () => count('read') > reads);
    await settled();
  }
  /** Until the backend of this process id has gone. */
  const gone = (writer: pg.Client, pid: number) =>
    until(`backend ${pid} to end`, async () => (await writer.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0);
  /** Ends the feed's connection from the server's side, and waits for the feed to see it. */
  async function cut(writer: pg.Client, { client, pid }: { client: pg.Client; pid: number }): Promise<void> {
    let ended = false;
    client.on('end', () => (ended = true));
    await writer.query('SELECT pg_terminate_backend($1)', [pid]);
    await until('the connection to end', () => ended);
  }

  it('opens with one read and one prune, then rests until its safety poll, which reads once', async () => {
    const writer = await own();
    // The test cluster's commits do not wait for the disk; this database's do, but for the feed's.
    await writer.query(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET synchronous_commit = on`);
    const { heard, client } = await open();
    expect([count('read'), count('prune'), count('notify')]).toEqual([1, 1, 0]);
    // Nothing is waiting: no timer but the safety poll's.
    expect(vi.getTimerCount()).toBe(1);
    await commit(writer, 'quiet');
    vi.advanceTimersByTime(999);
    expect(count('read')).toBe(1);
    vi.advanceTimersByTime(1);
    expect(count('read')).toBe(2);
    await settled();
    expect(heard.map((c) => c.id)).toEqual(['quiet']);
    expect([count('read'), count('prune'), vi.getTimerCount()]).toEqual([2, 1, 1]);
    // Its read is prepared once on its connection, and its wake-ups do not wait for the disk.
    const prepared = await client.query<{ name: string }>('SELECT name FROM pg_prepared_statements');
    expect(prepared.rows.map((r) => r.name)).toEqual(['read-changes']);
    const sync = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    expect(sync.rows[0]?.synchronous_commit).toBe('off');
  });

  it('reads once more for the wake-ups that come during a read, and delivers the commit that landed meanwhile', async () => {
    const writer = await own();
    const { heard, notes } = await open();
    await commit(writer, 'first');
    const read = hold('read');
    await writer.query(`NOTIFY ${CHANNEL}`);
    await read.answered;
    // Its answer has 'first'; 'second' commits after it, with three wake-ups.
    await commit(writer, 'second');
    for (let i = 0; i < 3; i++) await writer.query(`NOTIFY ${CHANNEL}`);
    await until('the three wake-ups', () => notes.count === 4);
    expect(count('read')).toBe(2);
    read.release();
    await until('the read again', () => count('read') === 3);
    await settled();
    expect(heard.map((c) => c.id)).toEqual(['first', 'second']);
    expect(count('read')).toBe(3);
  });

  it('does not read for its own wake-up, which the other servers hear', async () => {
    const listener = await own();
    let heardByOthers = 0;
    listener.on('notification', () => (heardByOthers += 1));
    await listener.query(`LISTEN ${CHANNEL}`);
    const { feed, notes } = await open();
    feed.committed();
    expect([count('read'), count('notify')]).toEqual([2, 1]);
    await until('its own wake-up back', () => notes.count === 1);
    await until('the wake-up at the other server', () => heardByOthers === 1);
    await settled();
    expect([count('read'), count('notify')]).toEqual([2, 1]);
  });

  it('sends one more wake-up for the commits made while one was being sent', async () => {
    const { feed, notes } = await open();
    const notify = hold('notify');
    feed.committed();
    await notify.answered;
    // Its read has been answered before: the next commit reads again; the two after it, once more.
    for (let i = 0; i < 3; i++) feed.committed();
    expect([count('read'), count('notify')]).toEqual([3, 1]);
    notify.release();
    await until('the second wake-up', () => count('notify') === 2);
    await until('both wake-ups back', () => notes.count === 2);
    await settled();
    expect([count('read'), count('notify')]).toEqual([4, 2]);
  });

  it('prunes on its first read, then on the first read more than a minute after', async () => {
    const writer = await own();
    const start = Date.now();
    await open();
    expect(count('prune')).toBe(1);
    await wake(writer);
    vi.setSystemTime(start + 60_000);
    await wake(writer);
    expect([count('read'), count('prune')]).toEqual([3, 1]);
    vi.setSystemTime(start + 60_001);
    await wake(writer);
    expect([count('read'), count('prune')]).toEqual([4, 2]);
    await wake(writer);
    expect([count('read'), count('prune')]).toEqual([5, 2]);
  });

  it('looks again for a held change after 2, 4, 8 … ms, at most 100 ms apart, one wait at a time, and from 2 ms again the next time', async () => {
    const writer = await own();
    const older = await own();
    const { heard } = await open();
    const retriesAfter = async (ms: number) => {
      const reads = count('read');
      vi.advanceTimersByTime(ms - 1);
      expect(count('read')).toBe(reads);
      vi.advanceTimersByTime(1);
      expect(count('read')).toBe(reads + 1);
      await settled();
    };
    await older.query('BEGIN');
    await older.query('SELECT pg_current_xact_id()');
    await commit(writer, 'held');
    await wake(writer);
    // The safety poll and one retry.
    expect(vi.getTimerCount()).toBe(2);
    for (const ms of [2, 4, 8, 16, 32, 64, 100, 100]) await retriesAfter(ms);
    // A wake-up meanwhile reads, and keeps the retry that is waiting.
    await wake(writer);
    expect(vi.getTimerCount()).toBe(2);
    await retriesAfter(100);
    expect(heard).toEqual([]);
    await older.query('ROLLBACK');
    await retriesAfter(100);
    expect(heard.map((c) => c.id)).toEqual(['held']);
    expect(vi.getTimerCount()).toBe(1);
    await older.query('BEGIN');
    await older.query('SELECT pg_current_xact_id()');
    await commit(writer, 'held again');
    await wake(writer);
    await retriesAfter(2);
    await retriesAfter(4);
    await older.query('ROLLBACK');
    await retriesAfter(8);
    expect(heard.map((c) => c.id)).toEqual(['held', 'held again']);
  });

  it('closes its connection and leaves no timer, even with a retry waiting or a read out', async () => {
    const writer = await own();
    const older = await own();
    await older.query('BEGIN');
    await older.query('SELECT pg_current_xact_id()');
    const one = await open();
    await commit(writer, 'held');
    await wake(writer);
    expect(vi.getTimerCount()).toBe(2);
    const queries = sent.length;
    await one.feed.close();
    expect(vi.getTimerCount()).toBe(0);
    one.feed.committed();
    expect(sent.length).toBe(queries);
    await gone(writer, one.pid);
    // Closed while a read is out, whose answer says to look again.
    const two = await open();
    const read = hold('read');
    await writer.query(`NOTIFY ${CHANNEL}`);
    await read.answered;
    const closing = two.feed.close();
    read.release();
    await closing;
    await settled();
    expect(vi.getTimerCount()).toBe(0);
    await gone(writer, two.pid);
  });

  it('connects again once, a second after its connection is lost, and reads what was committed meanwhile', async () => {
    const writer = await own();
    const opened = await open();
    const { feed, heard } = opened;
    await cut(writer, opened);
    // The safety poll, and the wait before connecting again.
    expect(vi.getTimerCount()).toBe(2);
    await commit(writer, 'while away');
    vi.advanceTimersByTime(999);
    expect(attempts.length).toBe(1);
    vi.advanceTimersByTime(1);
    expect(attempts.length).toBe(2);
    await until('the change made while away', () => heard.length === 1);
    await settled();
    expect(heard.map((c) => c.id)).toEqual(['while away']);
    expect([attempts.length, vi.getTimerCount()]).toEqual([2, 1]);
    // Its wake-ups go out on the new connection.
    const notifies = count('notify');
    feed.committed();
    expect(count('notify')).toBe(notifies + 1);
    await settled();
  });

  it('tries again every second while it cannot connect, and stops when closed', async () => {
    const writer = await own();
    const name = new URL(url).pathname.slice(1);
    // From another database: PostgreSQL refuses to close the one it is connected to.
    const admin = await own(inject('postgresUrl') ?? '');
    const opened = await open();
    const { feed } = opened;
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    try {
      await cut(writer, opened);
      vi.advanceTimersByTime(1000);
      expect(attempts.length).toBe(2);
      await attempts[1];
      await until('the next wait', () => vi.getTimerCount() === 2);
      vi.advanceTimersByTime(1000);
      expect(attempts.length).toBe(3);
      // Closed while connecting: the failed attempt is the last.
      await feed.close();
      await attempts[2];
      await new Promise((resolve) => realSetTimeout(resolve, 10));
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    }
  });

  it('does not connect again once closed while its connection was lost', async () => {
    const writer = await own();
    const opened = await open();
    await cut(writer, opened);
    await opened.feed.close();
    vi.advanceTimersByTime(1000);
    expect(attempts.length).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closes the connection of an open that failed, and says why', async () => {
    const writer = await own();
    // Functions of the same names found before PostgreSQL's own: one query of the open fails.
    await writer.query('CREATE SCHEMA trap');
    const failing = async (fn: string) => {
      await writer.query(`CREATE OR REPLACE FUNCTION ${fn} LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no %', '${fn}'; END $$`);
      const trapped = new URL(url);
      trapped.searchParams.set('options', '-c search_path=trap,pg_catalog,public');
      const before = attempts.length;
      await expect(ChangeFeed.open(trapped.toString(), () => {})).rejects.toThrow(/^no trap\./);
      expect(attempts.length).toBe(before + 1);
      expect(sent[sent.length - 1]?.kind).toBe('other');
      await until('only the test connected', async () => {
        const others = await writer.query('SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        return others.rowCount === 0;
      });
      await writer.query('DROP FUNCTION ' + fn.replace(/\bRETURNS.*$/, ''));
    };
    try {
      // Connecting: its backend's id.
      await failing('trap.pg_backend_pid() RETURNS integer');
      // Opening: the watermark.
      await failing('trap.pg_snapshot_xmin(pg_snapshot) RETURNS xid8');
    } finally {
      await writer.query('DROP SCHEMA trap CASCADE');
    }
  });

  it('passes over a change at the pruned mark itself, and says so once', async () => {
    const writer = await own();
    const { heard, missed } = await open();
    const xid = await commit(writer, 'at the mark');
    const mark = positionOf(xid, 0);
    await writer.query("INSERT INTO meta (key, value) VALUES ('changes_pruned_through', $1)", [String(mark)]);
    await commit(writer, 'after the mark');
    await wake(writer);
    expect([heard.map((c) => c.id), missed]).toEqual([['after the mark'], [mark]]);
    await commit(writer, 'last');
    await wake(writer);
    expect([heard.map((c) => c.id), missed]).toEqual([['after the mark', 'last'], [mark]]);
  });
});
