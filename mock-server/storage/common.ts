/** Pieces both engines share: ids, entity tags, the sample documents, titles, conditions. */
import { INITIAL_STATE, isDocumentState, type DocumentState } from '../../src/protocol/concurrency.ts';
import type { EntityTagCondition } from '../../src/protocol/etag.ts';
import type { DocumentSummary } from '../../src/protocol/types.ts';
import type { DeletionReason, DocumentInput, Gone, RevisionRecord, StoreChange, StoredRevision } from './types.ts';

export function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function newDocumentId(): string {
  return `d_${randomHex(8)}`;
}

/**
 * Mints entity tags `"<epoch>.<counter>"`. The epoch is 96 random bits drawn when a store opens,
 * so no two server processes (one after a restart, or two on one database) can mint the same tag,
 * and the database's unique index on tags makes sure of it.
 */
export class TagMinter {
  private readonly epoch = randomHex(12);
  private counter = 0;

  next(): string {
    this.counter += 1;
    return `"${this.epoch}.${this.counter.toString(36)}"`;
  }
}

/** Titles collide after trimming, Unicode normalisation and case folding. */
export function titleKey(title: string): string {
  return title.trim().normalize('NFC').toLowerCase();
}

/**
 * The tags an `If-Match` lists that can match the current tag: only strong ones (RFC 9110's
 * strong comparison), as stored, quotes included. Null for `*`.
 */
export function strongTags(condition: EntityTagCondition): string[] | null {
  if (condition.any) return null;
  return condition.tags.filter((tag) => !tag.weak).map((tag) => `"${tag.opaque}"`);
}

/**
 * The stored forms of every tag an `If-Match` lists, weak or strong: a conflict's base is only
 * informational (the client's own version, for the three-way view), so any of them will do.
 */
export function listedTags(condition: EntityTagCondition): string[] {
  if (condition.any) return [];
  return condition.tags.map((tag) => `"${tag.opaque}"`);
}

/** Whether `If-Match` lets a write go ahead: strong comparison, `*` matches any current tag. */
export function passes(condition: EntityTagCondition, current: string): boolean {
  const tags = strongTags(condition);
  return tags === null || tags.includes(current);
}

/** A stored state as the protocol's; a value no version of this code writes reads as the initial one. */
export function stateOf(value: string): DocumentState {
  return isDocumentState(value) ? value : INITIAL_STATE;
}

/**
 * A row of the `revisions` table, as both engines name its columns. `T` is how the engine returns
 * text the client sent: a string (SQLite), or its UTF-8 bytes (PostgreSQL, whose text cannot hold
 * U+0000).
 */
export interface RevisionRow<T = string> {
  doc_id: string;
  version: number;
  etag: string;
  title: T;
  content: T;
  updated_at: string;
  updated_by: string;
  based_on: string | null;
  state: string;
}

/** A row of the `documents` table (the current version of each document, and its deletion). */
export interface DocumentRow<T = string> {
  id: string;
  version: number;
  etag: string;
  title: T;
  updated_at: string;
  updated_by: string;
  deleted_at: string | null;
  deleted_by: string | null;
  /** Why it was deleted when not by a person's own delete (DeletionReason), else null. */
  deleted_reason: string | null;
}

/** A stored reason as the protocol's; one no version of this code writes reads as none. */
function reasonOf(value: string | null): DeletionReason | null {
  return value === 'reset' ? value : null;
}

/** The answer about a deleted document, from its documents row. */
export function goneFrom(row: { deleted_at: string; deleted_by: string | null; deleted_reason: string | null }): Gone {
  const reason = reasonOf(row.deleted_reason);
  return { kind: 'gone', at: row.deleted_at, by: row.deleted_by ?? '', ...(reason && { reason }) };
}

/** A stored revision from its row; `text` reads the engine's text columns. */
export function revisionFrom<T>(row: RevisionRow<T>, text: (value: T) => string): StoredRevision {
  return {
    document: {
      id: row.doc_id,
      title: text(row.title),
      content: text(row.content),
      version: row.version,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
      state: stateOf(row.state),
    },
    etag: row.etag,
    basedOn: row.based_on,
  };
}

/** One entry of a document's history from its revision row (title and content not needed). */
export function recordFrom(row: Omit<RevisionRow<unknown>, 'title' | 'content' | 'doc_id'>): RevisionRecord {
  return {
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    etag: row.etag,
    basedOn: row.based_on,
    state: stateOf(row.state),
  };
}

/** A live document in the list, from its documents row and its current revision's state. */
export function summaryFrom<T>(
  row: Pick<DocumentRow<T>, 'id' | 'title' | 'version' | 'etag' | 'updated_at' | 'updated_by'> & { state: string },
  text: (value: T) => string,
): DocumentSummary {
  return {
    id: row.id,
    title: text(row.title),
    version: row.version,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    state: stateOf(row.state),
    etag: row.etag,
  };
}

/** The event a committed revision makes. */
export function changeOf(type: StoreChange['type'], { document, etag, basedOn }: StoredRevision, replaced?: string): StoreChange {
  return {
    type,
    id: document.id,
    version: document.version,
    etag,
    updatedBy: document.updatedBy,
    updatedAt: document.updatedAt,
    ...(replaced !== undefined && { basedOn, replaced }),
  };
}

/** Who the sample documents are by. */
export const SAMPLE_AUTHOR = 'Conflict Lab';

export const SAMPLE_DOCUMENTS: readonly DocumentInput[] = [
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
