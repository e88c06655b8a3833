/**
 * The embedded engine, the default: SQLite through better-sqlite3, one database file in the data
 * folder. Why SQLite: a commit is atomic, and on the disk once its write-ahead log is fsynced
 * (~0.2 ms on an idle machine); a save appends one revision row, so its cost follows the size
 * of the change and not of the store; and a lock that SQLite holds for the server's lifetime
 * (see lockFolder) makes a second server on the same folder stop instead of overwriting the first
 * one's saves.
 *
 * Group commit: writes that arrive in the same turn of the event loop run one after another in
 * one transaction (each in its own savepoint), and one fsync makes them all durable. Their
 * promises resolve only after that fsync, so an answer never gets ahead of the disk.
 *
 * The event loop never waits for the disk. better-sqlite3 is synchronous, so with SQLite's
 * `synchronous = FULL` every commit's fsync, and every checkpoint that SQLite runs inside the
 * commit that fills the log, blocked the loop: 1–5 ms a save, up to 100–180 ms on a busy disk.
 * Instead the commit only writes the log (`synchronous = NORMAL`: still atomic and consistent
 * after a crash), and the store fsyncs the log itself on libuv's thread pool before anything is
 * answered or told; the checkpoints run in a worker thread on a connection of its own
 * (checkpoint-worker.mjs). While a commit's fsync is under way the next group waits, and so do
 * reads, so nothing is ever shown that a crash could take back: to a client this is exactly
 * `synchronous = FULL` with group commit.
 */
import { closeSync, existsSync, fsync, fsyncSync, mkdirSync, openSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { EntityTagCondition } from '../../src/protocol/etag.ts';
import { INITIAL_STATE, type DocumentState } from '../../src/protocol/concurrency.ts';
import type { DocumentSummary } from '../../src/protocol/types.ts';
import {
  changeOf,
  goneFrom,
  listedTags,
  newDocumentId,
  passes,
  recordFrom,
  revisionFrom,
  SAMPLE_AUTHOR,
  SAMPLE_DOCUMENTS,
  summaryFrom,
  TagMinter,
  titleKey,
  type DocumentRow,
  type RevisionRow,
} from './common.ts';

const same = (value: string): string => value;
const toRevision = (row: RevisionRow): StoredRevision => revisionFrom(row, same);
import { readLegacySnapshot, type LegacySnapshot } from './legacy-json.ts';
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
  type IdempotencyRequest,
  type RevisionRange,
  type RevisionRecord,
  type Store,
  type StoreChange,
  type StoredRevision,
  type UpdateResult,
  type WriteRecord,
} from './types.ts';

/** The database's file name inside the data folder (SQLite adds `-wal` and `-shm` beside it while it runs). */
export const DATABASE_FILE = 'conflict-lab.sqlite3';
/** The file whose lock says a server is using the folder (an empty SQLite database; see lockFolder). */
export const LOCK_FILE = 'conflict-lab.lock';
/** The data file of earlier versions, imported once when the database is new. */
export const LEGACY_FILE = 'documents.json';

export interface SqliteStoreOptions {
  /** The data folder; null keeps everything in memory (`--memory`). */
  folder: string | null;
  /** Create the sample documents in a new store (default true). */
  seed?: boolean;
  /** The clock of saves and deletions (the system's by default). */
  now?: () => Date;
  /**
   * Where a data folder's disk work happens: off the event loop (the default: the log's fsync on
   * libuv's thread pool, checkpoints in a worker thread), or on it, inside each commit, as earlier
   * versions did (`synchronous = FULL`, SQLite's own checkpoints). The benchmark runs both.
   */
  diskWork?: 'off-loop' | 'on-loop';
}

