/**
 * The versioned document store: every save is a new immutable revision with its own entity tag,
 * and the whole history is kept, so a conflict can name the version the client edited (`base`)
 * and everything saved since. Plain synchronous class: a check of `If-Match` and the write it
 * guards happen in one turn of the event loop, so no two writers can both pass the same check.
 */
import type { ChangeSince } from '../src/protocol/problems.ts';
import type { Document, DocumentSummary, Revision } from '../src/protocol/types.ts';
import { INITIAL_STATE, isDocumentState, type DocumentState } from '../src/protocol/concurrency.ts';
import { ifMatchPasses, parseEntityTag, type EntityTagCondition } from '../src/protocol/etag.ts';

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
export type RevisionRecord = Omit<Revision, 'lost' | 'overwrote'>;

/** What a write records beside the document: see StoredRevision.basedOn. */
export interface WriteRecord {
  /** Defaults to the tag of the version the write replaced (the writer saw it: its If-Match matched). */
  basedOn?: string | null;
}

interface DocumentRecord {
  id: string;
  revisions: StoredRevision[];
  deleted: { at: string; by: string } | null;
}

export interface DocumentInput {
  title: string;
  content: string;
  /** A save keeps the document's state unless it names one (a transition). */
  state?: DocumentState;
}

export type StoreChange =
  | { type: 'created' | 'updated'; revision: StoredRevision }
  | { type: 'deleted'; revision: StoredRevision; at: string; by: string };

export interface Conflict {
  current: StoredRevision;
  base: StoredRevision | null;
  changesSince: ChangeSince[];
}

export type GetResult =
  | { kind: 'found'; revision: StoredRevision }
  | { kind: 'not-found' }
  | { kind: 'gone'; at: string; by: string };

export type CreateResult =
  | { kind: 'created'; revision: StoredRevision }
  /** A client-chosen id that a document has (or had: ids are never reused). */
  | { kind: 'exists'; id: string; deleted: boolean }
  | { kind: 'duplicate-title'; existing: { id: string; title: string } };

export type UpdateResult =
  | { kind: 'updated'; revision: StoredRevision }
  /**
   * The tag did not match, but the same user's body is what is stored: a retry of a save whose
   * answer was lost.
   */
  | { kind: 'unchanged-retry'; revision: StoredRevision }
  | ({ kind: 'conflict' } & Conflict)
  | { kind: 'duplicate-title'; existing: { id: string; title: string } }
  | { kind: 'precondition-required' }
  | { kind: 'not-found' }
  | { kind: 'gone'; at: string; by: string };

export type DeleteResult =
  | { kind: 'deleted'; revision: StoredRevision }
  | ({ kind: 'conflict' } & Conflict)
  | { kind: 'precondition-required' }
  | { kind: 'not-found' }
  | { kind: 'gone'; at: string; by: string };

/** What the persistence layer writes and reads back. */
export interface StoreSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  documents: Array<{ id: string; revisions: StoredRevision[]; deleted: { at: string; by: string } | null }>;
}

export const SNAPSHOT_FORMAT = 'conflict-lab-store/1';

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

export interface StoreOptions {
  now?: () => Date;
  /** Documents to start with (a restored snapshot); the sample documents when omitted. */
  snapshot?: StoreSnapshot;
  seed?: boolean;
}

function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Titles collide after trimming, Unicode normalisation and case folding. */
export function titleKey(title: string): string {
  return title.trim().normalize('NFC').toLowerCase();
}

