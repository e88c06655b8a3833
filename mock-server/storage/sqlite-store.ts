/**
 * The embedded engine, the default: SQLite through better-sqlite3, one database file in the data
 * folder. Why SQLite: a commit is atomic and, in WAL mode with `synchronous=FULL`, on the disk
 * when it returns (~0.2 ms here); a save appends one revision row, so its cost follows the size
 * of the change and not of the store; and the database holds an exclusive lock, so a second
 * server on the same folder stops instead of overwriting the first one's saves.
 *
 * Group commit: writes that arrive in the same turn of the event loop run one after another in
 * one transaction (each in its own savepoint), and one fsync makes them all durable. Their
 * promises resolve only after that commit, so an answer never gets ahead of the disk.
 */
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EntityTagCondition } from '../../src/protocol/etag.ts';
import { INITIAL_STATE, type DocumentState } from '../../src/protocol/concurrency.ts';
import type { DocumentSummary } from '../../src/protocol/types.ts';
import {
  changeOf,
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
  type DocumentInput,
  type GetResult,
  type IdempotencyRequest,
  type RevisionRecord,
  type Store,
  type StoreChange,
  type StoredRevision,
  type UpdateResult,
  type WriteRecord,
} from './types.ts';

/** The database's file name inside the data folder (SQLite adds `-wal` beside it). */
export const DATABASE_FILE = 'conflict-lab.sqlite3';
/** The data file of earlier versions, imported once when the database is new. */
export const LEGACY_FILE = 'documents.json';

export interface SqliteStoreOptions {
  /** The data folder; null keeps everything in memory (`--memory`). */
  folder: string | null;
  /** Create the sample documents in a new store (default true). */
  seed?: boolean;
  /** The clock of saves and deletions (the system's by default). */
  now?: () => Date;
}

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
  deleted_by TEXT
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
export const SCHEMA_VERSION = 2;

/**
 * Brings a database made by an earlier version up to SCHEMA_VERSION, inside the caller's
 * transaction. Version 2 added each revision's `based_on` (existing rows: the tag of the version
 * before, which their writers had to name to save) and `state` (existing rows: draft).
 */