/** How often the worker checkpoints (a checkpoint with nothing new to copy costs microseconds). */
const CHECKPOINT_EVERY_MS = 200;
/** Past this many pages in the log (4 MiB, SQLite's own threshold) the worker makes it start over. */
const RESTART_FRAMES = 1000;
/** How long writes wait for a lock another connection holds (the checkpointer's RESTART) before a 503. */
const BUSY_PATIENCE_MS = 5000;
/** The log's size after it starts over, at most: a burst of writes does not leave a big file behind. */
const WAL_SIZE_LIMIT = 8 * 1024 * 1024;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
-- One row per document: its current version. seq keeps creation order.
CREATE TABLE IF NOT EXISTS documents (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  etag TEXT NOT NULL,
  title TEXT NOT NULL,
  title_key TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT,
  deleted_by TEXT,
  -- Why, when not by a person's own delete: 'reset' (the demo reset). Null otherwise.
  deleted_reason TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS documents_live_title ON documents (title_key) WHERE deleted_at IS NULL;
-- Every version ever saved; a tag appears once in the whole store.
CREATE TABLE IF NOT EXISTS revisions (
  doc_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  etag TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  -- The tag the writer started from: null for a create, or a write that named none.
  based_on TEXT,
  state TEXT NOT NULL DEFAULT 'draft',
  UNIQUE (doc_id, version)
) STRICT;
-- The answers to writes sent with an Idempotency-Key, for a retry to get them again.
CREATE TABLE IF NOT EXISTS idempotency_keys (
  key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS idempotency_keys_age ON idempotency_keys (created_at);
`;

/** The schema this code writes; `meta.schema_version` says which one a database has. */
export const SCHEMA_VERSION = 3;

/**
 * Brings a database made by an earlier version up to SCHEMA_VERSION, inside the caller's
 * transaction. Version 2 added each revision's `based_on` (existing rows: the tag of the version
 * before, which their writers had to name to save) and `state` (existing rows: draft). Version 3
 * added each deletion's `deleted_reason` (existing deletions: none recorded, so they read as a
 * person's own).
 */
function migrate(db: Database.Database): void {
  const documentColumns = new Set(db.prepare<[], { name: string }>('PRAGMA table_info(documents)').all().map((c) => c.name));
  if (!documentColumns.has('deleted_reason')) db.exec('ALTER TABLE documents ADD COLUMN deleted_reason TEXT');
  const columns = new Set(db.prepare<[], { name: string }>('PRAGMA table_info(revisions)').all().map((c) => c.name));
  if (!columns.has('based_on')) {
    db.exec('ALTER TABLE revisions ADD COLUMN based_on TEXT');
    db.exec(`UPDATE revisions SET based_on = (
      SELECT p.etag FROM revisions p WHERE p.doc_id = revisions.doc_id AND p.version = revisions.version - 1
    ) WHERE version > 1`);
  }
  if (!columns.has('state')) db.exec("ALTER TABLE revisions ADD COLUMN state TEXT NOT NULL DEFAULT 'draft'");
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
}




/** SQLite's result codes that mean the write could not be made durable, as a problem status. */
function storageFailure(error: unknown): StorageError | null {
  if (!(error instanceof Database.SqliteError)) return null;
  const { code } = error;
  // SQLite reports a write that found no space as SQLITE_FULL (unixWrite), never as an I/O error.
  if (code === 'SQLITE_FULL') {
    return new StorageError('The data folder is full: the save was not stored.', 507, 30, { cause: error });
  }
  // Stryker disable next-line Regex: every SQLite result code begins with SQLITE_, so the anchor changes nothing.
  if (/^SQLITE_(IOERR|BUSY|LOCKED|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/.test(code)) {
    return new StorageError(`The database could not store the change (${code}).`, 503, 5, { cause: error });
  }
  return null;
}

/** What the checkpoint worker tells the store (checkpoint-worker.mjs). */
type CheckpointMessage = { type: 'ready' } | { type: 'failed'; message: string };

/**
 * The worker thread that checkpoints the write-ahead log (checkpoint-worker.mjs), on a connection
 * of its own. It is started with the store and stopped before the store's connection closes, so
 * that one, the last, finishes the log and removes it.
 */
class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopping = false;
  private lost = false;

  /** `onLost` is called once if the thread fails or ends before stop(). */
  constructor(path: string, onLost: (reason: string) => void) {
    this.worker = new Worker(new URL('./checkpoint-worker.mjs', import.meta.url), {
      workerData: { path, intervalMs: CHECKPOINT_EVERY_MS, restartFrames: RESTART_FRAMES },
      // Plain JavaScript needs none of the process's flags; inherited ones can stop it from
      // starting (`--input-type` of a process started with `--eval` is refused for a file).
      // Stryker disable next-line ArrayDeclaration: Node ignores an entry that is not an option, so the thread starts the same.
      execArgv: [],
    });
    const lose = (reason: string) => {
      if (this.stopping || this.lost) return;
      this.lost = true;
      onLost(reason);
    };
    this.worker.on('message', (message: CheckpointMessage) => {
      if (message.type === 'failed') {
        console.warn(`conflict-lab: the write-ahead log could not be checkpointed (${message.message}). Saves go on; it is tried again.`);
      }
    });
    this.worker.on('error', (error) => lose(error.message));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        lose(`it exited with code ${code}`);
        resolve();
      });
    });
    // A store nobody closed does not keep the process alive for its checkpoints' sake. After the
    // listeners: adding a 'message' listener refs the worker's port again.
    this.worker.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // Held again while it stops: a server shutting down waits for its store's clean close.
    this.worker.ref();
    this.worker.postMessage({ type: 'stop' });
    await this.exited;
  }
}

interface PendingWrite {
  run: (changes: StoreChange[]) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly tags = new TagMinter();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private queue: PendingWrite[] = [];
  private flushScheduled = false;
  private writesSincePrune = 0;
  private closed = false;
  private readonly sql;

  private readonly now: () => Date;
  /** The connection that holds the data folder's lock (null in memory). */
  private readonly lock: Database.Database | null;
  private checkpointer: Checkpointer | null = null;
  /** The write-ahead log, opened to fsync it after each group commit (null: SQLite syncs, or in memory). */
  private walFd: number | null = null;
  /** The fsync under way, if any: it resolves once its group is answered. */
  private syncing: Promise<void> | null = null;
  /** Set when an fsync failed: the store then refuses everything until the server restarts. */
  private failure: StorageError | null = null;
  /** Since when the write lock has been busy (another connection holds it), or null. */
  private busySince: number | null = null;

  /** Use openSqliteStore. */
  constructor(db: Database.Database, now: () => Date = () => new Date(), lock: Database.Database | null = null) {
    this.db = db;
    this.now = now;
    this.lock = lock;
    this.sql = {
      list: db.prepare<[], Omit<DocumentRow, 'deleted_at' | 'deleted_by' | 'deleted_reason'> & { state: string }>(
        `SELECT d.id, d.title, d.version, d.updated_at, d.updated_by, d.etag, r.state
           FROM documents d JOIN revisions r ON r.doc_id = d.id AND r.version = d.version
          WHERE d.deleted_at IS NULL ORDER BY d.seq`,
      ),
      document: db.prepare<[string], DocumentRow>(
        'SELECT id, version, etag, title, updated_at, updated_by, deleted_at, deleted_by, deleted_reason FROM documents WHERE id = ?',
      ),
      revision: db.prepare<[string, number], RevisionRow>('SELECT * FROM revisions WHERE doc_id = ? AND version = ?'),
      history: db.prepare<[string], Omit<RevisionRow, 'title' | 'content'>>(
        'SELECT doc_id, version, etag, updated_at, updated_by, based_on, state FROM revisions WHERE doc_id = ? ORDER BY version',
      ),
      historyRange: db.prepare<[string, number, number], Omit<RevisionRow, 'title' | 'content'>>(
        'SELECT doc_id, version, etag, updated_at, updated_by, based_on, state FROM revisions WHERE doc_id = ? AND version > ? AND version <= ? ORDER BY version',
      ),
      historySince: db.prepare<[string, number], { version: number; updated_by: string; updated_at: string }>(
        'SELECT version, updated_by, updated_at FROM revisions WHERE doc_id = ? AND version > ? ORDER BY version',
      ),
      byTag: db.prepare<[string, string], RevisionRow>('SELECT * FROM revisions WHERE doc_id = ? AND etag = ?'),
      titleTaken: db.prepare<[string, string], { id: string; title: string }>(
        'SELECT id, title FROM documents WHERE title_key = ? AND deleted_at IS NULL AND id <> ? ORDER BY seq LIMIT 1',
      ),
      idExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM documents WHERE id = ?'),
      insertDocument: db.prepare(
        'INSERT INTO documents (id, version, etag, title, title_key, updated_at, updated_by, deleted_at, deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertRevision: db.prepare(
        'INSERT INTO revisions (doc_id, version, etag, title, content, updated_at, updated_by, based_on, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // The compare-and-set: it changes the row only while the tag is still the one checked.
      advance: db.prepare('UPDATE documents SET version = ?, etag = ?, updated_at = ?, updated_by = ? WHERE id = ? AND etag = ? AND deleted_at IS NULL'),
      advanceTitled: db.prepare(
        'UPDATE documents SET version = ?, etag = ?, title = ?, title_key = ?, updated_at = ?, updated_by = ? WHERE id = ? AND etag = ? AND deleted_at IS NULL',
      ),
      markDeleted: db.prepare(
        'UPDATE documents SET deleted_at = ?, deleted_by = ?, deleted_reason = ? WHERE id = ? AND etag = ? AND deleted_at IS NULL',
      ),
      liveIds: db.prepare<[], { id: string; etag: string }>('SELECT id, etag FROM documents WHERE deleted_at IS NULL ORDER BY seq'),
      idempotency: db.prepare<[string], { fingerprint: string; doc_id: string; version: number; created_at: number }>(
        'SELECT fingerprint, doc_id, version, created_at FROM idempotency_keys WHERE key = ?',
      ),
      rememberKey: db.prepare('INSERT OR REPLACE INTO idempotency_keys (key, fingerprint, doc_id, version, created_at) VALUES (?, ?, ?, ?, ?)'),
      pruneKeys: db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?'),
    };
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): Promise<DocumentSummary[]> {
    return this.read(() =>
      this.sql.list.all().map((row) => summaryFrom(row, same)),
    );
  }

  get(id: string): Promise<GetResult> {
    return this.read(() => this.getNow(id));
  }

  revisions(id: string, range?: RevisionRange): Promise<RevisionRecord[] | null> {
    return this.read(() => {
      const rows = range ? this.sql.historyRange.all(id, range.after ?? 0, range.through ?? Number.MAX_SAFE_INTEGER) : this.sql.history.all(id);
      if (rows.length === 0 && (!range || !this.sql.idExists.get(id))) return null;
      return rows.map(recordFrom);
    });
  }

  revision(id: string, version: number): Promise<StoredRevision | null> {
    return this.read(() => {
      const row = this.sql.revision.get(id, version);
      return row ? toRevision(row) : null;
    });
  }

  create(input: DocumentInput, user: string, options: CreateOptions = {}): Promise<CreateResult> {
    const { idempotency } = options;
    return this.write((changes): CreateResult => {
      if (idempotency) {
        const seen = this.replay(idempotency);
        if (seen) return seen;
      }
      if (options.id !== undefined) {
        const taken = this.sql.document.get(options.id);
        if (taken) return { kind: 'exists', id: taken.id, deleted: taken.deleted_at !== null };
      }
      const result = this.createNow(input, user, changes, options.id);
      if (idempotency && result.kind === 'created') this.rememberKey(idempotency, result.revision);
      return result;
    });
  }

  update(
    id: string,
    input: DocumentInput,
    condition: EntityTagCondition | null,
    user: string,
    idempotency?: IdempotencyRequest,
    record: WriteRecord = {},
  ): Promise<UpdateResult> {
    return this.write((changes): UpdateResult => {
      if (idempotency) {
        const seen = this.replay(idempotency);
        if (seen) return seen;
      }
      const found = this.getNow(id);
      if (found.kind !== 'found') return found;
      if (!condition) return { kind: 'precondition-required' };
      const current = found.revision;
      if (!passes(condition, current.etag)) return { kind: 'conflict', ...this.conflict(current, condition) };
      if (record.inStates && !record.inStates.includes(current.document.state)) return { kind: 'wrong-state', current };
      const key = titleKey(input.title);
      const existing = this.sql.titleTaken.get(key, id);
      if (existing) return { kind: 'duplicate-title', existing };
      const revision = this.mint(id, input, current.document.version + 1, user, {
        state: input.state ?? current.document.state,
        basedOn: record.basedOn === undefined ? current.etag : record.basedOn,
      });
      const { version, updatedAt } = revision.document;
      // A save that keeps the title leaves the title index alone (one page less to write).
      const advanced =
        input.title === current.document.title
          ? this.sql.advance.run(version, revision.etag, updatedAt, user, id, current.etag)
          : this.sql.advanceTitled.run(version, revision.etag, input.title, key, updatedAt, user, id, current.etag);
      // Cannot happen while this connection is the only writer (the folder's lock sees to that);
      // if it ever does, the savepoint is rolled back rather than a version overwritten.
      // Stryker disable next-line StringLiteral: unreachable, the check and this update run in one transaction on the folder's only writer.
      if (advanced.changes !== 1) throw new Error(`The compare-and-set on ${id} found a different tag.`);
      this.insertRevision(revision);
      if (idempotency) this.rememberKey(idempotency, revision);
      changes.push(changeOf('updated', revision, current.etag));
      return { kind: 'updated', revision };
    });
  }

  remove(id: string, condition: EntityTagCondition | null, user: string): Promise<DeleteResult> {
    return this.write((changes): DeleteResult => {
      const found = this.getNow(id);
      if (found.kind !== 'found') return found;
      if (!condition) return { kind: 'precondition-required' };
      const current = found.revision;
      if (!passes(condition, current.etag)) return { kind: 'conflict', ...this.conflict(current, condition) };
      this.deleteNow(current, user, changes);
      return { kind: 'deleted', revision: current };
    });
  }

  resetToSamples(user: string): Promise<DocumentSummary[]> {
    return this.write((changes) => {
      for (const { id } of this.sql.liveIds.all()) {
        const found = this.getNow(id);
        if (found.kind === 'found') this.deleteNow(found.revision, user, changes, 'reset');
      }
      this.seedNow(changes);
    }).then(() => this.list());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Whatever is queued is written first, and made durable.
    while (this.syncing || (this.queue.length > 0 && !this.failure)) {
      if (this.syncing) {
        await this.syncing;
        continue;
      }
      // Stryker disable next-line ConditionalExpression: waiting for the scheduled flush or running it now commits the same group.
      if (this.flushScheduled) await new Promise((resolve) => setTimeout(resolve, 2));
      else this.flush();
    }
    this.closed = true;
    await this.checkpointer?.stop();
    if (this.walFd !== null) closeSync(this.walFd);
    // The last connection: SQLite copies what is left of the log into the database and removes it.
    this.db.close();
    this.lock?.close();
  }

  /**
   * Takes the fsync of each commit off the event loop: commits only write the log, and the store
   * fsyncs it (through `walFd`) before it answers. The log file exists once the schema is in
   * place; its folder is synced once too, so the file itself survives a power cut.
   */
  syncOffLoop(folder: string, walPath: string): void {
    const directory = openSync(folder, 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
    this.walFd = openSync(walPath, 'r');
    this.db.pragma('synchronous = NORMAL');
  }

  /**
   * Hands checkpoints to a worker thread on its own connection to `path` (the default for a data
   * folder). Should the thread fail, SQLite checkpoints on this connection again, as it does by
   * default: saves stay durable, only the event loop pays for it.
   */
  checkpointInWorker(path: string): void {
    this.db.pragma('wal_autocheckpoint = 0');
    // Not called once stop() has begun, so never for a closed store.
    this.checkpointer = new Checkpointer(path, (reason) => {
      console.warn(`conflict-lab: the checkpoint thread stopped (${reason}); checkpoints run on the main thread again.`);
      this.db.pragma('wal_autocheckpoint = 1000');
    });
  }

  /**
   * Lets the database grow by at most `pages` more pages (null: no limit again), so a test can
   * make it full where no small file system can be mounted. SQLite then fails a write with
   * SQLITE_FULL exactly as on a full disk.
   */
  limitPagesForTesting(pages: number | null): void {
    const count = Number(this.db.pragma('page_count', { simple: true }));
    this.db.pragma(`max_page_count = ${pages === null ? 0xfffffffe : count + pages}`);
  }

  /** Creates the sample documents (a new store, or the demo reset). */
  seedNow(changes: StoreChange[]): void {
    for (const sample of SAMPLE_DOCUMENTS) this.createNow(sample, SAMPLE_AUTHOR, changes);
  }

  /** Imports a snapshot of the old data file as it is: ids, versions, tags, deletions. */
  importNow(snapshot: LegacySnapshot): void {
    for (const record of snapshot.documents) {
      // Files from before states and basedOn existed read as drafts whose writers named the version before.
      const revisions = record.revisions.map((revision, i): StoredRevision => ({
        document: { ...revision.document, state: revision.document.state ?? INITIAL_STATE },
        etag: revision.etag,
        basedOn: revision.basedOn !== undefined ? revision.basedOn : (record.revisions[i - 1]?.etag ?? null),
      }));
      const last = revisions.at(-1);
      if (!last) continue;
      this.sql.insertDocument.run(
        record.id,
        last.document.version,
        last.etag,
        last.document.title,
        titleKey(last.document.title),
        last.document.updatedAt,
        last.document.updatedBy,
        record.deleted?.at ?? null,
        record.deleted?.by ?? null,
      );
      for (const revision of revisions) this.insertRevision(revision);
    }
  }

  private read<T>(run: () => T): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    // A commit whose fsync is under way is not shown before it is durable: the read waits for it.
    if (this.syncing) return this.syncing.then(() => this.read(run));
    try {
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(storageFailure(error) ?? error);
    }
  }

  /**
   * Queues a write for the next group commit. `run` executes inside the transaction, in its own
   * savepoint: a bug in one write rolls back only that write; a storage failure rolls back the
   * whole group, and every write in it is refused.
   */
  private write<T>(run: (changes: StoreChange[]) => T): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new StorageError('The store is closed.', 503));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    // Stryker disable next-line BooleanLiteral: a second flush in the same turn finds the queue empty, or a sync under way, and returns; close() runs it itself.
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    // One group's fsync at a time: writes that arrive meanwhile form the next group, committed
    // when it ends, so nothing reads or builds on a commit that is not yet durable.
    if (this.syncing) return;
    const batch = this.queue;
    this.queue = [];
    // Stryker disable next-line LogicalOperator: unreachable, a flush is scheduled only with writes queued, and close() writes them all before it closes.
    if (batch.length === 0 || this.closed) return;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const changes: StoreChange[] = [];
    let began = false;
    try {
      this.db
        .transaction(() => {
          // Stryker disable next-line BooleanLiteral: past BEGIN IMMEDIATE the write lock is held, so nothing after it is ever busy.
          began = true;
          for (const pending of batch) {
            const own: StoreChange[] = [];
            try {
              outcomes.push({ ok: true, value: this.db.transaction(() => pending.run(own))() });
              changes.push(...own);
            } catch (error) {
              if (storageFailure(error)) throw error;
              outcomes.push({ ok: false, error });
            }
          }
          this.writesSincePrune += batch.length;
          if (this.writesSincePrune >= 1000) {
            this.writesSincePrune = 0;
            this.sql.pruneKeys.run(Date.now() - IDEMPOTENCY_TTL_MS);
          }
        })
        .immediate();
    } catch (error) {
      // Another connection holds the write lock (the checkpoint thread's RESTART, for a few
      // milliseconds): nothing ran, so the group waits and tries again, without blocking the loop.
      const busy = !began && error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
      this.busySince = busy ? (this.busySince ?? Date.now()) : null;
      if (busy && Date.now() - (this.busySince ?? 0) < BUSY_PATIENCE_MS) {
        this.queue = [...batch, ...this.queue];
        this.flushScheduled = true;
        setTimeout(() => this.flush(), 2);
        return;
      }
      this.busySince = null;
      const failure = storageFailure(error) ?? error;
      for (const pending of batch) pending.reject(failure);
      return;
    }
    this.busySince = null;
    // Committed and on disk: now tell the listeners, then the callers.
    const acknowledge = () => {
      for (const change of changes) for (const listener of this.listeners) listener(change);
      batch.forEach((pending, i) => {
        const outcome = outcomes[i];
        // Stryker disable next-line OptionalChaining: every write of a committed group has its outcome.
        if (outcome?.ok) pending.resolve(outcome.value);
        // Stryker disable next-line OptionalChaining: as above.
        else pending.reject(outcome?.error);
      });
    };
    const fd = this.walFd;
    if (fd === null) {
      acknowledge();
      return;
    }
    const syncing = new Promise<void>((resolve) => {
      fsync(fd, (error) => {
        if (error) this.fail(error, batch);
        else acknowledge();
        resolve();
      });
    });
    this.syncing = syncing;
    // Attached first, so it runs before any read that waits for this fsync.
    void syncing.then(() => {
      this.syncing = null;
      if (this.queue.length > 0) this.scheduleFlush();
    });
  }

  /**
   * The log could not be made durable. The commit is in SQLite's log but perhaps not on the disk,
   * and after a failed fsync the kernel may have dropped what it could not write: nothing tells
   * what a restart will find. So the group is refused, and so is everything after it (reads
   * too, which could show it) until the server is restarted and SQLite recovers the log from the
   * disk. Nothing acknowledged is lost.
   */
  private fail(error: NodeJS.ErrnoException, batch: PendingWrite[]): void {
    this.failure = new StorageError(
      `The database could not make its log durable (${error.code ?? error.message}): nothing more is stored until the server is restarted.`,
      error.code === 'ENOSPC' || error.code === 'EDQUOT' ? 507 : 503,
      30,
      { cause: error },
    );
    console.error(`conflict-lab: ${this.failure.message}`);
    for (const pending of [...batch, ...this.queue.splice(0)]) pending.reject(this.failure);
  }

  private getNow(id: string): GetResult {
    const row = this.sql.document.get(id);
    if (!row) return { kind: 'not-found' };
    if (row.deleted_at !== null) return goneFrom({ ...row, deleted_at: row.deleted_at });
    const revision = this.sql.revision.get(id, row.version);
    if (!revision) throw new Error(`Document ${id} has no revision ${row.version}.`);
    return { kind: 'found', revision: toRevision(revision) };
  }

  private createNow(input: DocumentInput, user: string, changes: StoreChange[], chosenId?: string): CreateResult {
    const key = titleKey(input.title);
    // Stryker disable next-line StringLiteral: no document's id is empty, nor any other text that is not an id: a create excepts none.
    const existing = this.sql.titleTaken.get(key, '');
    if (existing) return { kind: 'duplicate-title', existing };
    let id = chosenId ?? newDocumentId();
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a chosen id was found free just before; a random one (32 bits) meets a taken one only by a chance no test can wait for.
    while (chosenId === undefined && this.sql.idExists.get(id)) id = newDocumentId();
    const revision = this.mint(id, input, 1, user, { state: input.state ?? INITIAL_STATE, basedOn: null });
    const { document } = revision;
    this.sql.insertDocument.run(id, 1, revision.etag, document.title, key, document.updatedAt, user, null, null);
    this.insertRevision(revision);
    changes.push(changeOf('created', revision));
    return { kind: 'created', revision };
  }

  private deleteNow(current: StoredRevision, user: string, changes: StoreChange[], reason?: DeletionReason): void {
    const at = this.now().toISOString();
    const marked = this.sql.markDeleted.run(at, user, reason ?? null, current.document.id, current.etag);
    // Stryker disable next-line StringLiteral: unreachable, the check and this update run in one transaction on the folder's only writer.
    if (marked.changes !== 1) throw new Error(`The delete of ${current.document.id} found a different tag.`);
    changes.push({ ...changeOf('deleted', current), updatedBy: user, updatedAt: at, ...(reason && { reason }) });
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

  private insertRevision({ document, etag, basedOn }: StoredRevision): void {
    this.sql.insertRevision.run(
      document.id,
      document.version,
      etag,
      document.title,
      document.content,
      document.updatedAt,
      document.updatedBy,
      basedOn,
      document.state,
    );
  }

  /** The first answer to this key, a mismatch, or null when the key is new (or forgotten). */
  private replay(request: IdempotencyRequest): { kind: 'replayed'; revision: StoredRevision } | { kind: 'idempotency-mismatch' } | null {
    const seen = this.sql.idempotency.get(request.key);
    if (!seen || seen.created_at < Date.now() - IDEMPOTENCY_TTL_MS) return null;
    if (seen.fingerprint !== request.fingerprint) return { kind: 'idempotency-mismatch' };
    const row = this.sql.revision.get(seen.doc_id, seen.version);
    if (!row) throw new Error(`Idempotency key ${request.key} names a revision that is not stored.`);
    return { kind: 'replayed', revision: toRevision(row) };
  }

  private rememberKey(request: IdempotencyRequest, revision: StoredRevision): void {
    this.sql.rememberKey.run(request.key, request.fingerprint, revision.document.id, revision.document.version, Date.now());
  }

  private conflict(current: StoredRevision, condition: EntityTagCondition): Conflict {
    const id = current.document.id;
    let base: StoredRevision | null = null;
    for (const tag of listedTags(condition)) {
      const row = this.sql.byTag.get(id, tag);
      if (row && (!base || row.version > base.document.version)) base = toRevision(row);
    }
    const changesSince = this.sql.historySince
      .all(id, base ? base.document.version : 0)
      .map((row) => ({ version: row.version, updatedBy: row.updated_by, updatedAt: row.updated_at }));
    return { current, base, changesSince };
  }
}

/**
 * Opens (or creates) the store in `folder`. A new store imports `documents.json` from the same
 * folder when there is one (then renames it `documents.json.imported`), else gets the sample
 * documents. Throws StoreOpenError when another server holds the folder or the old file is damaged.
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const { folder } = options;
  if (folder !== null) {
    if (existsSync(folder) && !statSync(folder).isDirectory()) {
      throw new StoreOpenError(
        `--data names a folder, and ${folder} is a file. Give the folder instead: an old documents.json inside it is imported on first start.`,
      );
    }
    mkdirSync(folder, { recursive: true });
  }
  // Stryker disable next-line StringLiteral: '' opens a private temporary database, which serves as ':memory:' does.
  const path = folder === null ? ':memory:' : join(folder, DATABASE_FILE);
  const lock = folder === null ? null : lockFolder(folder);
  let db: Database.Database;
  try {
    // No waiting for a lock: a write never blocks the event loop on one.
    db = new Database(path, { timeout: 0 });
  } catch (error) {
    // Stryker disable next-line OptionalChaining: lock is null only in memory, and an in-memory database always opens.
    lock?.close();
    throw new StoreOpenError(`The database ${path} cannot be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    // FULL while the store opens; off the loop, NORMAL and the store's own fsync afterwards.
    db.pragma('synchronous = FULL');
    // After a burst of writes the log starts over at this size at most, not at its largest.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
    db.pragma('foreign_keys = ON');
    // Each write in a group commit runs in a savepoint, whose statement journal would otherwise
    // be a temporary file: written to on every save (about 24 KB for a 10 KB document), never
    // needed after the commit.
    db.pragma('temp_store = MEMORY');
    db.exec('BEGIN IMMEDIATE');
    db.exec(SCHEMA);
    migrate(db);
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    // Stryker disable next-line OptionalChaining: lock is null only in memory, where these pragmas and the schema cannot fail.
    lock?.close();
    // Busy although the folder's lock was free: a program other than a server of this version
    // (an older one, or a tool) is writing to the database.
    // Stryker disable next-line Regex: every SQLite result code begins with SQLITE_, and none has BUSY or LOCKED later on.
    if (error instanceof Database.SqliteError && /^SQLITE_BUSY|^SQLITE_LOCKED/.test(error.code)) {
      throw inUse(folder ?? path);
    }
    if (error instanceof Database.SqliteError) {
      throw new StoreOpenError(`The database ${path} cannot be used (${error.code}: ${error.message}). It was not changed.`);
    }
    throw error;
  }

  const store = new SqliteStore(db, options.now, lock);
  try {
    const legacy = folder === null ? null : join(folder, LEGACY_FILE);
    const initialized = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'initialized'").get();
    if (!initialized) {
      const snapshot = legacy && existsSync(legacy) ? readLegacySnapshot(legacy) : null;
      const setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
      db.transaction(() => {
        if (snapshot && legacy) {
          store.importNow(snapshot);
          setMeta.run('imported', LEGACY_FILE);
        } else if (options.seed ?? true) {
          store.seedNow([]);
        }
        setMeta.run('initialized', new Date().toISOString());
      }).immediate();
    }
    // The old file is kept beside the database, renamed, so it is never imported twice. A crash
    // between the import's commit and this rename is finished here on the next start.
    const imported = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'imported'").get();
    if (legacy && imported && existsSync(legacy)) {
      let target = `${legacy}.imported`;
      if (existsSync(target)) target = `${legacy}.imported-${Date.now()}`;
      renameSync(legacy, target);
    }
  } catch (error) {
    // The old file could not be imported (nothing was written) or renamed: the folder is free again.
    db.close();
    // Stryker disable next-line OptionalChaining: lock is null only in memory, where there is no old file to import or rename.
    lock?.close();
    throw error;
  }
  if (folder !== null && (options.diskWork ?? 'off-loop') === 'off-loop') {
    try {
      store.syncOffLoop(folder, `${path}-wal`);
    } catch (error) {
      // The folder is free again, as after any other failure to open.
      db.close();
      // Stryker disable next-line OptionalChaining: lock is null only in memory, and this is a data folder.
      lock?.close();
      throw new StoreOpenError(`The data folder ${folder} cannot be synced to the disk: ${error instanceof Error ? error.message : String(error)}`);
    }
    store.checkpointInWorker(path);
  }
  return store;
}

