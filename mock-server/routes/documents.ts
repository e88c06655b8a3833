/**
 * The document protocol (docs/protocol.md §1.4): list, create, read, save and delete documents, with
 * optimistic concurrency through ETag and If-Match, and each document's revisions. Writes to an
 * existing document go through its concurrency mode (../concurrency/writes.ts, §1.11).
 */
import { Hono } from 'hono';
import { ifNoneMatchMatches } from '../../src/protocol/etag.ts';
import { idempotencyRequest } from '../idempotency.ts';
import { validateDocumentInput } from '../request-body.ts';
import { headOf, ifNoneMatchFailed } from '../concurrency/answers.ts';
import { applyMergePatch, createWithId, mergePatchBody, revisionsWithLosses } from '../concurrency/documents.ts';
import { deleteDocument, replaceDocument, saveDocument } from '../concurrency/writes.ts';
import { parseRevisionPageQuery, revisionPage } from '../revision-pages.ts';
import { apiPaths } from '../../src/protocol/paths.ts';
import {
  bodyProblem,
  documentResponse,
  duplicateTitleProblem,
  idempotencyKeyReused,
  jsonResponse,
  methodNotAllowed,
  notFoundProblem,
  notModified,
  problem,
} from '../responses.ts';
import { actingUser, conditionHeader, idempotencyKey, liveRevision, validBody, type ServerParts } from './context.ts';

// A new document may leave its content out; a save must send it (docs/protocol.md §1.4).
const validateNewDocument = (value: unknown) => validateDocumentInput(value, false);
const validateSavedDocument = (value: unknown) => validateDocumentInput(value, true);

/** Routes under `/api`. */
export function documentRoutes(parts: ServerParts): Hono {
  const { store, settings } = parts;
  const api = new Hono();

  api.get('/docs', async () => jsonResponse({ docs: await store.list() }));

  api.post('/docs', async (c) => {
    const key = idempotencyKey(c);
    if (!key.ok) return key.response;
    const input = await validBody(c, settings, validateNewDocument);
    if (!input.ok) return bodyProblem(input.failure);
    const user = actingUser(c);
    const retry =
      // Stryker disable next-line StringLiteral: the method of this route is always POST, and a fingerprint is only compared with another of this route.
      key.key === null ? undefined : idempotencyRequest(key.key, { method: 'POST', path: c.req.path, user, ifMatch: null, body: input.value });
    const result = await store.create(input.value, user, retry ? { idempotency: retry } : {});
    switch (result.kind) {
      case 'duplicate-title':
        return duplicateTitleProblem(`A document titled "${result.existing.title}" already exists.`, result.existing);
      case 'idempotency-mismatch':
        return idempotencyKeyReused();
      case 'created':
      case 'replayed':
        return documentResponse(result.revision, 201, { Location: `/api/docs/${encodeURIComponent(result.revision.document.id)}` });
      // Only a create under a client-chosen id can meet an id that exists.
      // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable, a create without a client-chosen id gets a new random id.
      case 'exists':
        // Stryker disable next-line StringLiteral: unreachable, as the case above.
        throw new Error(`A new id ${result.id} was taken.`);
    }
  });
  api.all('/docs', methodNotAllowed('GET, HEAD, POST'));

  api.get('/docs/:id', async (c) => {
    const id = c.req.param('id');
    const current = await liveRevision(store, id);
    if (current instanceof Response) return current;
    const ifNoneMatch = conditionHeader(c, 'If-None-Match');
    if (!ifNoneMatch.ok) return ifNoneMatch.response;
    if (ifNoneMatch.condition && ifNoneMatchMatches(ifNoneMatch.condition, current.etag)) return notModified(current.etag, current.document.updatedAt);
    // Hono answers HEAD from this handler and drops the body; the length must survive it.
    if (c.req.method === 'HEAD') return headOf(documentResponse(current));
    return documentResponse(current);
  });

  api.put('/docs/:id', async (c) => {
    const id = c.req.param('id');
    const ifNoneMatch = conditionHeader(c, 'If-None-Match');
    if (!ifNoneMatch.ok) return ifNoneMatch.response;
    // PUT with If-None-Match: * creates a document under the client's id, once (§1.4); a keyed one
    // goes to the store even where the document is, so a retry gets its first answer (§1.3).
    if (ifNoneMatch.condition?.any && (c.req.header('Idempotency-Key') !== undefined || (await store.get(id)).kind !== 'found')) {
      return createWithId(parts, c, id);
    }
    if (ifNoneMatch.condition) {
      const current = await liveRevision(store, id);
      if (!(current instanceof Response) && ifNoneMatchMatches(ifNoneMatch.condition, current.etag)) {
        return ifNoneMatchFailed(id, ifNoneMatch.condition.any);
      }
    }
    // A document that is not live is answered by the save (404, 410, or a keyed retry's first answer).
    return replaceDocument(parts, c, id, () => validBody(c, settings, validateSavedDocument));
  });

  api.patch('/docs/:id', (c) => {
    const id = c.req.param('id');
    return saveDocument(parts, c, id, () => mergePatchBody(c, settings), applyMergePatch);
  });

  api.delete('/docs/:id', (c) => deleteDocument(parts, c, c.req.param('id')));
  api.all('/docs/:id', methodNotAllowed('GET, HEAD, PUT, PATCH, DELETE'));

  api.get('/docs/:id/revisions', async (c) => {
    const id = c.req.param('id');
    const query = parseRevisionPageQuery(c.req.query('limit'), c.req.query('before'));
    if (!query.ok) return problem(400, 'bad-request', query.detail, { parameter: query.parameter });
    const revisions = await revisionsWithLosses(store, id);
    if (!revisions) return notFoundProblem(id);
    if (!query.page) return jsonResponse({ revisions });
    const page = revisionPage(revisions, query.page);
    const response = jsonResponse(page);
    const oldest = page.revisions[0];
    if (page.more && oldest) {
      // The next page, as RFC 8288 writes it, for clients that follow links.
      const next = `${apiPaths.revisions(id)}?limit=${query.page.limit}&before=${oldest.version}`;
      response.headers.set('Link', `<${next}>; rel="next"`);
    }
    return response;
  });
  api.all('/docs/:id/revisions', methodNotAllowed('GET, HEAD'));

  api.get('/docs/:id/revisions/:version', async (c) => {
    const id = c.req.param('id');
    const version = c.req.param('version');
    const revision = /^[1-9][0-9]{0,8}$/.test(version) ? await store.revision(id, Number(version)) : null;
    if (!revision) {
      // An empty range: null for a document that never existed, without reading its history.
      if (!(await store.revisions(id, { through: 0 }))) return notFoundProblem(id);
      return problem(404, 'not-found', `Document ${id} has no version ${version}.`, { id });
    }
    return documentResponse(revision);
  });
  api.all('/docs/:id/revisions/:version', methodNotAllowed('GET, HEAD'));

  return api;
}
