/**
 * The PostgreSQL engine, for several server processes behind one database (`--database URL` or
 * `DATABASE_URL`). Every write is one transaction whose If-Match check is the conditional
 * `UPDATE documents … WHERE id = $1 AND etag = $2`: of two servers saving on the same tag, the
 * second one's UPDATE waits for the first to commit, then matches no row and answers a conflict.
 *
 * Every write records its changes in the `changes` table, in the same transaction, and every
 * server reads that table in one shared order (postgres-feed.ts), so a save on one server reaches
 * the event streams of all, and `Last-Event-ID` means the same on every server. Nothing in a write
 * waits for another write's commit except a save of the same document; PostgreSQL's group commit
 * flushes concurrent commits together.
 */
import pg from 'pg';
import { ChangeFeed } from './postgres-feed.ts';
import type { EntityTagCondition } from '../../src/protocol/etag.ts';
import { INITIAL_STATE, type DocumentState } from '../../src/protocol/concurrency.ts';
import type { DocumentSummary } from '../../src/protocol/types.ts';
import {
  changeOf,
  goneFrom,
  listedTags,
  newDocumentId,
  passes,
  randomHex,
  stateOf,
  strongTags,
  recordFrom,
  revisionFrom,
  summaryFrom,
  type DocumentRow as DocumentColumns,
  type RevisionRow as StoredRow,
  SAMPLE_AUTHOR,
  SAMPLE_DOCUMENTS,
  TagMinter,
  titleKey,
} from './common.ts';
import {
  IDEMPOTENCY_TTL_MS,
  StorageError,
  StoreOpenError,
  type Conflict,
  type CreateOptions,
  type CreateResult,
  type DeleteResult,
  type DeletionReason,
  type DocumentInput,
  type GetResult,
  type Gone,
  type IdempotencyRequest,
  type RevisionRange,
  type RevisionRecord,
  type Store,
  type StoreChange,
  type StoredRevision,
  type UpdateResult,
  type WriteRecord,
} from './types.ts';