export class DocumentStore {
  private readonly records = new Map<string, DocumentRecord>();
  private readonly listeners = new Set<(change: StoreChange) => void>();
  /** Every revision by its tag's opaque part, to find a conflict's base without a scan. */
  private readonly byOpaqueTag = new Map<string, StoredRevision>();
  private readonly now: () => Date;
  /**
   * Tags are `<epoch>.<counter>`: the epoch is 96 random bits drawn when the store starts, so a
   * tag minted before a restart, or for a deleted document, can never be minted again.
   */
  private readonly tagEpoch = randomHex(12);
  private tagCounter = 0;
  /**
   * The title key of every live document, and the live documents under each key, so a save
   * checks its title against the others without normalising or visiting every document.
   */
  private readonly liveKeyById = new Map<string, string>();
  private readonly liveIdsByKey = new Map<string, Set<string>>();

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    if (options.snapshot) {
      for (const record of validateSnapshot(options.snapshot).documents) {
        // Snapshots from before states and basedOn existed read as drafts whose writers named nothing.
        const revisions = record.revisions.map((r) =>
          this.index({ document: Object.freeze({ ...r.document, state: r.document.state ?? INITIAL_STATE }), etag: r.etag, basedOn: r.basedOn ?? null }),
        );
        const restored: DocumentRecord = { id: record.id, revisions, deleted: record.deleted ? { ...record.deleted } : null };
        this.records.set(record.id, restored);
        if (!restored.deleted) this.setLiveKey(record.id, titleKey(latest(restored).document.title));
      }
    } else if (options.seed ?? true) {
      for (const sample of SAMPLE_DOCUMENTS) this.create(sample, SAMPLE_AUTHOR);
    }
  }

  /** Called after every change, in order; the event stream and persistence listen here. */
  subscribe(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): DocumentSummary[] {
    const summaries: DocumentSummary[] = [];
    for (const record of this.records.values()) {
      if (record.deleted) continue;
      const { document, etag } = latest(record);
      summaries.push({
        id: document.id,
        title: document.title,
        version: document.version,
        updatedAt: document.updatedAt,
        updatedBy: document.updatedBy,
        state: document.state,
        etag,
      });
    }
    return summaries;
  }

  get(id: string): GetResult {
    const record = this.records.get(id);
    if (!record) return { kind: 'not-found' };
    if (record.deleted) return { kind: 'gone', ...record.deleted };
    return { kind: 'found', revision: latest(record) };
  }

  /** The history of a document, oldest first; also of a deleted one. Null when unknown. */
  revisions(id: string): RevisionRecord[] | null {
    const record = this.records.get(id);
    if (!record) return null;
    return record.revisions.map(({ document, etag, basedOn }) => ({
      version: document.version,
      updatedAt: document.updatedAt,
      updatedBy: document.updatedBy,
      etag,
      basedOn,
    }));
  }

  revision(id: string, version: number): StoredRevision | null {
    return this.records.get(id)?.revisions[version - 1] ?? null;
  }

  /**
   * Creates version 1, under `options.id` when the client chose the id (`PUT` with
   * `If-None-Match: *`): an id that exists, or existed, is refused, so two creators never both win.
   */
  create(input: DocumentInput, user: string, options: { id?: string } = {}): CreateResult {
    if (options.id !== undefined) {
      const taken = this.records.get(options.id);
      if (taken) return { kind: 'exists', id: taken.id, deleted: taken.deleted !== null };
    }
    const key = titleKey(input.title);
    const existing = this.findByKey(key, null);
    if (existing) return { kind: 'duplicate-title', existing };
    const id = options.id ?? this.newId();
    const revision = this.mint(
      {
        id,
        title: input.title,
        content: input.content,
        version: 1,
        updatedAt: this.now().toISOString(),
        updatedBy: user,
        state: input.state ?? INITIAL_STATE,
      },
      null,
    );
    this.records.set(id, { id, revisions: [revision], deleted: null });
    this.setLiveKey(id, key);
    this.emit({ type: 'created', revision });
    return { kind: 'created', revision };
  }

  /**
   * Saves a new version when `condition` (the parsed `If-Match`) matches the current tag.
   * Order of answers: unknown or deleted document, missing condition, failed condition (unless
   * the same user's body is already what is stored), then a title that another live document has.
   */
  update(id: string, input: DocumentInput, condition: EntityTagCondition | null, user: string, record: WriteRecord = {}): UpdateResult {
    const document = this.records.get(id);
    if (!document) return { kind: 'not-found' };
    if (document.deleted) return { kind: 'gone', ...document.deleted };
    if (!condition) return { kind: 'precondition-required' };
    const current = latest(document);
    if (!ifMatchPasses(condition, current.etag)) {
      // Only the user who made the current version can be retrying it. Two people who happen to
      // send the same text are two saves, and the second must see the first: think of two
      // counters both moving 5 → 6, where treating the second as a retry would lose an increment.
      if (
        current.document.updatedBy === user &&
        current.document.title === input.title &&
        current.document.content === input.content
      ) {
        return { kind: 'unchanged-retry', revision: current };
      }
      return { kind: 'conflict', ...this.conflict(document, condition) };
    }
    const key = titleKey(input.title);
    const existing = this.findByKey(key, id);
    if (existing) return { kind: 'duplicate-title', existing };
    const revision = this.mint(
      {
        id,
        title: input.title,
        content: input.content,
        version: current.document.version + 1,
        updatedAt: this.now().toISOString(),
        updatedBy: user,
        state: input.state ?? current.document.state,
      },
      record.basedOn === undefined ? current.etag : record.basedOn,
    );
    document.revisions.push(revision);
    this.setLiveKey(id, key);
    this.emit({ type: 'updated', revision });
    return { kind: 'updated', revision };
  }

  /** Deletes when `condition` matches; the history stays, so later requests get 410, not 404. */
  remove(id: string, condition: EntityTagCondition | null, user: string): DeleteResult {
    const record = this.records.get(id);
    if (!record) return { kind: 'not-found' };
    if (record.deleted) return { kind: 'gone', ...record.deleted };
    if (!condition) return { kind: 'precondition-required' };
    const current = latest(record);
    if (!ifMatchPasses(condition, current.etag)) return { kind: 'conflict', ...this.conflict(record, condition) };
    this.markDeleted(record, user);
    return { kind: 'deleted', revision: current };
  }

  /**
   * The demo set again: every live document is deleted (its history stays, so old links answer
   * 410 and no tag is ever reused) and the sample documents are created anew, as version 1.
   */
  resetToSamples(user: string): DocumentSummary[] {
    for (const record of this.records.values()) if (!record.deleted) this.markDeleted(record, user);
    for (const sample of SAMPLE_DOCUMENTS) this.create(sample, SAMPLE_AUTHOR);
    return this.list();
  }

  /** Deletes a live document: the history stays, its title is free again, and listeners hear of it. */
  private markDeleted(record: DocumentRecord, user: string): void {
    const deleted = { at: this.now().toISOString(), by: user };
    record.deleted = deleted;
    this.setLiveKey(record.id, null);
    this.emit({ type: 'deleted', revision: latest(record), ...deleted });
  }

  snapshot(): StoreSnapshot {
    return {
      format: SNAPSHOT_FORMAT,
      documents: Array.from(this.records.values(), (record) => ({
        id: record.id,
        revisions: record.revisions,
        deleted: record.deleted,
      })),
    };
  }

  private conflict(record: DocumentRecord, condition: EntityTagCondition): Conflict {
    const current = latest(record);
    // The base is informational (the client's own version, for the three-way view), so any
    // listed tag that names a known revision will do, weak or strong; the newest wins.
    let base: StoredRevision | null = null;
    if (!condition.any) {
      for (const tag of condition.tags) {
        const named = this.byOpaqueTag.get(tag.opaque);
        if (named && named.document.id === record.id && (!base || named.document.version > base.document.version)) base = named;
      }
    }
    const since = base ? base.document.version : 0;
    const changesSince = record.revisions
      .filter((r) => r.document.version > since)
      .map(({ document }) => ({ version: document.version, updatedBy: document.updatedBy, updatedAt: document.updatedAt }));
    return { current, base, changesSince };
  }

  /** The first live document (in creation order) other than `exceptId` whose title has this key. */
  private findByKey(key: string, exceptId: string | null): { id: string; title: string } | null {
    const ids = this.liveIdsByKey.get(key);
    // The usual save keeps its own title: the only id under the key is its own.
    if (!ids || (ids.size === 1 && exceptId !== null && ids.has(exceptId))) return null;
    for (const record of this.records.values()) {
      if (record.id === exceptId || !ids.has(record.id)) continue;
      const { document } = latest(record);
      return { id: document.id, title: document.title };
    }
    return null;
  }

  /** Files a live document under its title's key (null: it is deleted, file it nowhere). */
  private setLiveKey(id: string, key: string | null): void {
    const previous = this.liveKeyById.get(id);
    if (previous === key) return;
    if (previous !== undefined) {
      const ids = this.liveIdsByKey.get(previous);
      ids?.delete(id);
      if (ids?.size === 0) this.liveIdsByKey.delete(previous);
      this.liveKeyById.delete(id);
    }
    if (key === null) return;
    this.liveKeyById.set(id, key);
    const ids = this.liveIdsByKey.get(key);
    if (ids) ids.add(id);
    else this.liveIdsByKey.set(key, new Set([id]));
  }

  private newId(): string {
    for (;;) {
      const id = `d_${randomHex(8)}`;
      if (!this.records.has(id)) return id;
    }
  }

  private mint(document: Document, basedOn: string | null): StoredRevision {
    this.tagCounter += 1;
    return this.index({ document: Object.freeze(document), etag: `"${this.tagEpoch}.${this.tagCounter.toString(36)}"`, basedOn });
  }

  private index(revision: StoredRevision): StoredRevision {
    this.byOpaqueTag.set(parseEntityTag(revision.etag).opaque, revision);
    return revision;
  }

  private emit(change: StoreChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

function latest(record: DocumentRecord): StoredRevision {
  const revision = record.revisions.at(-1);
  if (!revision) throw new Error(`Document ${record.id} has no revisions.`);
  return revision;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a snapshot read from disk in full, so a damaged file is refused rather than half-loaded. */
export function validateSnapshot(value: unknown): StoreSnapshot {
  if (!isRecord(value) || value.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotError(`not a store snapshot (expected "format": "${SNAPSHOT_FORMAT}")`);
  }
  if (!Array.isArray(value.documents)) throw new SnapshotError('"documents" is not a list');
  const ids = new Set<string>();
  const tags = new Set<string>();
  value.documents.forEach((record: unknown, index) => {
    const where = `documents[${index}]`;
    if (!isRecord(record) || typeof record.id !== 'string' || record.id === '') {
      throw new SnapshotError(`${where} has no id`);
    }
    if (ids.has(record.id)) throw new SnapshotError(`${where}: id ${record.id} appears twice`);
    ids.add(record.id);
    if (!Array.isArray(record.revisions) || record.revisions.length === 0) {
      throw new SnapshotError(`${where} has no revisions`);
    }
    record.revisions.forEach((revision: unknown, i) => {
      const at = `${where}.revisions[${i}]`;
      if (!isRecord(revision) || typeof revision.etag !== 'string' || !isRecord(revision.document)) {
        throw new SnapshotError(`${at} is not a revision`);
      }
      try {
        parseEntityTag(revision.etag);
      } catch {
        throw new SnapshotError(`${at}.etag is not an entity tag`);
      }
      if (tags.has(revision.etag)) throw new SnapshotError(`${at}: entity tag ${revision.etag} appears twice`);
      tags.add(revision.etag);
      const d = revision.document;
      if (
        d.id !== record.id ||
        d.version !== i + 1 ||
        typeof d.title !== 'string' ||
        typeof d.content !== 'string' ||
        typeof d.updatedAt !== 'string' ||
        typeof d.updatedBy !== 'string' ||
        (d.state !== undefined && !isDocumentState(d.state)) ||
        (revision.basedOn !== undefined && revision.basedOn !== null && typeof revision.basedOn !== 'string')
      ) {
        throw new SnapshotError(`${at}.document is not version ${i + 1} of ${record.id}`);
      }
    });
    const deleted = record.deleted;
    if (deleted !== null && !(isRecord(deleted) && typeof deleted.at === 'string' && typeof deleted.by === 'string')) {
      throw new SnapshotError(`${where}.deleted is neither null nor {at, by}`);
    }
  });
  return value as unknown as StoreSnapshot;
}

/** Who the sample documents are by. */
export const SAMPLE_AUTHOR = 'Conflict Lab';

const SAMPLE_DOCUMENTS: DocumentInput[] = [
  {
    title: 'Team meeting notes',
    content: [
      'Team meeting, Monday',
      '',
      '- Release moves to Thursday',
      '- Ana reviews the onboarding copy',
      '- Next retro: bring one thing that slowed you down',
      '',
    ].join('\n'),
  },
  {
    title: 'Why saves conflict',
    content: [
      'Two people open the same document. Each sees version 5. Ana fixes a typo in the first paragraph and saves: the server stores version 6. Bob, still looking at version 5, rewrites the last paragraph and presses Save.',
      '',
      'A careless server would simply accept Bob\'s text and quietly throw Ana\'s fix away. Nobody would notice until much later, and nobody could say when it happened. This is the lost update problem.',
      '',
      'This server refuses instead. Every version carries an entity tag, and every save must name the tag it started from in an If-Match header. Bob\'s save names version 5, the server is at version 6, so the answer is 409 Conflict, together with everything Bob needs to decide: his base, the current text and who changed what since.',
      '',
    ].join('\n'),
  },
  {
    title: 'Retry with backoff (snippet)',
    content: [
      'export async function withRetry<T>(attempt: () => Promise<T>, tries = 3): Promise<T> {',
      '  let delay = 100;',
      '  for (let i = 1; ; i++) {',
      '    try {',
      '      return await attempt();',
      '    } catch (error) {',
      '      if (i >= tries) throw error;',
      '      await new Promise((resolve) => setTimeout(resolve, delay));',
      '      delay *= 2;',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'),
  },
];