function inUse(folder: string): StoreOpenError {
  return new StoreOpenError(`Another Conflict Lab server is using ${folder}. Stop it first, or give this one its own --data folder.`);
}

/**
 * One server per data folder: the lock is SQLite's own, on an empty database beside the real one,
 * taken by a transaction that stays open until the store closes (`BEGIN EXCLUSIVE`, its journal
 * in memory, so there is never a journal file). The operating system drops it when the process
 * ends, even by `kill -9`, so a crash never leaves a stale lock. It is not taken on the database
 * itself because the checkpoint thread needs a second connection to that one.
 */
function lockFolder(folder: string): Database.Database {
  const file = join(folder, LOCK_FILE);
  let lock: Database.Database;
  try {
    lock = new Database(file, { timeout: 0 });
  } catch (error) {
    throw new StoreOpenError(`The lock file ${file} cannot be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    lock.pragma('journal_mode = MEMORY');
    lock.exec('BEGIN EXCLUSIVE');
    return lock;
  } catch (error) {
    lock.close();
    // Stryker disable next-line Regex: every SQLite result code begins with SQLITE_, and none has BUSY or LOCKED later on.
    if (error instanceof Database.SqliteError && /^SQLITE_BUSY|^SQLITE_LOCKED/.test(error.code)) throw inUse(folder);
    throw new StoreOpenError(`The lock file ${file} cannot be used: ${error instanceof Error ? error.message : String(error)}`);
  }
}
