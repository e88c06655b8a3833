/**
 * Every answer the API builds, in one place: problem details (RFC 9457, docs/protocol.md §1.5)
 * with their fixed titles, and document responses with the headers of docs/protocol.md §1.1
 * (ETag, Cache-Control, the exposed headers for cross-origin pages).
 */
import type { Context } from 'hono';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TITLES, problemType, type ProblemSlug } from '../src/protocol/problems.ts';
import { formatHttpDate } from '../src/protocol/concurrency.ts';
import type { BodyFailure } from './request-body.ts';
import { IDEMPOTENCY_HEADER } from './idempotency.ts';
import type { Conflict, Gone, StorageError, StoredRevision } from './storage/types.ts';

/**
 * On every API answer, so a page on another origin may read the tags. Written into each answer as
 * it is made: setting it afterwards, on a finished Response, turns the adapter's plain header
 * record into a Headers object, a measurable cost on every request.
 */
export const EXPOSE_HEADERS = { 'Access-Control-Expose-Headers': 'ETag, Location' } as const;

export function problem(
  status: number,
  slug: ProblemSlug,
  detail: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const body = { type: problemType(slug), title: PROBLEM_TITLES[slug], status, detail, ...extensions };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store', ...EXPOSE_HEADERS, ...headers },
  });
}

// A revision never changes, so its JSON is built once; the ETag describes exactly these bytes.
const serialized = new WeakMap<StoredRevision, string>();
function documentJson(revision: StoredRevision): string {
  let json = serialized.get(revision);
  if (json === undefined) {
    json = JSON.stringify(revision.document);
    serialized.set(revision, json);
  }
  return json;
}

/** The headers of every answer that carries a document: its tag, its date, no caching without asking. */
export function documentHeaders(revision: StoredRevision, headers: Record<string, string> = {}): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    ETag: revision.etag,
    'Last-Modified': formatHttpDate(revision.document.updatedAt),
    'Cache-Control': 'no-cache',
    ...EXPOSE_HEADERS,
    ...headers,
  };
}

export function documentResponse(revision: StoredRevision, status: 200 | 201 = 200, headers: Record<string, string> = {}): Response {
  return new Response(documentJson(revision), { status, headers: documentHeaders(revision, headers) });
}

/** 304 to an If-None-Match that matches: the tag again, and no body. */
export function notModified(etag: string, lastModified?: string): Response {
  const dated: Record<string, string> = lastModified ? { 'Last-Modified': formatHttpDate(lastModified) } : {};
  return new Response(null, { status: 304, headers: { ETag: etag, 'Cache-Control': 'no-cache', ...dated, ...EXPOSE_HEADERS } });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: EXPOSE_HEADERS });
}

export function jsonResponse(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', ...EXPOSE_HEADERS },
  });
}

export function bodyProblem(failure: BodyFailure): Response {
  switch (failure.kind) {
    case 'unsupported-media-type':
      return problem(
        415,
        'unsupported-media-type',
        `Send the ${failure.acceptPatch ? `patch as ${failure.acceptPatch}` : 'document as application/json'} (this request said ${failure.contentType ?? 'nothing'}).`,
        {},
        { 'Accept-Post': 'application/json', 'Accept-Patch': failure.acceptPatch ?? 'application/json' },
      );
    case 'payload-too-large':
      // The rest of an oversized body is not read; closing the connection tells the client to stop.
      return problem(413, 'payload-too-large', `The request body is over the limit of ${failure.limit} bytes.`, { limit: failure.limit }, { Connection: 'close' });
    case 'bad-request':
      return problem(400, 'bad-request', failure.detail);
    case 'validation-failed':
      return problem(422, 'validation-failed', failure.errors.map((e) => e.message).join(' '), { errors: failure.errors });
  }
}