/** The advisory lock key of schema changes (a constant unlikely to clash with another application's). */
const SCHEMA_LOCK = 7_301_001;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  version integer NOT NULL,
  etag text NOT NULL,
  title bytea NOT NULL,
  title_key bytea NOT NULL,
  updated_at text NOT NULL,
  updated_by text NOT NULL,
  deleted_at text,
  deleted_by text,
  -- Why, when not by a person's own delete: 'reset' (the demo reset). Null otherwise.
  deleted_reason text
);
-- Two servers creating the same title at once: the second commit fails here, and is retried.
CREATE UNIQUE INDEX IF NOT EXISTS documents_live_title ON documents (title_key) WHERE deleted_at IS NULL;
CREATE TABLE IF NOT EXISTS revisions (
  doc_id text NOT NULL,
  version integer NOT NULL,
  etag text NOT NULL UNIQUE,
  title bytea NOT NULL,
  content bytea NOT NULL,
  updated_at text NOT NULL,
  updated_by text NOT NULL,
  -- The tag the writer started from: null for a create, or a write that named none.
  based_on text,
  state text NOT NULL DEFAULT 'draft',
  PRIMARY KEY (doc_id, version)
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  key text PRIMARY KEY,
  fingerprint text NOT NULL,
  doc_id text NOT NULL,
  version integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idempotency_keys_age ON idempotency_keys (created_at);
-- Every committed change, for the servers' event streams (postgres-feed.ts): keyed by the writing
-- transaction and the change's place in it, kept for an hour.
CREATE TABLE IF NOT EXISTS changes (
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  n integer NOT NULL,
  payload text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (xid, n)
);
CREATE INDEX IF NOT EXISTS changes_age ON changes (at);
`;

/** The largest version an `integer` column holds: a range up to it reaches every version. */
const MAX_VERSION = 2 ** 31 - 1;

/** The schema this code writes; `meta.schema_version` says which one a database has. */
export const SCHEMA_VERSION = 4;

/**
 * Brings a database made by an earlier version up to SCHEMA_VERSION, inside initialize's
 * transaction. Version 2 added each revision's `based_on` (existing rows: the tag of the version
 * before, which their writers had to name to save) and `state` (existing rows: draft). Version 3
 * numbers events by the `changes` table (made by SCHEMA) instead of a sequence. Version 4 added
 * each deletion's `deleted_reason` (existing deletions: none recorded, a person's own).
 */
async function migrate(client: Queryable): Promise<void> {
  const { rows } = await client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'");
  const version = Number(rows[0]?.value ?? 1);
  if (version >= SCHEMA_VERSION) return;
  const added = await client.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'revisions' AND column_name = 'based_on'",
  );
  if (added.rows.length === 0) {
    await client.query('ALTER TABLE revisions ADD COLUMN based_on text');
    await client.query(
      'UPDATE revisions r SET based_on = p.etag FROM revisions p WHERE p.doc_id = r.doc_id AND p.version = r.version - 1',
    );
  }
  await client.query("ALTER TABLE revisions ADD COLUMN IF NOT EXISTS state text NOT NULL DEFAULT 'draft'");
  await client.query('DROP SEQUENCE IF EXISTS change_seq');
  await client.query('ALTER TABLE documents ADD COLUMN IF NOT EXISTS deleted_reason text');
  await client.query(
    "INSERT INTO meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
    [String(SCHEMA_VERSION)],
  );
}
// Titles and contents are stored as their UTF-8 bytes: PostgreSQL's text cannot hold U+0000,
// and the store keeps what the client sent, character for character.
// Stryker disable next-line StringLiteral: Buffer.from takes an empty encoding name as UTF-8.
const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const text = (value: Buffer): string => value.toString('utf8');
type RevisionRow = StoredRow<Buffer>;
type DocumentRow = DocumentColumns<Buffer>;
const toRevision = (row: RevisionRow): StoredRevision => revisionFrom(row, text);




function sqlState(error: unknown): string | undefined {
  // Stryker disable next-line LogicalOperator,ConditionalExpression: every error met here is an object (pg's, Node's or the store's own), and a code, when it has one, a string.
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}

/**
 * What PostgreSQL says in a SQLSTATE that means "try later", in plain words, for those it is worth
 * saying. A crash of another server process (57P02) comes only as a warning before the server
 * ends the session: the store sees its connection lost.
 */
const UNAVAILABLE: Record<string, string> = {
  '57014': 'The database cancelled the change because it took longer than the database allows',
  '55P03': 'The database gave up waiting for a lock that another transaction holds',
  '57P01': 'The database server ended the connection: it is shutting down, or an administrator ended it',
  '57P03': 'The database server takes no connections now: it is starting up, shutting down or recovering',
  '25006': 'The database takes no writes now: it is a standby, or set to read-only',
  '53300': 'The database server has no connection to spare: it has as many open as it allows',
};

/**
 * PostgreSQL's and the socket's failures that mean "not stored, try later", as a problem status,
 * in plain words. `commit`: the failure met the statement that commits (COMMIT, or a save that is
 * one statement); a connection lost then, with no word from the server, may have committed it, and
 * `keyed` says the write stored its Idempotency-Key with it.
 */
function storageFailure(error: unknown, commit?: { keyed: boolean }): StorageError | null {
  const code = sqlState(error);
  const cause = { cause: error };
  if (code === '53100') return new StorageError('The database is out of disk space: the change was not stored.', 507, 30, cause);
  const said = code ?? (error instanceof Error ? error.message : String(error));
  const plain = code && UNAVAILABLE[code];
  if (plain) return new StorageError(`${plain} (${code}).`, 503, 5, cause);
  if (code?.startsWith('08')) return new StorageError(`The connection to the database failed (${code}).`, 503, 5, cause);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || /timeout exceeded when trying to connect/i.test(said)) {
    return new StorageError(`The database cannot be reached (${said}).`, 503, 5, cause);
  }
  // Stryker disable next-line Regex: no SQLSTATE the store's statements meet holds one of these classes after its first character (22008, 42P08), nor a Node error code.
  if (code && /^(53|57P|58|25006)/.test(code)) return new StorageError(`The database is unavailable (${code}).`, 503, 5, cause);
  // Stryker disable next-line Regex: Node's codes start with these names, and no SQLSTATE holds them.
  if ((code && /^(ECONN|ETIMEDOUT|EPIPE)/.test(code)) || /Connection terminated|is not queryable/i.test(said)) {
    // A statement is never sent on a connection pg already knows to be broken.
    if (commit && !/is not queryable/i.test(said)) {
      return new StorageError(`The connection to the database was lost while the change was being committed (${said}).`, 503, 5, {
        ...cause,
        stored: 'unknown',
        keyed: commit.keyed,
      });
    }
    return new StorageError(`The connection to the database was lost (${said}).`, 503, 5, cause);
  }
  return null;
}

/** Conflicts between concurrent transactions that are resolved by running the write again. */
function worthRetrying(error: unknown): boolean {
  const code = sqlState(error);
  return code === '23505' || code === '40001' || code === '40P01' || error instanceof RaceLost;
}

/** For connection errors that the failing query reports anyway. */
const ignore = (): void => {};

/** Another server changed the row between our read and our conditional update. */
class RaceLost extends Error {}

type Queryable = pg.PoolClient;

export interface PostgresStoreOptions {
  url: string;
  /** Create the sample documents in a new database (default true). */
  seed?: boolean;
  /** Connections in the pool (default 20). */
  poolSize?: number;
  /** The clock of saves and deletions (the system's by default). */
  now?: () => Date;
  /** How long the changes for the event streams are kept (an hour unless set; shorter in a test). */
  changeRetentionMs?: number;
}

export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  /** Shared by every server on this database, so their event ids can be compared. */
  readonly streamEpoch: string;
  private readonly pool: pg.Pool;
  private readonly tags = new TagMinter();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private readonly missedListeners = new Set<(after: bigint) => void>();
  private feed: ChangeFeed | null = null;
  private closed = false;
  private readonly now: () => Date;

  private constructor(pool: pg.Pool, streamEpoch: string, now: () => Date = () => new Date()) {
    this.now = now;
    this.pool = pool;
    this.streamEpoch = streamEpoch;
  }

  /** The position this server's event stream starts after (see ChangeFeed). */
  get streamStart(): bigint | undefined {
    // Stryker disable next-line OptionalChaining: open() sets the feed before it hands the store out.
    return this.feed?.start;
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 20, connectionTimeoutMillis: 5000 });
    // An idle connection the server drops must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    let epoch: string;
    try {
      epoch = await initialize(pool, options.seed ?? true);
    } catch (error) {
      await pool.end().catch(() => {});
      throw new StoreOpenError(`PostgreSQL at ${redact(options.url)} cannot be used: ${error instanceof Error ? error.message : String(error)}`);
    }
    const store = new PostgresStore(pool, epoch, options.now);
    try {
      store.feed = await ChangeFeed.open(
        options.url,
        (change) => {
          for (const listener of store.listeners) listener(change);
        },
        {
          // Stryker disable next-line ConditionalExpression: the feed takes a retention of undefined as its default, as it takes none.
          ...(options.changeRetentionMs !== undefined && { retentionMs: options.changeRetentionMs }),
          onMissed: (after) => {
            for (const listener of store.missedListeners) listener(after);
          },
        },
      );
    } catch (error) {
      await pool.end().catch(() => {});
      throw new StoreOpenError(`PostgreSQL at ${redact(options.url)} cannot be listened to: ${error instanceof Error ? error.message : String(error)}`);
    }
    return store;
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeMissed(listener: (after: bigint) => void): () => void {
    this.missedListeners.add(listener);
    return () => this.missedListeners.delete(listener);
  }

  async list(): Promise<DocumentSummary[]> {
    const { rows } = await this.query<DocumentRow & { state: string }>(
      `SELECT d.id, d.title, d.version, d.updated_at, d.updated_by, d.etag, r.state
         FROM documents d JOIN revisions r ON r.doc_id = d.id AND r.version = d.version
        WHERE d.deleted_at IS NULL ORDER BY d.seq`,
    );
    return rows.map((row) => summaryFrom(row, text));
  }

  get(id: string): Promise<GetResult> {
    return this.withClient((client) => getNow(client, id));
  }

  async revisions(id: string, { after = 0, through = MAX_VERSION }: RevisionRange = {}): Promise<RevisionRecord[] | null> {
    // A range of the primary key (doc_id, version); versions start at 1, so after 0 is all of them.
    const { rows } = await this.query<RevisionRow>(
      'SELECT version, etag, updated_at, updated_by, based_on, state FROM revisions WHERE doc_id = $1 AND version > $2 AND version <= $3 ORDER BY version',
      [id, after, Math.min(through, MAX_VERSION)],
    );
    if (rows.length > 0) return rows.map(recordFrom);
    const known = await this.query('SELECT 1 FROM documents WHERE id = $1', [id]);
    return known.rowCount === 0 ? null : [];
  }

  async revision(id: string, version: number): Promise<StoredRevision | null> {
    const { rows } = await this.query<RevisionRow>('SELECT * FROM revisions WHERE doc_id = $1 AND version = $2', [id, version]);
    return rows[0] ? toRevision(rows[0]) : null;
  }

  create(input: DocumentInput, user: string, options: CreateOptions = {}): Promise<CreateResult> {
    const { idempotency } = options;
    return this.transaction(async (client, changes): Promise<CreateResult> => {
      if (idempotency) {
        const seen = await replay(client, idempotency);
        if (seen) return seen;
      }
      if (options.id !== undefined) {
        // Two servers creating the same id at once: the second INSERT fails on the unique id, the
        // write runs again and answers here.
        const taken = await client.query<{ deleted_at: string | null }>('SELECT deleted_at FROM documents WHERE id = $1', [options.id]);
        const row = taken.rows[0];
        if (row) return { kind: 'exists', id: options.id, deleted: row.deleted_at !== null };
      }
      const result = await this.createNow(client, input, user, changes, options.id);
      if (idempotency && result.kind === 'created') await rememberKey(client, idempotency, result.revision);
      return result;
    }, idempotency !== undefined);
  }

  async update(
    id: string,
    input: DocumentInput,
    condition: EntityTagCondition | null,
    user: string,
    idempotency?: IdempotencyRequest,
    record: WriteRecord = {},
  ): Promise<UpdateResult> {
    // The usual save names one strong tag: it is one statement, which either advances the row
    // or matches nothing. Only a miss costs a read, for the answer.
    const tag = condition && oneStrongTag(condition);
    if (tag !== null) {
      const saved = await this.advance(id, input, tag, user, idempotency, record);
      if (saved) return { kind: 'updated', revision: saved };
    }
    // Every other answer (a conflict above all, when many write one document) comes from one
    // read, without a transaction; a write that may pass checks again inside one.
    const checked = await this.withClient(async (client) => {
      const seen = idempotency && (await replay(client, idempotency));
      return seen ? { refused: seen } : checkSave(client, id, condition, record.inStates);
    });
    if ('refused' in checked) return checked.refused;
    return this.transaction(async (client, changes, attempt): Promise<UpdateResult> => {
      // The first attempt goes on from what was just read (its compare-and-set below fails if
      // that changed meanwhile); one run again after a lost race reads everything anew.
      let current = checked.current;
      if (attempt > 1) {
        const seen = idempotency && (await replay(client, idempotency));
        if (seen) return seen;
        const again = await checkSave(client, id, condition, record.inStates);
        if ('refused' in again) return again.refused;
        current = again.current;
      }
      const key = titleKey(input.title);
      const existing = await titleTaken(client, key, id);
      if (existing) return { kind: 'duplicate-title', existing };
      const revision = this.mint(id, input, current.document.version + 1, user, {
        state: input.state ?? current.document.state,
        basedOn: record.basedOn === undefined ? current.etag : record.basedOn,
      });
      const { document } = revision;
      // The compare-and-set. Under READ COMMITTED a concurrent save of this row makes this wait
      // for its commit and then match nothing: the whole write runs again and sees the conflict.
      // The new revision is inserted by the same statement, only when the row advanced.
      const advanced = await client.query(
        `WITH advanced AS (
           UPDATE documents SET version = $3, etag = $4, title = $5, title_key = $6, updated_at = $7, updated_by = $8
            WHERE id = $1 AND etag = $2 AND deleted_at IS NULL RETURNING id
         )
         INSERT INTO revisions (doc_id, version, etag, title, content, updated_at, updated_by, based_on, state)
         SELECT id, $3, $4, $5, $9, $7, $8, $10, $11 FROM advanced`,
        [
          id,
          current.etag,
          document.version,
          revision.etag,
          bytes(document.title),
          bytes(key),
          document.updatedAt,
          user,
          bytes(document.content),
          revision.basedOn,
          document.state,
        ],
      );
      if (advanced.rowCount !== 1) throw new RaceLost();
      if (idempotency) await rememberKey(client, idempotency, revision);
      changes.push(changeOf('updated', revision, current.etag));
      return { kind: 'updated', revision };
    }, idempotency !== undefined);
  }

  /**
   * A save on one strong tag as a single statement, committed on its own (no BEGIN, no COMMIT: one
   * round trip): the conditional UPDATE of the document row, and, only when it matched, the new
   * revision, the idempotency key and the change for the event streams. Null when it matched
   * nothing (a stale tag, a deleted document, a state the record does not allow, a key already
   * used) or met a title another document has: the caller then reads why.
   */
  private async advance(
    id: string,
    input: DocumentInput,
    tag: string,
    user: string,
    idempotency: IdempotencyRequest | undefined,
    record: WriteRecord,
  ): Promise<StoredRevision | null> {
    // The version is the row's, known once it is updated: the revision is minted with a
    // placeholder, and the statement fills the version in.
    const basedOn = record.basedOn === undefined ? tag : record.basedOn;
    // Stryker disable next-line LogicalOperator: a placeholder, as the version is: the revision answered takes the state the statement stored, and the change carries none.
    const minted = this.mint(id, input, 0, user, { state: input.state ?? INITIAL_STATE, basedOn });
    const { document } = minted;
    const change = changeOf('updated', minted, tag);
    let rows: Array<{ version: number; state: string }>;
    try {
      // Named: each connection parses and plans it once, not on every save. It commits on its own:
      // a connection lost while it runs may have committed it.
      ({ rows } = await this.withClient((client) => client.query<{ version: number; state: string }>({
        name: 'save-on-one-tag',
        text: `WITH advanced AS (
           UPDATE documents d SET version = d.version + 1, etag = $3, title = $4, title_key = $5, updated_at = $6, updated_by = $7
            WHERE d.id = $1 AND d.etag = $2 AND d.deleted_at IS NULL
              AND ($11::text[] IS NULL OR EXISTS (
                SELECT 1 FROM revisions r WHERE r.doc_id = d.id AND r.version = d.version AND r.state = ANY($11::text[])))
              AND ($12::text IS NULL OR NOT EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.key = $12::text))
            RETURNING d.version
         ), saved AS (
           INSERT INTO revisions (doc_id, version, etag, title, content, updated_at, updated_by, based_on, state)
           SELECT $1, a.version, $3, $4, $8, $6, $7, $9, COALESCE($10::text, r.state)
             FROM advanced a JOIN revisions r ON r.doc_id = $1 AND r.version = a.version - 1
           RETURNING version, state
         ), keyed AS (
           INSERT INTO idempotency_keys (key, fingerprint, doc_id, version)
           SELECT $12::text, $13::text, $1, version FROM saved WHERE $12::text IS NOT NULL
         ), changed AS (
           INSERT INTO changes (n, payload) SELECT 0, jsonb_set($14::jsonb, '{version}', to_jsonb(version))::text FROM saved
         )
         SELECT version, state FROM saved`,
        values: [
          id,
          tag,
          minted.etag,
          bytes(document.title),
          bytes(titleKey(document.title)),
          document.updatedAt,
          user,
          bytes(document.content),
          basedOn,
          input.state ?? null,
          record.inStates ?? null,
          idempotency?.key ?? null,
          idempotency?.fingerprint ?? null,
          JSON.stringify(change),
        ],
      }), { keyed: idempotency !== undefined }));
    } catch (error) {
      // A title another document took, or a key another server stored, at the same moment: the
      // read that follows answers it.
      if (worthRetrying(error)) return null;
      throw error;
    }
    const row = rows[0];
    if (!row) return null;
    // Stryker disable next-line OptionalChaining: open() sets the feed before it hands the store out.
    this.feed?.committed();
    return { ...minted, document: { ...document, version: row.version, state: stateOf(row.state) } };
  }

  async remove(id: string, condition: EntityTagCondition | null, user: string): Promise<DeleteResult> {
    const checked = await this.withClient((client) => checkWrite(client, id, condition));
    if ('refused' in checked) return checked.refused;
    return this.transaction(async (client, changes, attempt): Promise<DeleteResult> => {
      let current = checked.current;
      if (attempt > 1) {
        const again = await checkWrite(client, id, condition);
        if ('refused' in again) return again.refused;
        current = again.current;
      }
      await deleteNow(client, current, user, changes);
      return { kind: 'deleted', revision: current };
    });
  }

  async resetToSamples(user: string): Promise<DocumentSummary[]> {
    await this.transaction(async (client, changes) => {
      const live = await client.query<DocumentRow>('SELECT id FROM documents WHERE deleted_at IS NULL ORDER BY seq FOR UPDATE');
      for (const { id } of live.rows) {
        const found = await getNow(client, id);
        if (found.kind === 'found') await deleteNow(client, found.revision, user, changes, 'reset');
      }
      for (const sample of SAMPLE_DOCUMENTS) await this.createNow(client, sample, SAMPLE_AUTHOR, changes);
    });
    return this.list();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Stryker disable next-line OptionalChaining: open() sets the feed before it hands the store out.
    await this.feed?.close();
    await this.pool.end();
  }

  private async createNow(
    client: Queryable,
    input: DocumentInput,
    user: string,
    changes: StoreChange[],
    chosenId?: string,
  ): Promise<CreateResult> {
    const key = titleKey(input.title);
    // Stryker disable next-line StringLiteral: no document's id is empty, nor any other text that is not an id: a create excepts none.
    const existing = await titleTaken(client, key, '');
    if (existing) return { kind: 'duplicate-title', existing };
    const revision = this.mint(chosenId ?? newDocumentId(), input, 1, user, { state: input.state ?? INITIAL_STATE, basedOn: null });
    const { document } = revision;
    await client.query(
      'INSERT INTO documents (id, version, etag, title, title_key, updated_at, updated_by) VALUES ($1, 1, $2, $3, $4, $5, $6)',
      [document.id, revision.etag, bytes(document.title), bytes(key), document.updatedAt, user],
    );
    await insertRevision(client, revision);
    changes.push(changeOf('created', revision));
    return { kind: 'created', revision };
  }

  private mint(
    id: string,
    input: DocumentInput,
    version: number,
    user: string,
    { state, basedOn }: { state: DocumentState; basedOn: string | null },
  ): StoredRevision {
    return {
      document: { id, title: input.title, content: input.content, version, updatedAt: this.now().toISOString(), updatedBy: user, state },
      etag: this.tags.next(),
      basedOn,
    };
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    if (this.closed) throw new StorageError('The store is closed.', 503);
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw storageFailure(error) ?? error;
    }
  }

  /** `commits`: `run` is one statement that commits on its own (see storageFailure). */
  private async withClient<T>(run: (client: Queryable) => Promise<T>, commits?: { keyed: boolean }): Promise<T> {
    // The pool is ended with the store: its own error ("Cannot use a pool after calling end")
    // would be an unexplained 500.
    if (this.closed) throw new StorageError('The store is closed.', 503);
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw storageFailure(error) ?? error;
    }
    // A connection that fails between two queries emits `error`; unheard, it would end the process.
    client.on('error', ignore);
    let failed = false;
    try {
      return await run(client);
    } catch (error) {
      const failure = storageFailure(error, commits);
      // Not handed to the next caller: a connection the server ended may not have closed yet.
      failed = failure !== null;
      throw failure ?? error;
    } finally {
      client.off('error', ignore);
      client.release(failed);
    }
  }

  /**
   * Runs a write in one transaction and resolves after COMMIT has returned, that is after
   * PostgreSQL has flushed it. The changes are recorded inside the transaction, for every
   * server's feed to read once it has committed. `keyed`: the write stores its Idempotency-Key in
   * the transaction, so a retry of a commit whose answer was lost gets the first answer.
   */
  private async transaction<T>(run: (client: Queryable, changes: StoreChange[], attempt: number) => Promise<T>, keyed = false): Promise<T> {
    if (this.closed) throw new StorageError('The store is closed.', 503);
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw storageFailure(error) ?? error;
      }
      client.on('error', ignore);
      let broken = false;
      let committing = false;
      try {
        await client.query('BEGIN');
        const changes: StoreChange[] = [];
        const value = await run(client, changes, attempt);
        // Every write records a change: a transaction without one wrote nothing that a lost COMMIT
        // could keep, nor anything for the feeds to read.
        const recorded = changes.length > 0;
        if (recorded) {
          await client.query('INSERT INTO changes (n, payload) SELECT * FROM unnest($1::integer[], $2::text[])', [
            changes.map((_, i) => i),
            changes.map((change) => JSON.stringify(change)),
          ]);
        }
        committing = recorded;
        await client.query('COMMIT');
        // Stryker disable next-line OptionalChaining: open() sets the feed before it hands the store out.
        if (recorded) this.feed?.committed();
        return value;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          // Stryker disable next-line BooleanLiteral: ROLLBACK fails only on a connection that failed, which pg's pool discards on release in any case.
          broken = true;
        }
        if (worthRetrying(error) && attempt < 20) continue;
        const failure = storageFailure(error, committing ? { keyed } : undefined);
        if (failure) broken = true;
        throw failure ?? error;
      } finally {
        client.off('error', ignore);
        client.release(broken);
      }
    }
  }
}

async function initialize(pool: pg.Pool, seed: boolean): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Two servers starting on a new database at once: one makes the tables, the other waits.
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await client.query(SCHEMA);
    await migrate(client);
    const { rows } = await client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'stream_epoch'");
    let epoch = rows[0]?.value;
    if (!epoch) {
      epoch = randomHex(4);
      await client.query("INSERT INTO meta (key, value) VALUES ('stream_epoch', $1)", [epoch]);
      if (seed) {
        const tags = new TagMinter();
        for (const sample of SAMPLE_DOCUMENTS) {
          const id = newDocumentId();
          const etag = tags.next();
          const at = new Date().toISOString();
          await client.query(
            'INSERT INTO documents (id, version, etag, title, title_key, updated_at, updated_by) VALUES ($1, 1, $2, $3, $4, $5, $6)',
            [id, etag, bytes(sample.title), bytes(titleKey(sample.title)), at, SAMPLE_AUTHOR],
          );
          await insertRevision(client, {
            document: { id, ...sample, version: 1, updatedAt: at, updatedBy: SAMPLE_AUTHOR, state: INITIAL_STATE },
            etag,
            basedOn: null,
          });
        }
      }
    }
    await client.query('DELETE FROM idempotency_keys WHERE created_at < now() - $1 * interval \'1 millisecond\'', [IDEMPOTENCY_TTL_MS]);
    await client.query('COMMIT');
    return epoch;
  } catch (error) {
    // Stryker disable next-line StringLiteral: open() ends the pool when this throws, and the transaction ends with its connection.
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function getNow(client: Queryable, id: string): Promise<GetResult> {
  const { rows } = await client.query<DocumentRow & Pick<RevisionRow, 'content' | 'based_on' | 'state'>>(
    `SELECT d.id, d.version, d.etag, d.deleted_at, d.deleted_by, d.deleted_reason, r.title, r.content, r.updated_at, r.updated_by, r.based_on, r.state
       FROM documents d JOIN revisions r ON r.doc_id = d.id AND r.version = d.version WHERE d.id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return { kind: 'not-found' };
  if (row.deleted_at !== null) return goneFrom({ ...row, deleted_at: row.deleted_at });
  return { kind: 'found', revision: toRevision({ ...row, doc_id: row.id }) };
}

