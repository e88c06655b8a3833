/**
 * What every storage engine offers the server: reads, and writes that are each one
 * compare-and-set on the current entity tag (plus create, delete and the demo reset). Every call
 * is async, because an answer may wait for a commit to reach the disk (SQLite) or for a database
 * round trip (PostgreSQL). A promise that resolves means the change is durable; a write that
 * could not be made durable rejects with a StorageError and changes nothing (or, when the
 * connection was lost with the commit on its way, says that it may have been stored).
 */
import type { ChangeSince } from '../../src/protocol/problems.ts';
import type { Document, DocumentEvent, DocumentEventType, DocumentSummary, Revision } from '../../src/protocol/types.ts';
import type { EntityTagCondition } from '../../src/protocol/etag.ts';
import type { DocumentState } from '../../src/protocol/concurrency.ts';

export interface StoredRevision {
  document: Document;
  /** The strong entity tag of exactly this representation, quotes included. */
  etag: string;
  /**
   * The entity tag the writer said it started from (null for a create, or a write that named
   * none), so a lost update can be told after the fact (docs/protocol.md §1.11).
   */
  basedOn: string | null;
}

/** A revision in a document's history, as the store lists it; the route adds what is derived. */
export type RevisionRecord = Omit<Revision, 'lost' | 'overwrote'> & { state: DocumentState };

export interface DocumentInput {
  title: string;
  content: string;
  /** A save keeps the document's state unless it names one (a transition). */
  state?: DocumentState;
}

/** Which part of a history to read: the versions after `after` and up to `through` (each bound optional). */
export interface RevisionRange {
  after?: number;
  through?: number;
}

/** What a write records beside the document: see StoredRevision.basedOn. */
export interface WriteRecord {
  /** Defaults to the tag of the version the write replaced (the writer saw it: its If-Match matched). */
  basedOn?: string | null;
  /**
   * The states the document must be in for the write to be made (a save may not change an
   * archived document); in any other the answer is `wrong-state` and nothing is written. Checked
   * in the same step as the condition, after it: a stale tag is a conflict whatever the state.
   */
  inStates?: readonly DocumentState[];
}

export interface CreateOptions {
  /**
   * The id the client chose (`PUT` with `If-None-Match: *`): an id that exists, or existed, is
   * refused, so two creators never both win.
   */
  id?: string;
  idempotency?: IdempotencyRequest;
}

/**
 * Why a document was deleted, when not by a person's own delete: `reset` for the demo reset
 * (docs/protocol.md §1.5, §1.8). Stored with the deletion, so every server says it, after a
 * restart too.
 */
export type DeletionReason = NonNullable<DocumentEvent['reason']>;

/** A deleted document: when, by whom, and why when it was not that person's own delete. */
export interface Gone {
  kind: 'gone';
  at: string;
  by: string;
  reason?: DeletionReason;
}

/** One committed change, as the event stream tells it. */
export interface StoreChange {
  type: DocumentEventType;
  id: string;
  version: number;
  etag: string;
  /** Who made the version, or who deleted the document. */
  updatedBy: string;
  updatedAt: string;
  /**
   * The change's place in an order shared by every server on the same database, when the engine
   * has one (PostgreSQL): increasing, not contiguous. The event stream numbers changes itself
   * otherwise.
   */
  seq?: bigint;
  /** For a save: the tag its writer started from, and the tag of the version it replaced (§1.11). */
  basedOn?: string | null;
  replaced?: string;
  /** For a deletion that was not a person's own (see DeletionReason). */
  reason?: DeletionReason;
}

export interface Conflict {
  current: StoredRevision;
  base: StoredRevision | null;
  changesSince: ChangeSince[];
}

/**
 * A client's key for one write attempt (`Idempotency-Key`) and a fingerprint of the request it
 * came with. A repeat of the key with the same fingerprint gets the first answer again.
 */
export interface IdempotencyRequest {
  key: string;
  fingerprint: string;
}

/** The key was used before for a different request. */
export interface IdempotencyMismatch {
  kind: 'idempotency-mismatch';
}

export type GetResult =
  | { kind: 'found'; revision: StoredRevision }
  | { kind: 'not-found' }
  | Gone;

export type CreateResult =
  | { kind: 'created'; revision: StoredRevision }
  /** A repeat of an earlier create's key: that create's document, nothing new made. */
  | { kind: 'replayed'; revision: StoredRevision }
  /** A client-chosen id that a document has (or had: ids are never reused). */
  | { kind: 'exists'; id: string; deleted: boolean }
  | { kind: 'duplicate-title'; existing: { id: string; title: string } }
  | IdempotencyMismatch;