function listNames(names: string[]): string {
  // Stryker disable next-line StringLiteral: joining at most one name never uses the separator.
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The conflict in plain words, e.g. "Bob saved version 7 after the version 5 you edited." */
export function conflictDetail(conflict: Conflict, action: 'edited' | 'meant to delete'): string {
  const { current, base, changesSince } = conflict;
  if (base && base.document.version === current.document.version) {
    return `Your If-Match names version ${base.document.version} with a weak tag, and a change needs the strong tag ${current.etag}.`;
  }
  const first = changesSince[0];
  const last = changesSince.at(-1);
  if (!base || !first || !last) {
    return `The document is at version ${current.document.version}, last saved by ${current.document.updatedBy}; the version you ${action} is not one this server knows.`;
  }
  const who = listNames([...new Set(changesSince.map((c) => c.updatedBy))]);
  const what = first === last ? `version ${first.version}` : `versions ${first.version} to ${last.version}`;
  return `${who} saved ${what} after the version ${base.document.version} you ${action}.`;
}

export function conflictProblem(status: 409 | 412, conflict: Conflict, yourEtag: string, action: 'edited' | 'meant to delete'): Response {
  return problem(status, 'edit-conflict', conflictDetail(conflict, action), {
    yourEtag,
    current: conflict.current.document,
    currentEtag: conflict.current.etag,
    base: conflict.base?.document ?? null,
    changesSince: conflict.changesSince,
  });
}

/** 410 for a deleted document; one the demo reset deleted says so, and has `reason: "reset"` (§1.8). */
export function goneProblem(id: string, { at, by, reason }: Omit<Gone, 'kind'>): Response {
  if (reason === 'reset') {
    return problem(410, 'gone', `Document ${id} was deleted when the demo was reset by ${by} at ${at}.`, { id, deletedAt: at, deletedBy: by, reason });
  }
  return problem(410, 'gone', `Document ${id} was deleted by ${by} at ${at}.`, { id, deletedAt: at, deletedBy: by });
}

export function notFoundProblem(id: string): Response {
  return problem(404, 'not-found', `There is no document ${id}.`, { id });
}

export function duplicateTitleProblem(detail: string, existing: { id: string; title: string }): Response {
  return problem(409, 'duplicate-title', detail, { existing });
}

export function clientIdProblem(): Response {
  return problem(400, 'bad-request', 'A client id is 1 to 100 letters, digits, "-" or "_".');
}

export function preconditionRequired(action: 'save' | 'delete'): Response {
  // No tag in this answer: a client must load the document (and see what it overwrites) first.
  return problem(
    428,
    'precondition-required',
    `To ${action} a document, send If-Match with the ETag of the version you loaded, so a newer save is never overwritten unseen.`,
  );
}

/** The answer to a method a route does not take: 405 with `Allow`. */
export function methodNotAllowed(allow: string): (c: Context) => Response {
  return (c) => problem(405, 'method-not-allowed', `${c.req.method} is not allowed here; use ${allow}.`, {}, { Allow: allow });
}

export function noRouteProblem(c: Context): Response {
  return problem(404, 'not-found', `No API route ${c.req.method} ${c.req.path}.`);
}

/**
 * A write that could not be stored: nothing changed, and the client keeps its draft and retries
 * after Retry-After (507 when the disk is full, 503 when the database is unavailable). When the
 * connection was lost with the commit on its way, the change may have been stored: a keyed write
 * is safe to send again as it was (its key answers with the first answer), any other is looked at first.
 */
export function storageProblem(error: StorageError): Response {
  const slug = error.status === 507 ? 'storage-full' : 'storage-unavailable';
  const next =
    error.stored === 'no'
      ? 'Nothing was changed; try again later.'
      : error.keyed
        ? `It may have been stored all the same. Sending the same request again, with the same ${IDEMPOTENCY_HEADER}, is safe: if it was stored, the answer is the one it would have had, and nothing is stored twice.`
        : 'It may have been stored all the same: load it again to see before trying again.';
  return problem(error.status, slug, `${error.message} ${next}`, {}, { 'Retry-After': String(error.retryAfter) });
}

export function idempotencyKeyReused(): Response {
  return problem(
    422,
    'idempotency-key-reused',
    `This ${IDEMPOTENCY_HEADER} was already used for a different request. Make a new key for each new save; resend a key only with the very same request.`,
  );
}

export function internalErrorProblem(): Response {
  return problem(500, 'internal-error', 'The server failed while answering this request. The server log has the details.');
}