/**
 * The answer to a write that is refused before anything is written (an unknown or deleted
 * document, a missing or stale condition), or the current revision the write may replace. One
 * query, so a conflict costs one round trip to answer.
 */
async function checkWrite(
  client: Queryable,
  id: string,
  condition: EntityTagCondition | null,
): Promise<{ refused: Exclude<DeleteResult, { kind: 'deleted' }> } | { current: StoredRevision }> {
  const found = await readForWrite(client, id, condition);
  if (found.kind !== 'found') return { refused: found };
  if (!condition) return { refused: { kind: 'precondition-required' } };
  if (found.conflict) return { refused: { kind: 'conflict', ...found.conflict } };
  return { current: found.current };
}

/** As checkWrite, for a save: also refused (after the condition) in a state `inStates` leaves out. */
async function checkSave(
  client: Queryable,
  id: string,
  condition: EntityTagCondition | null,
  inStates: readonly DocumentState[] | undefined,
): Promise<{ refused: Exclude<UpdateResult, { kind: 'updated' | 'replayed' }> } | { current: StoredRevision }> {
  const checked = await checkWrite(client, id, condition);
  if ('refused' in checked || !inStates || inStates.includes(checked.current.document.state)) return checked;
  return { refused: { kind: 'wrong-state', current: checked.current } };
}