export type UpdateResult =
  | { kind: 'updated'; revision: StoredRevision }
  /** A repeat of an earlier save's key: that save's revision, no new version. */
  | { kind: 'replayed'; revision: StoredRevision }
  | ({ kind: 'conflict' } & Conflict)
  /** The condition matched, and the document is in a state the write did not allow (WriteRecord.inStates). */
  | { kind: 'wrong-state'; current: StoredRevision }
  | { kind: 'duplicate-title'; existing: { id: string; title: string } }
  | { kind: 'precondition-required' }
  | { kind: 'not-found' }
  | Gone
  | IdempotencyMismatch;

export type DeleteResult =
  | { kind: 'deleted'; revision: StoredRevision }
  | ({ kind: 'conflict' } & Conflict)
  | { kind: 'precondition-required' }
  | { kind: 'not-found' }
  | Gone;

export interface Store {
  /** Which engine, for the start-up line and the benchmark. */
  readonly engine: 'sqlite' | 'postgres';
  /**
   * Set when several servers share the store: the first part of event ids, the same on all of
   * them, so an id from one resumes on another (changes then carry `seq`).
   */
  readonly streamEpoch?: string;
  /**
   * With streamEpoch: the position in the shared order after which this server hears of every
   * change. An event id before it names changes this server cannot replay.
   */
  readonly streamStart?: bigint | undefined;
  /** Called after every committed change, in commit order (in the shared order, with `seq`). */
  subscribe(listener: (change: StoreChange) => void): () => void;
  /**
   * With streamEpoch: called, in order with the changes, when this server missed changes it can
   * no longer read (they were pruned while it was cut off), with the position it goes on after.
   * The changes up to it cannot all be told: clients must read afresh what they show.
   */
  subscribeMissed?(listener: (after: bigint) => void): () => void;
  list(): Promise<DocumentSummary[]>;
  get(id: string): Promise<GetResult>;
  /**
   * The history of a document, oldest first; also of a deleted one. Null when unknown. With a
   * range, only the versions in it (an indexed range read: a save looks at the end of a long
   * history without reading all of it); empty when there are none.
   */
  revisions(id: string, range?: RevisionRange): Promise<RevisionRecord[] | null>;
  revision(id: string, version: number): Promise<StoredRevision | null>;
  create(input: DocumentInput, user: string, options?: CreateOptions): Promise<CreateResult>;
  /**
   * Saves a new version when `condition` (the parsed `If-Match`) matches the current tag.
   * Order of answers: a repeated idempotency key, unknown or deleted document, missing
   * condition, failed condition, a state the record does not allow, then a title that another
   * live document has.
   */
  update(
    id: string,
    input: DocumentInput,
    condition: EntityTagCondition | null,
    user: string,
    idempotency?: IdempotencyRequest,
    record?: WriteRecord,
  ): Promise<UpdateResult>;
  /** Deletes when `condition` matches; the history stays, so later requests get 410, not 404. */
  remove(id: string, condition: EntityTagCondition | null, user: string): Promise<DeleteResult>;
  /**
   * The demo set again: every live document is deleted (its history stays, so old links answer
   * 410 and no tag is ever reused), each deletion with the reason `reset`, and the sample
   * documents are created anew, as version 1.
   */
  resetToSamples(user: string): Promise<DocumentSummary[]>;
  close(): Promise<void>;
}

/**
 * A write that could not be made durable (disk full, I/O error, database unreachable). Nothing
 * was changed, unless `stored` says the change may have been; the client may retry later.
 */
export class StorageError extends Error {
  override name = 'StorageError';
  /** 507 when the store is out of space, 503 when it is unavailable for another reason. */
  readonly status: 503 | 507;
  /** Seconds after which a retry may succeed. */
  readonly retryAfter: number;
  /**
   * 'no': nothing was changed. 'unknown': the connection was lost once the commit was on its way,
   * so the change may have been stored all the same.
   */
  readonly stored: 'no' | 'unknown';
  /**
   * The write was made under an Idempotency-Key, stored in the same commit as the change: the same
   * request again, with that key, gets the first answer if the change was stored.
   */
  readonly keyed: boolean;

  constructor(
    message: string,
    status: 503 | 507,
    retryAfter = 5,
    options?: { cause?: unknown; stored?: 'no' | 'unknown'; keyed?: boolean },
  ) {
    super(message, options);
    this.status = status;
    this.retryAfter = retryAfter;
    this.stored = options?.stored ?? 'no';
    this.keyed = options?.keyed ?? false;
  }
}

/** A store that cannot be opened: in use by another server, or unreadable. The CLI prints the message and stops. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}

/** How long an idempotency key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
