/** Shapes on the wire (docs/protocol.md §1), shared by the server, the app, the tests and the benchmarks. */

export interface Document {
  id: string;
  title: string;
  content: string;
  version: number;
  /** ISO 8601 instant of the save that made this version. */
  updatedAt: string;
  /** The `X-User` of that save. */
  updatedBy: string;
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
}

export interface RevisionList {
  revisions: Revision[];
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
}

/** The acting user's request header (a simulation aid, not authentication). */
export const USER_HEADER = 'X-User';
export const DEFAULT_USER = 'anonymous';
export const MAX_TITLE_LENGTH = 200;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