type ReadForWrite =
  | { kind: 'found'; current: StoredRevision; conflict: Conflict | null }
  | { kind: 'not-found' }
  | Gone;

interface PartRow extends Omit<RevisionRow, 'doc_id'> {
  part: 'current' | 'base' | 'since';
  deleted_at: string | null;
  deleted_by: string | null;
  deleted_reason: string | null;
}

/**
 * In one query, one snapshot: the document's current revision (or its deletion), and when
 * `condition` does not pass, the conflict: the newest version the condition names (its base) and
 * the versions saved after it, up to the current one.
 */
async function readForWrite(client: Queryable, id: string, condition: EntityTagCondition | null): Promise<ReadForWrite> {
  // Null: no condition, or `*`; neither is ever stale.
  const strong = condition && strongTags(condition);
  const { rows } = await client.query<PartRow>({
    name: 'read-for-write',
    text: `WITH cur AS (
       SELECT version, etag, deleted_at, deleted_by, deleted_reason, $2::text[] IS NOT NULL AND deleted_at IS NULL AND NOT (etag = ANY($2::text[])) AS stale
         FROM documents WHERE id = $1
     ), base AS (
       SELECT r.version FROM revisions r, cur WHERE cur.stale AND r.doc_id = $1 AND r.etag = ANY($3::text[])
        ORDER BY r.version DESC LIMIT 1
     )
     SELECT 'current' AS part, c.deleted_at, c.deleted_by, c.deleted_reason, r.version, r.etag, r.title, r.content, r.updated_at, r.updated_by, r.based_on, r.state
       FROM cur c JOIN revisions r ON r.doc_id = $1 AND r.version = c.version
     UNION ALL
     SELECT 'base', NULL, NULL, NULL, r.version, r.etag, r.title, r.content, r.updated_at, r.updated_by, r.based_on, r.state
       FROM base b JOIN revisions r ON r.doc_id = $1 AND r.version = b.version
     UNION ALL
     SELECT 'since', NULL, NULL, NULL, r.version, r.etag, NULL, NULL, r.updated_at, r.updated_by, NULL, r.state
       FROM cur c JOIN revisions r ON r.doc_id = $1 AND r.version > COALESCE((SELECT version FROM base), 0) AND r.version <= c.version
      WHERE c.stale`,
    values: [
      id,
      strong,
      // Stryker disable next-line ArrayDeclaration: without a condition nothing is stale ($2 is null), and the listed tags are read only for a stale one.
      condition ? listedTags(condition) : [],
    ],
  });
  const currentRow = rows.find((row) => row.part === 'current');
  if (!currentRow) return { kind: 'not-found' };
  if (currentRow.deleted_at !== null) return goneFrom({ ...currentRow, deleted_at: currentRow.deleted_at });
  const current = toRevision({ ...currentRow, doc_id: id });
  if (!condition || passes(condition, current.etag)) return { kind: 'found', current, conflict: null };
  const baseRow = rows.find((row) => row.part === 'base');
  const changesSince = rows
    .filter((row) => row.part === 'since')
    .sort((a, b) => a.version - b.version)
    .map((row) => ({ version: row.version, updatedBy: row.updated_by, updatedAt: row.updated_at }));
  return { kind: 'found', current, conflict: { current, base: baseRow ? toRevision({ ...baseRow, doc_id: id }) : null, changesSince } };
}

