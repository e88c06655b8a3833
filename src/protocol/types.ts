/** Shapes on the wire (docs/protocol.md §1), shared by the server, the app, the tests and the benchmarks. */
import type { DocumentState } from './concurrency.ts';

export interface Document {
  id: string;
  title: string;
  content: string;
  version: number;
  /** ISO 8601 instant of the save that made this version. */
  updatedAt: string;
  /** The `X-User` of that save. */
  updatedBy: string;
  /** Where the document is in its lifecycle (docs/protocol.md §1.12); an archived one takes no saves. */
  state: DocumentState;
}

/** A document in `GET /api/docs`: no content, plus its entity tag. */
export interface DocumentSummary extends Omit<Document, 'content'> {
  etag: string;
}

export interface DocumentList {
  docs: DocumentSummary[];
}

export interface Revision {
  version: number;
  updatedAt: string;
  updatedBy: string;
  etag: string;
  /** The entity tag the writer said it started from (its If-Match), or null when it named none. */
  basedOn: string | null;
  /** Whether the latest version no longer contains this one's change: an update lost (§1.11). */
  lost: boolean;
  /** The versions this save replaced without seeing them, oldest first. */
  overwrote: number[];
}

export interface RevisionList {
  revisions: Revision[];
}

/** Body of `GET /api/docs/{id}/revisions?limit=N&before=V`: one page, oldest first. */
export interface RevisionPage extends RevisionList {
  /** How many versions the document has in all. */
  total: number;
  /** Whether versions older than this page's first remain. */
  more: boolean;
}

/** Body of `POST /api/docs`. */
export interface CreateDocumentBody {
  title: string;
  content?: string;
}

/** Body of `PUT /api/docs/{id}`. */
export interface UpdateDocumentBody {
  title: string;
  content: string;
}

export type DocumentEventType = 'created' | 'updated' | 'deleted';

/** The JSON data of one `GET /api/events` server-sent event. */
export interface DocumentEvent {
  type: DocumentEventType;
  id: string;
  version: number;
  etag: string;
  updatedBy: string;
  updatedAt: string;
  /** On an `updated` event: the versions the save replaced without seeing them (lost updates). */
  overwrote?: number[];
  /** On a `deleted` event: `"reset"` when the demo reset deleted it (`updatedBy` pressed Reset). */
  reason?: 'reset';
}

/** The acting user's request header (a simulation aid, not authentication). */
export const USER_HEADER = 'X-User';
export const DEFAULT_USER = 'anonymous';
export const MAX_TITLE_LENGTH = 200;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
