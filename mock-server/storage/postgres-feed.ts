/**
 * The stream of committed changes that every server on one PostgreSQL database reads, in one
 * order that all of them share, without serialising the writers' commits.
 *
 * A write inserts its changes into the `changes` table inside its own transaction; the row keys
 * are the transaction's id (`pg_current_xact_id()`) and the change's place in it. Transactions
 * commit in any order, so a reader cannot simply follow the key: a transaction with a smaller id
 * may still commit after a larger one was read. The rule that makes the order safe is a
 * watermark: a reader delivers a change only once its transaction id is below the `xmin` of its
 * own snapshot (`pg_snapshot_xmin(pg_current_snapshot())`), that is once every transaction that
 * could still add a change before it has ended. Positions handed out are then final: nothing can
 * ever appear before one that a reader delivered, so `Last-Event-ID` resumes exactly, on any
 * server. The price is latency, not throughput: a change waits for the transactions that started
 * before it (milliseconds here) before it is delivered.
 *
 * `NOTIFY` only wakes readers up (the payload is empty). It is sent after the write's commit, on
 * the feed's own connection with `synchronous_commit = off`, and coalesced: PostgreSQL takes one
 * database-wide lock for every committing transaction that notifies, so a `NOTIFY` inside the
 * writes would serialise their commits again. A poll every second covers a wake-up lost to a
 * dropped connection.
 *
 * Changes are kept for an hour (CHANGE_RETENTION_MS), then pruned by whichever server gets there
 * first, which records in `meta` the last position it pruned. A server cut off for longer (its
 * connection down, its process paused) may find that changes it had not read yet are gone: every
 * read compares its position with that mark, and when the mark is past it, the feed says so
 * (`onMissed`: the event streams tell their clients to refetch) and goes on from the mark, so it
 * never stops, and never passes over a lost change in silence.
 */
import pg from 'pg';
import type { StoreChange } from './types.ts';

export const CHANNEL = 'conflict_lab_changes';

/** How long changes are kept for readers that fall behind (a server whose connection dropped). */
export const CHANGE_RETENTION_MS = 60 * 60 * 1000;

/**
 * One change's place in the shared order, as one integer: the transaction id in the high bits,
 * the change's number within its transaction in the low 32.
 */
export function positionOf(xid: bigint, n: number): bigint {
  return (xid << 32n) | BigInt(n);
}

const LOW_BITS = 0xffff_ffffn;
const BATCH = 500;
const SAFETY_POLL_MS = 1000;
const PRUNE_EVERY_MS = 60_000;
/** The `meta` key of the last position pruned: changes up to it may be gone. */
const PRUNED_KEY = 'changes_pruned_through';

/** A row of the feed's read: the pruned mark, and a change (all null when there is none). */
interface ChangeRow {
  pruned: string | null;
  transaction: string | null;
  n: number;
  payload: string;
  ready: boolean;
}

export interface ChangeFeedOptions {
  /** How long changes are kept (CHANGE_RETENTION_MS unless set; shorter in a test). */
  retentionMs?: number;
  /**
   * Called when changes after this feed's position were pruned before it read them, with the
   * position it goes on after: the changes up to it cannot all be told.
   */
  onMissed?: (after: bigint) => void;
}

export class ChangeFeed {
  /** Changes up to and including this position were committed before this feed started reading. */
  readonly start: bigint;
  private cursor: bigint;
  private client: pg.Client | null = null;
  private polling = false;
  // Stryker disable next-line BooleanLiteral: poll() clears it before the read after which it is looked at.
  private pollAgain = false;
  private notifying = false;
  // Stryker disable next-line BooleanLiteral: notify() clears it before the NOTIFY after which it is looked at.
  private notifyAgain = false;
  private waitMs = 0;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private readonly safety: ReturnType<typeof setInterval>;
  private lastPrune = 0;
  private closed = false;

  private readonly url: string;
  private readonly deliver: (change: StoreChange) => void;
  private readonly retentionMs: number;
  private readonly onMissed: (after: bigint) => void;

  private constructor(url: string, start: bigint, deliver: (change: StoreChange) => void, options: ChangeFeedOptions) {
    this.url = url;
    this.deliver = deliver;
    this.retentionMs = options.retentionMs ?? CHANGE_RETENTION_MS;
    this.onMissed = options.onMissed ?? (() => {});
    this.start = start;
    this.cursor = start;
    this.safety = setInterval(() => this.poll(), SAFETY_POLL_MS);
    this.safety.unref();
  }

