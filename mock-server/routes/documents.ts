/**
 * The document protocol (docs/protocol.md §1.4): list, create, read, save and delete documents, with
 * optimistic concurrency through ETag and If-Match, and each document's revisions.
 */
import { Hono, type Context } from 'hono';
import { ifNoneMatchMatches } from '../../src/protocol/etag.ts';
import { idempotencyRequest, IDEMPOTENCY_HEADER, parseIdempotencyKey } from '../idempotency.ts';
import { validateDocumentInput } from '../request-body.ts';
import type { UpdateResult } from '../storage/types.ts';
import {
  bodyProblem,
  conflictProblem,
  documentResponse,
  duplicateTitleProblem,
  goneProblem,
  idempotencyKeyReused,
  jsonResponse,
  methodNotAllowed,
  noContent,
  notFoundProblem,
  notModified,
  preconditionRequired,
  problem,
} from '../responses.ts';
import { actingUser, conditionHeader, liveRevision, validBody, type ServerParts } from './context.ts';

type KeyHeader = { ok: true; key: string | null } | { ok: false; response: Response };

/** The request's Idempotency-Key (docs/protocol.md §1.3); a malformed one is answered with a 400. */
function idempotencyKey(c: Context): KeyHeader {
  const parsed = parseIdempotencyKey(c.req.header(IDEMPOTENCY_HEADER));
  if (parsed.ok) return parsed;
  return { ok: false, response: problem(400, 'bad-request', parsed.detail, { header: IDEMPOTENCY_HEADER }) };
}

// A new document may leave its content out; a save must send it (docs/protocol.md §1.4).
const validateNewDocument = (value: unknown) => validateDocumentInput(value, false);
const validateSavedDocument = (value: unknown) => validateDocumentInput(value, true);

/** Routes under `/api`. */
export function documentRoutes({ store, settings }: ServerParts): Hono {
  const api = new Hono();

  api.get('/docs', async () => jsonResponse({ docs: await store.list() }));

  api.post('/docs', async (c) => {
    const key = idempotencyKey(c);
    if (!key.ok) return key.response;
    const input = await validBody(c, settings, validateNewDocument);
    if (!input.ok) return bodyProblem(input.failure);
    const user = actingUser(c);
    const retry =
      key.key === null ? undefined : idempotencyRequest(key.key, { method: 'POST', path: c.req.path, user, ifMatch: null, body: input.value });
    const result = await store.create(input.value, user, retry);
    switch (result.kind) {
      case 'duplicate-title':
        return duplicateTitleProblem(`A document titled "${result.existing.title}" already exists.`, result.existing);
      case 'idempotency-mismatch':
        return idempotencyKeyReused();
      case 'created':
      case 'replayed':
        return documentResponse(result.revision, 201, { Location: `/api/docs/${encodeURIComponent(result.revision.document.id)}` });
    }
  });
  api.all('/docs', methodNotAllowed('GET, HEAD, POST'));

  api.get('/docs/:id', async (c) => {
    const id = c.req.param('id');
    const current = await liveRevision(store, id);
    if (current instanceof Response) return current;
    const ifNoneMatch = conditionHeader(c, 'If-None-Match');
    if (!ifNoneMatch.ok) return ifNoneMatch.response;
    if (ifNoneMatch.condition && ifNoneMatchMatches(ifNoneMatch.condition, current.etag)) return notModified(current.etag);
    return documentResponse(current);
  });

  api.put('/docs/:id', async (c) => {
    const id = c.req.param('id');
    const key = idempotencyKey(c);
    if (!key.ok) return key.response;
    // Without a key the document is checked first (404, 410). With one, the store looks the key
    // up before the document: a retry gets its first answer even if the document changed since.
    if (key.key === null) {
      const current = await liveRevision(store, id);
      if (current instanceof Response) return current;
    }
    const ifMatch = conditionHeader(c, 'If-Match');
    if (!ifMatch.ok) return ifMatch.response;
    if (!ifMatch.condition && key.key === null) return preconditionRequired('save');
    const input = await validBody(c, settings, validateSavedDocument);
    if (!input.ok) return bodyProblem(input.failure);
    const user = actingUser(c);
    const retry =
      key.key === null ? undefined : idempotencyRequest(key.key, { method: 'PUT', path: c.req.path, user, ifMatch: ifMatch.raw, body: input.value });
    // The store checks the tag and writes in one transaction, after the body is in; it answers
    // once the commit is durable.
    return saveResponse(id, await store.update(id, input.value, ifMatch.condition, user, retry), ifMatch.raw);
  });

  const saveResponse = (id: string, result: UpdateResult, ifMatchRaw: string | null): Response => {
    switch (result.kind) {
      case 'updated':
      case 'replayed':
        return documentResponse(result.revision);
      case 'idempotency-mismatch':
        return idempotencyKeyReused();
      case 'conflict':
        return conflictProblem(settings.conflictStatus, result, ifMatchRaw ?? '', 'edited');
      case 'duplicate-title':
        return duplicateTitleProblem(`Another document is already titled "${result.existing.title}".`, result.existing);
      case 'precondition-required':
        return preconditionRequired('save');
      case 'not-found':
        return notFoundProblem(id);
      case 'gone':
        return goneProblem(id, result.at, result.by);
    }
  };

  api.delete('/docs/:id', async (c) => {
    const id = c.req.param('id');
    const ifMatch = conditionHeader(c, 'If-Match');
    const current = await liveRevision(store, id);
    if (current instanceof Response) return current;
    if (!ifMatch.ok) return ifMatch.response;
    const result = await store.remove(id, ifMatch.condition, actingUser(c));
    switch (result.kind) {
      case 'deleted':
        return noContent();
      case 'conflict':
        return conflictProblem(settings.conflictStatus, result, ifMatch.raw ?? '', 'meant to delete');
      case 'precondition-required':
        return preconditionRequired('delete');
      case 'not-found':
        return notFoundProblem(id);
      case 'gone':
        return goneProblem(id, result.at, result.by);
    }
  });
  api.all('/docs/:id', methodNotAllowed('GET, HEAD, PUT, DELETE'));

  api.get('/docs/:id/revisions', async (c) => {
    const id = c.req.param('id');
    const revisions = await store.revisions(id);
    if (!revisions) return notFoundProblem(id);
    return jsonResponse({ revisions });
  });
  api.all('/docs/:id/revisions', methodNotAllowed('GET, HEAD'));

  api.get('/docs/:id/revisions/:version', async (c) => {
    const id = c.req.param('id');
    const version = c.req.param('version');
    const revision = /^[1-9][0-9]{0,8}$/.test(version) ? await store.revision(id, Number(version)) : null;
    if (!revision) {
      if (!(await store.revisions(id))) return notFoundProblem(id);
      return problem(404, 'not-found', `Document ${id} has no version ${version}.`, { id });
    }
    return documentResponse(revision);
  });
  api.all('/docs/:id/revisions/:version', methodNotAllowed('GET, HEAD'));

  return api;
}