/**
 * The tag of an `If-Match` whose strong tags are exactly one, as stored; else null (also for `*`).
 * Weak tags it lists beside it change nothing: If-Match compares strongly, so they never pass.
 */
function oneStrongTag(condition: EntityTagCondition): string | null {
  const tags = strongTags(condition);
  return tags?.length === 1 ? (tags[0] ?? null) : null;
}

async function titleTaken(client: Queryable, key: string, exceptId: string): Promise<{ id: string; title: string } | null> {
  const { rows } = await client.query<{ id: string; title: Buffer }>(
    'SELECT id, title FROM documents WHERE title_key = $1 AND deleted_at IS NULL AND id <> $2 ORDER BY seq LIMIT 1',
    [bytes(key), exceptId],
  );
  const row = rows[0];
  return row ? { id: row.id, title: text(row.title) } : null;
}

async function insertRevision(client: Queryable, { document, etag, basedOn }: StoredRevision): Promise<void> {
  await client.query(
    'INSERT INTO revisions (doc_id, version, etag, title, content, updated_at, updated_by, based_on, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [
      document.id,
      document.version,
      etag,
      bytes(document.title),
      bytes(document.content),
      document.updatedAt,
      document.updatedBy,
      basedOn,
      document.state,
    ],
  );
}

async function deleteNow(client: Queryable, current: StoredRevision, user: string, changes: StoreChange[], reason?: DeletionReason): Promise<void> {
  const at = new Date().toISOString();
  const marked = await client.query(
    'UPDATE documents SET deleted_at = $3, deleted_by = $4, deleted_reason = $5 WHERE id = $1 AND etag = $2 AND deleted_at IS NULL',
    [current.document.id, current.etag, at, user, reason ?? null],
  );
  if (marked.rowCount !== 1) throw new RaceLost();
  // The reason travels with the change to every server's event stream (postgres-feed.ts).
  changes.push({ ...changeOf('deleted', current), updatedBy: user, updatedAt: at, ...(reason && { reason }) });
}

