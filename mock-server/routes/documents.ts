/**
 * The document protocol (docs/protocol.md §1.4): list, create, read, save and delete documents, with
 * optimistic concurrency through ETag and If-Match, and each document's revisions.
 */
import { Hono } from 'hono';
import { ifNoneMatchMatches } from '../../src/protocol/etag.ts';
import { validateDocumentInput } from '../request-body.ts';
import {
  bodyProblem,
  conflictProblem,
  documentResponse,
  duplicateTitleProblem,
  goneProblem,
  jsonResponse,
  methodNotAllowed,
  noContent,
  notFoundProblem,
  notModified,
  preconditionRequired,
  problem,
} from '../responses.ts';
import { actingUser, conditionHeader, liveRevision, validBody, type ServerParts } from './context.ts';

// A new document may leave its content out; a save must send it (docs/protocol.md §1.4).
const validateNewDocument = (value: unknown) => validateDocumentInput(value, false);
const validateSavedDocument = (value: unknown) => validateDocumentInput(value, true);

/** Routes under `/api`. */
export function documentRoutes({ store, settings }: ServerParts): Hono {
  const api = new Hono();

  api.get('/docs', () => jsonResponse({ docs: store.list() }));

  api.post('/docs', async (c) => {
    const input = await validBody(c, settings, validateNewDocument);
    if (!input.ok) return bodyProblem(input.failure);
    const result = store.create(input.value, actingUser(c));
    if (result.kind === 'duplicate-title') {
      return duplicateTitleProblem(`A document titled "${result.existing.title}" already exists.`, result.existing);
    }
    return documentResponse(result.revision, 201, { Location: `/api/docs/${encodeURIComponent(result.revision.document.id)}` });
  });
  api.all('/docs', methodNotAllowed('GET, HEAD, POST'));

  api.get('/docs/:id', (c) => {
    const id = c.req.param('id');
    const current = liveRevision(store, id);
    if (current instanceof Response) return current;
    const ifNoneMatch = conditionHeader(c, 'If-None-Match');
    if (!ifNoneMatch.ok) return ifNoneMatch.response;
    if (ifNoneMatch.condition && ifNoneMatchMatches(ifNoneMatch.condition, current.etag)) return notModified(current.etag);
    return documentResponse(current);
  });

  api.put('/docs/:id', async (c) => {
    const id = c.req.param('id');
    const current = liveRevision(store, id);
    if (current instanceof Response) return current;
    const ifMatch = conditionHeader(c, 'If-Match');
    if (!ifMatch.ok) return ifMatch.response;
    if (!ifMatch.condition) return preconditionRequired('save');
    const input = await validBody(c, settings, validateSavedDocument);
    if (!input.ok) return bodyProblem(input.failure);
    // The store checks the tag and writes in one synchronous step, after the body is in.
    const result = store.update(id, input.value, ifMatch.condition, actingUser(c));
    switch (result.kind) {
      case 'updated':
      case 'unchanged-retry':
        return documentResponse(result.revision);
      case 'conflict':
        return conflictProblem(settings.conflictStatus, result, ifMatch.raw ?? '', 'edited');
      case 'duplicate-title':
        return duplicateTitleProblem(`Another document is already titled "${result.existing.title}".`, result.existing);
      case 'precondition-required':
        return preconditionRequired('save');
      case 'not-found':
        return notFoundProblem(id);
      case 'gone':
        return goneProblem(id, result.at, result.by);
    }
  });

  api.delete('/docs/:id', (c) => {
    const id = c.req.param('id');
    const ifMatch = conditionHeader(c, 'If-Match');
    const current = liveRevision(store, id);
    if (current instanceof Response) return current;
    if (!ifMatch.ok) return ifMatch.response;
    const result = store.remove(id, ifMatch.condition, actingUser(c));
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

  api.get('/docs/:id/revisions', (c) => {
    const id = c.req.param('id');
    const revisions = store.revisions(id);
    if (!revisions) return notFoundProblem(id);
    return jsonResponse({ revisions });
  });
  api.all('/docs/:id/revisions', methodNotAllowed('GET, HEAD'));

  api.get('/docs/:id/revisions/:version', (c) => {
    const id = c.req.param('id');
    const version = c.req.param('version');
    const revision = /^[1-9][0-9]{0,8}$/.test(version) ? store.revision(id, Number(version)) : null;
    if (!revision) {
      if (!store.revisions(id)) return notFoundProblem(id);
      return problem(404, 'not-found', `Document ${id} has no version ${version}.`, { id });
    }
    return documentResponse(revision);
  });
  api.all('/docs/:id/revisions/:version', methodNotAllowed('GET, HEAD'));

  return api;
}