function migrate(db: Database.Database): void {
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
  if (code === 'SQLITE_FULL' || (code === 'SQLITE_IOERR_WRITE' && /space/i.test(error.message))) {
    return new StorageError('The data folder is full: the save was not stored.', 507, 30, { cause: error });
  }
  if (/^SQLITE_(IOERR|BUSY|LOCKED|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/.test(code)) {
    return new StorageError(`The database could not store the change (${code}).`, 503, 5, { cause: error });
  }
  return null;
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

  /** Use openSqliteStore. */
  constructor(db: Database.Database, now: () => Date = () => new Date()) {
    this.db = db;
    this.now = now;
    this.sql = {
      list: db.prepare<[], Omit<DocumentRow, 'deleted_at' | 'deleted_by'> & { state: string }>(
        `SELECT d.id, d.title, d.version, d.updated_at, d.updated_by, d.etag, r.state
           FROM documents d JOIN revisions r ON r.doc_id = d.id AND r.version = d.version
          WHERE d.deleted_at IS NULL ORDER BY d.seq`,
      ),
      document: db.prepare<[string], DocumentRow>(
        'SELECT id, version, etag, title, updated_at, updated_by, deleted_at, deleted_by FROM documents WHERE id = ?',
      ),
      revision: db.prepare<[string, number], RevisionRow>('SELECT * FROM revisions WHERE doc_id = ? AND version = ?'),
      history: db.prepare<[string], Omit<RevisionRow, 'title' | 'content'>>(
        'SELECT doc_id, version, etag, updated_at, updated_by, based_on, state FROM revisions WHERE doc_id = ? ORDER BY version',
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
      markDeleted: db.prepare('UPDATE documents SET deleted_at = ?, deleted_by = ? WHERE id = ? AND etag = ? AND deleted_at IS NULL'),
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

  revisions(id: string): Promise<RevisionRecord[] | null> {
    return this.read(() => {
      const rows = this.sql.history.all(id);
      if (rows.length === 0) return null;
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
      // Cannot happen while this connection is the only writer (the exclusive lock sees to that);
      // if it ever does, the savepoint is rolled back rather than a version overwritten.
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
        if (found.kind === 'found') this.deleteNow(found.revision, user, changes);
      }
      this.seedNow(changes);
    }).then(() => this.list());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Whatever is queued is written first.
    if (this.queue.length > 0) this.flush();
    this.closed = true;
    this.db.close();
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
    if (this.closed) return Promise.reject(new StorageError('The store is closed.', 503));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0 || this.closed) return;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const changes: StoreChange[] = [];
    try {
      this.db
        .transaction(() => {
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
      const failure = storageFailure(error) ?? error;
      for (const pending of batch) pending.reject(failure);
      return;
    }
    // Committed and on disk: now tell the listeners, then the callers.
    for (const change of changes) for (const listener of this.listeners) listener(change);
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) pending.resolve(outcome.value);
      else pending.reject(outcome?.error);
    });
  }

  private getNow(id: string): GetResult {
    const row = this.sql.document.get(id);
    if (!row) return { kind: 'not-found' };
    if (row.deleted_at !== null) return { kind: 'gone', at: row.deleted_at, by: row.deleted_by ?? '' };
    const revision = this.sql.revision.get(id, row.version);
    if (!revision) throw new Error(`Document ${id} has no revision ${row.version}.`);
    return { kind: 'found', revision: toRevision(revision) };
  }

  private createNow(input: DocumentInput, user: string, changes: StoreChange[], chosenId?: string): CreateResult {
    const key = titleKey(input.title);
    const existing = this.sql.titleTaken.get(key, '');
    if (existing) return { kind: 'duplicate-title', existing };
    let id = chosenId ?? newDocumentId();
    while (chosenId === undefined && this.sql.idExists.get(id)) id = newDocumentId();
    const revision = this.mint(id, input, 1, user, { state: input.state ?? INITIAL_STATE, basedOn: null });
    const { document } = revision;
    this.sql.insertDocument.run(id, 1, revision.etag, document.title, key, document.updatedAt, user, null, null);
    this.insertRevision(revision);
    changes.push(changeOf('created', revision));
    return { kind: 'created', revision };
  }

  private deleteNow(current: StoredRevision, user: string, changes: StoreChange[]): void {
    const at = this.now().toISOString();
    const marked = this.sql.markDeleted.run(at, user, current.document.id, current.etag);
    if (marked.changes !== 1) throw new Error(`The delete of ${current.document.id} found a different tag.`);
    changes.push({ ...changeOf('deleted', current), updatedBy: user, updatedAt: at });
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
  const path = folder === null ? ':memory:' : join(folder, DATABASE_FILE);
  let db: Database.Database;
  try {
    // No waiting for a lock: if another server holds this store, say so at once.
    db = new Database(path, { timeout: 0 });
  } catch (error) {
    throw new StoreOpenError(`The database ${path} cannot be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    // Exclusive before WAL: the lock is taken with the first write below and held until close,
    // so no second process can use the file meanwhile (and no shared-memory file is needed).
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
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
    if (error instanceof Database.SqliteError && /^SQLITE_BUSY|^SQLITE_LOCKED/.test(error.code)) {
      throw new StoreOpenError(
        `Another Conflict Lab server is using ${folder ?? path}. Stop it first, or give this one its own --data folder.`,
      );
    }
    if (error instanceof Database.SqliteError) {
      throw new StoreOpenError(`The database ${path} cannot be used (${error.code}: ${error.message}). It was not changed.`);
    }
    throw error;
  }

  const store = new SqliteStore(db, options.now);
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
  return store;
}
