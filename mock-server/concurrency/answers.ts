/**
 * The answers the concurrency modes add to ../responses.ts: a document answer that says more
 * (merged by the server, or replaced versions unseen), and the problems of a lock, a state and a
 * failed `If-None-Match` (docs/protocol.md §1.5, §1.11, §1.12).
 */
import { allowedTransitions, type DocumentState, type Lease } from '../../src/protocol/concurrency.ts';
import { documentHeaders, problem } from '../responses.ts';
import type { StoredRevision } from '../storage/types.ts';

/**
 * The document as `documentResponse` sends it, with members beside it (`mergedFrom`,
 * `overwrote`). The ETag still names the stored document: the members describe this answer only.
 */
export function documentWithExtras(revision: StoredRevision, extras: Record<string, unknown>, status: 200 | 201 = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ ...revision.document, ...extras }), { status, headers: documentHeaders(revision, headers) });
}

function until(instant: string): string {
  return new Date(instant).toISOString().slice(11, 16);
}

export function resourceLockedProblem(lease: Lease, action: string): Response {
  return problem(
    409,
    'resource-locked',
    `${lease.holder} is editing this document until ${until(lease.expires)} UTC; you cannot ${action} it before the lock is released, expires or is broken.`,
    { lock: lease },
  );
}

export function lockNotHeldProblem(action: string): Response {
  return problem(409, 'lock-not-held', `Nobody holds the lock, so there is nothing to ${action}; take the lock instead.`);
}

export function resourceStateProblem(id: string, state: DocumentState, detail: string): Response {
  return problem(409, 'resource-state', detail, { id, state, allowedTransitions: allowedTransitions(state) });
}

export function archivedProblem(id: string, action: string): Response {
  return resourceStateProblem(id, 'archived', `The document is archived, so you cannot ${action} it; move it back to draft first.`);
}

/** A create under an id a live document has (one that was deleted is answered 410 first). */
export function alreadyExistsProblem(id: string): Response {
  return problem(412, 'precondition-failed', `Document ${id} already exists: If-None-Match: * creates a document only where there is none.`, { id });
}

export function conditionRequiredProblem(action: string, timestamp: boolean): Response {
  // As in the etag mode, the answer names no tag and no date: the client loads the document first.
  const detail = timestamp
    ? `To ${action} a document, send If-Unmodified-Since with the Last-Modified of the version you loaded (or If-Match with its ETag).`
    : `To ${action} a document, send If-Match with the ETag of the version you loaded, so a newer save is never overwritten unseen.`;
  return problem(428, 'precondition-required', detail);
}

/** A `PUT` whose `If-None-Match` matches the document there now. */
export function ifNoneMatchFailed(id: string, any: boolean): Response {
  if (any) return alreadyExistsProblem(id);
  return problem(412, 'precondition-failed', `If-None-Match names the current version of document ${id}, so the save is not made.`, { id });
}

/** A GET answer as HEAD sends it: the same headers, with the length of the body it leaves out. */
export async function headOf(answer: Response): Promise<Response> {
  const length = (await answer.arrayBuffer()).byteLength;
  return new Response(null, { status: answer.status, headers: { ...Object.fromEntries(answer.headers), 'Content-Length': String(length) } });
}