  /** Connects, LISTENs, and starts after every change already committed. */
  static async open(url: string, deliver: (change: StoreChange) => void, options: ChangeFeedOptions = {}): Promise<ChangeFeed> {
    const client = await connect(url);
    try {
      // Everything below the watermark is history; everything from it on is for this feed.
      const { rows } = await client.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
      // Stryker disable next-line StringLiteral,OptionalChaining: the query always returns its row (and BigInt('') is 0n as well).
      const start = positionOf(BigInt(rows[0]?.xmin ?? '0'), 0) - 1n;
      const feed = new ChangeFeed(url, start, deliver, options);
      feed.attach(client);
      return feed;
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  }

  /**
   * After a local commit: read at once (this server's streams need not wait for a round trip
   * through NOTIFY), and wake the other servers up.
   */
  committed(): void {
    this.poll();
    this.notify();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.safety);
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  /** Reads what is new; one read at a time, and one more if asked meanwhile. */
  private poll(): void {
    if (this.closed || !this.client) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    this.pollAgain = false;
    const client = this.client;
    this.read(client)
      .then((more) => {
        this.polling = false;
        if (more === 'full' || this.pollAgain) {
          this.poll();
        } else if (more === 'held') {
          // A transaction older than what is waiting has not ended yet: look again soon, a
          // little later each time, as it may be another application's.
          this.waitMs = Math.min(Math.max(this.waitMs * 2, 2), 100);
          this.schedule(this.waitMs);
        } else {
          this.waitMs = 0;
        }
      })
      .catch(() => {
        // The connection failed: `error`/`end` reconnect; the cursor stays where it was.
        this.polling = false;
      });
  }

  private async read(client: pg.Client): Promise<'done' | 'held' | 'full'> {
    const xid = (this.cursor >> 32n).toString();
    const n = Number(this.cursor & LOW_BITS);
    // One snapshot for the pruned mark and the changes after the cursor; one row with the mark
    // alone when there are none. (The transaction id is read as text, under another name: ORDER
    // BY an output column named `xid` would sort the text.) Named: planned once per connection.
    const { rows } = await client.query<ChangeRow>({
      name: 'read-changes',
      text: `SELECT (SELECT value FROM meta WHERE key = '${PRUNED_KEY}') AS pruned, c.transaction, c.n, c.payload, c.ready
         FROM (SELECT) AS one LEFT JOIN LATERAL (
           SELECT c.xid, c.xid::text AS transaction, c.n, c.payload, c.xid < pg_snapshot_xmin(pg_current_snapshot()) AS ready
             FROM changes c WHERE (c.xid, c.n) > ($1::xid8, $2::bigint) ORDER BY c.xid, c.n LIMIT ${BATCH}
         ) AS c ON true
        ORDER BY c.xid, c.n`,
      values: [xid, n],
    });
    // Stryker disable next-line OptionalChaining: the query always returns a row (the mark's, joined to no change when there is none).
    const pruned = rows[0]?.pruned;
    if (pruned && BigInt(pruned) > this.cursor) {
      // Changes this feed had not read were pruned: which ones is lost. Go on after the mark.
      this.cursor = BigInt(pruned);
      this.onMissed(this.cursor);
    }
    let changes = 0;
    for (const row of rows) {
      if (row.transaction === null) continue;
      changes += 1;
      const position = positionOf(BigInt(row.transaction), row.n);
      // Passed over with the pruned mark.
      if (position <= this.cursor) continue;
      // Rows come in order and `ready` holds for a prefix: stop at the first one still pending.
      if (!row.ready) return 'held';
      this.cursor = position;
      const change = JSON.parse(row.payload) as Omit<StoreChange, 'seq'>;
      this.deliver({ ...change, seq: position });
    }
    if (Date.now() - this.lastPrune > Math.min(PRUNE_EVERY_MS, this.retentionMs)) {
      this.lastPrune = Date.now();
      await prune(client, this.retentionMs);
    }
    if (changes === BATCH) return 'full';
    // Stryker disable next-line StringLiteral: poll() tells 'full' and 'held' apart from anything else.
    return 'done';
  }

  /** A wake-up for every server's feed; one at a time, and one more if asked meanwhile. */
  private notify(): void {
    if (this.closed || !this.client) return;
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    this.notifyAgain = false;
    this.client
      .query(`NOTIFY ${CHANNEL}`)
      .catch(() => {
        // Lost with the connection: the other servers' own polls will see the change.
      })
      .finally(() => {
        this.notifying = false;
        if (this.notifyAgain) this.notify();
      });
  }

  private schedule(ms: number): void {
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.poll();
    }, ms);
    this.retry.unref();
  }

  private attach(client: pg.Client): void {
    this.client = client;
    // Its own wake-up is not one: this server read at its commit, before it notified.
    const own = ownBackend.get(client);
    client.on('notification', (message) => {
      if (message.channel === CHANNEL && message.processId !== own) this.poll();
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      this.polling = false;
      this.notifying = false;
      void client.end().catch(() => {});
      this.reconnect();
    };
    // Stryker disable next-line StringLiteral: 'end' follows every 'error' of a connection lost.
    client.on('error', lost);
    // Stryker disable next-line StringLiteral: an 'error' comes before every 'end' of a connection lost.
    client.on('end', lost);
    // Whatever was committed while it was away (or before LISTEN took effect) is read now.
    this.poll();
  }

  private reconnect(): void {
    if (this.closed) return;
    setTimeout(() => {
      if (this.closed || this.client) return;
      connect(this.url).then(
        (client) => (this.closed ? void client.end().catch(() => {}) : this.attach(client)),
        () => this.reconnect(),
      );
    }, 1000).unref();
  }
}

/**
 * Deletes the changes older than the retention, and raises the pruned mark to the last position
 * deleted (two servers pruning at once: the higher mark stays).
 */
async function prune(client: pg.Client, retentionMs: number): Promise<void> {
  await client.query(
    `WITH pruned AS (
       DELETE FROM changes WHERE at < now() - $1 * interval '1 millisecond' RETURNING xid::text::numeric * 4294967296 + n AS position
     )
     INSERT INTO meta (key, value) SELECT '${PRUNED_KEY}', max(position)::text FROM pruned HAVING count(*) > 0
     ON CONFLICT (key) DO UPDATE SET value = GREATEST(meta.value::numeric, EXCLUDED.value::numeric)::text`,
    [retentionMs],
  );
}

/** The backend process of each feed connection, which its NOTIFYs come from. */
const ownBackend = new WeakMap<pg.Client, number>();

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  // Until attach() listens for them, an error must not crash the process.
  client.on('error', () => {});
  await client.connect();
  try {
    // The wake-ups it sends need not wait for the disk: a lost one costs a poll's delay.
    await client.query('SET synchronous_commit = off');
    await client.query(`LISTEN ${CHANNEL}`);
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    if (rows[0]) ownBackend.set(client, rows[0].pid);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}