async function replay(
  client: Queryable,
  request: IdempotencyRequest,
): Promise<{ kind: 'replayed'; revision: StoredRevision } | { kind: 'idempotency-mismatch' } | null> {
  const { rows } = await client.query<{ fingerprint: string; doc_id: string; version: number }>(
    "SELECT fingerprint, doc_id, version FROM idempotency_keys WHERE key = $1 AND created_at > now() - $2 * interval '1 millisecond'",
    [request.key, IDEMPOTENCY_TTL_MS],
  );
  const seen = rows[0];
  if (!seen) return null;
  if (seen.fingerprint !== request.fingerprint) return { kind: 'idempotency-mismatch' };
  const revision = await client.query<RevisionRow>('SELECT * FROM revisions WHERE doc_id = $1 AND version = $2', [seen.doc_id, seen.version]);
  const row = revision.rows[0];
  if (!row) throw new Error(`Idempotency key ${request.key} names a revision that is not stored.`);
  return { kind: 'replayed', revision: toRevision(row) };
}

async function rememberKey(client: Queryable, request: IdempotencyRequest, revision: StoredRevision): Promise<void> {
  // A key that expired is replaced; a key another server stored meanwhile makes this write run
  // again (the unique violation is retried), and then it replays that server's answer.
  await client.query("DELETE FROM idempotency_keys WHERE key = $1 AND created_at <= now() - $2 * interval '1 millisecond'", [
    request.key,
    IDEMPOTENCY_TTL_MS,
  ]);
  await client.query('INSERT INTO idempotency_keys (key, fingerprint, doc_id, version) VALUES ($1, $2, $3, $4)', [
    request.key,
    request.fingerprint,
    revision.document.id,
    revision.document.version,
  ]);
}

/** A connection string without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the given address';
  }
}
