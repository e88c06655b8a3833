/** RFC 9457 problem details as this API sends them (docs/protocol.md §1.5). */
import { isDocumentState } from './concurrency.ts';
import type { DocumentState, Lease } from './concurrency.ts';
import type { Document } from './types.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Every problem type the server answers with; `type` is `/problems/<slug>`. */
export const problemSlugs = [
  'bad-request', // malformed JSON, malformed If-Match, bad path parameter
  'not-found',
  'gone',
  'edit-conflict', // a failed If-Match (409, or 412 when the server is set so)
  'duplicate-title',
  'resource-locked', // another user holds the document's lock (concurrency mode `lock`)
  'lock-not-held', // asking for, or handing over, a lock nobody holds
  'resource-state', // the document's state does not allow the write or the transition
  'precondition-failed', // If-None-Match failed: PUT with `If-None-Match: *` to a document that exists
  'precondition-required',
  'payload-too-large',
  'unsupported-media-type',
  'validation-failed',
  'method-not-allowed',
  'forbidden-origin', // a change sent from a page of another origin (403)
  'misdirected-request', // a Host this server does not answer to (421)
  'stale-presence-token', // a presence update without the token of an open event stream (403)
  'idempotency-key-reused', // an Idempotency-Key sent again with a different request (422)
  'storage-full', // the save could not be stored: no space (507)
  'storage-unavailable', // the save could not be stored: the database failed or is unreachable (503)
  'internal-error',
] as const;

export type ProblemSlug = (typeof problemSlugs)[number];

/** The `title` of each problem type: the same for every occurrence of the type (RFC 9457 §3.1.3). */
export const PROBLEM_TITLES: Record<ProblemSlug, string> = {
  'bad-request': 'Bad request',
  'not-found': 'Not found',
  gone: 'Gone',
  'edit-conflict': 'Edit conflict',
  'duplicate-title': 'Duplicate title',
  'resource-locked': 'Resource locked',
  'lock-not-held': 'Lock not held',
  'resource-state': 'Not allowed in this state',
  'precondition-failed': 'Precondition failed',
  'precondition-required': 'Precondition required',
  'payload-too-large': 'Payload too large',
  'unsupported-media-type': 'Unsupported media type',
  'validation-failed': 'Validation failed',
  'method-not-allowed': 'Method not allowed',
  'forbidden-origin': 'Forbidden origin',
  'misdirected-request': 'Misdirected request',
  'stale-presence-token': 'Stale presence token',
  'idempotency-key-reused': 'Idempotency key reused',
  'storage-full': 'Storage full',
  'storage-unavailable': 'Storage unavailable',
  'internal-error': 'Internal server error',
};

export function problemType(slug: ProblemSlug): `/problems/${ProblemSlug}` {
  return `/problems/${slug}`;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

export interface ChangeSince {
  version: number;
  updatedBy: string;
  updatedAt: string;
}

export interface EditConflictProblem extends Problem {
  type: '/problems/edit-conflict';
  /** The If-Match that failed. */
  yourEtag: string;
  /** What is on the server now. */
  current: Document;
  /** Use it as the next If-Match. */
  currentEtag: string;
  /** The version the failed tag names, when the server still knows it; else null. */
  base: Document | null;
  /** Every save after `base` (or all, when the base is unknown), oldest first. */
  changesSince: ChangeSince[];
}

export interface DuplicateTitleProblem extends Problem {
  type: '/problems/duplicate-title';
  existing: { id: string; title: string };
}

export interface ResourceLockedProblem extends Problem {
  type: '/problems/resource-locked';
  /** The lease that refuses the write: who holds it and until when. */
  lock: Lease;
}

export interface ResourceStateProblem extends Problem {
  type: '/problems/resource-state';
  state: DocumentState;
  /** The states the document may move to from here. */
  allowedTransitions: DocumentState[];
}

export interface FieldError {
  /** JSON pointer-ish name of the field, e.g. `title`. */
  field: string;
  message: string;
}

export interface ValidationProblem extends Problem {
  type: '/problems/validation-failed';
  errors: FieldError[];
}

export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === 'string' && typeof v.title === 'string' && typeof v.status === 'number';
}

/**
 * An `edit-conflict` with everything the three-way dialog is built from: what is on the server
 * now and its ETag (the next If-Match, and what Discard puts in the cache), the base or null, and
 * the saves since. A problem of that type without them is not one (see `errorFromResponse`).
 */
export function isEditConflict(problem: Problem): problem is EditConflictProblem {
  return (
    problem.type === problemType('edit-conflict') &&
    typeof problem.yourEtag === 'string' &&
    isDocument(problem.current) &&
    typeof problem.currentEtag === 'string' &&
    problem.currentEtag !== '' &&
    (problem.base === null || isDocument(problem.base)) &&
    Array.isArray(problem.changesSince) &&
    problem.changesSince.every(isChangeSince)
  );
}

function isDocument(value: unknown): value is Document {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  return (
    typeof d.id === 'string' &&
    typeof d.title === 'string' &&
    typeof d.content === 'string' &&
    typeof d.version === 'number' &&
    typeof d.updatedAt === 'string' &&
    typeof d.updatedBy === 'string' &&
    isDocumentState(d.state)
  );
}

function isChangeSince(value: unknown): value is ChangeSince {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return typeof c.version === 'number' && typeof c.updatedBy === 'string' && typeof c.updatedAt === 'string';
}

export function isDuplicateTitle(problem: Problem): problem is DuplicateTitleProblem {
  return problem.type === problemType('duplicate-title');
}

export function isResourceLocked(problem: Problem): problem is ResourceLockedProblem {
  return problem.type === problemType('resource-locked');
}

export function isResourceState(problem: Problem): problem is ResourceStateProblem {
  return problem.type === problemType('resource-state');
}

export function isValidationProblem(problem: Problem): problem is ValidationProblem {
  return problem.type === problemType('validation-failed');
}
