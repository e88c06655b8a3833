/**
 * A document's lock, its state transitions and its own concurrency mode (docs/protocol.md §1.11,
 * §1.12). The writes themselves go through ../concurrency/writes.ts.
 */
import { Hono } from 'hono';
import {
  documentStates,
  isConcurrencyMode,
  isDocumentState,
  MAX_LEASE_SECONDS,
  MIN_LEASE_SECONDS,
  concurrencyModes,
  type ConcurrencyEvent,
  type DocumentConcurrency,
  type DocumentState,
  type HandOverRequest,
  type LockRequest,
  type LockState,
} from '../../src/protocol/concurrency.ts';
import type { FieldError } from '../../src/protocol/problems.ts';
import type { BodyResult } from '../request-body.ts';
import { bodyProblem, jsonResponse, methodNotAllowed, noContent } from '../responses.ts';
import { lockNotHeldProblem, resourceLockedProblem } from '../concurrency/answers.ts';
import { modeOf, transitionDocument } from '../concurrency/writes.ts';
import { actingUser, liveRevision, validBody, type ServerParts } from './context.ts';

function invalid<T>(errors: FieldError[]): BodyResult<T> {
  return { ok: false, failure: { kind: 'validation-failed', errors } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownFields(record: Record<string, unknown>, known: readonly string[]): FieldError[] {
  return Object.keys(record)
    .filter((key) => !known.includes(key))
    .map((field) => ({ field, message: `"${field}" is not a field here; use ${known.map((k) => `"${k}"`).join(', ')}.` }));
}

export function validateLockRequest(body: unknown): BodyResult<Required<LockRequest>> {
  if (!isObject(body)) return invalid([{ field: '', message: 'The body must be a JSON object (seconds, force).' }]);
  const errors = unknownFields(body, ['seconds', 'force']);
  const seconds = Object.hasOwn(body, 'seconds') ? body.seconds : 60;
  const force = Object.hasOwn(body, 'force') ? body.force : false;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < MIN_LEASE_SECONDS || seconds > MAX_LEASE_SECONDS) {
    errors.push({ field: 'seconds', message: `A lease lasts a whole number of seconds from ${MIN_LEASE_SECONDS} to ${MAX_LEASE_SECONDS}.` });
  }
  if (typeof force !== 'boolean') errors.push({ field: 'force', message: 'force is true (break another user\'s lock) or false.' });
  if (errors.length > 0 || typeof seconds !== 'number' || typeof force !== 'boolean') return invalid(errors);
  return { ok: true, value: { seconds, force } };
}

export function validateHandOver(body: unknown): BodyResult<HandOverRequest> {
  if (!isObject(body)) return invalid([{ field: '', message: 'The body must be a JSON object with "to" (who asked to take over).' }]);
  const errors = unknownFields(body, ['to']);
  const to = body.to;
  if (typeof to !== 'string' || to.trim() === '') errors.push({ field: 'to', message: '"to" names the person who asked to take over.' });
  if (errors.length > 0 || typeof to !== 'string') return invalid(errors);
  return { ok: true, value: { to: to.trim() } };
}

export function validateTransition(body: unknown): BodyResult<{ to: DocumentState }> {
  if (!isObject(body)) return invalid([{ field: '', message: 'The body must be a JSON object with "to".' }]);
  const errors = unknownFields(body, ['to']);
  if (!isDocumentState(body.to)) errors.push({ field: 'to', message: `"to" is one of ${documentStates.join(', ')}.` });
  if (errors.length > 0 || !isDocumentState(body.to)) return invalid(errors);
  return { ok: true, value: { to: body.to } };
}

export function validateConcurrencyRequest(body: unknown): BodyResult<{ concurrency: DocumentConcurrency['own'] }> {
  if (!isObject(body)) return invalid([{ field: '', message: 'The body must be a JSON object with "concurrency".' }]);
  const errors = unknownFields(body, ['concurrency']);
  const mode = body.concurrency;
  if (mode !== null && !isConcurrencyMode(mode)) {
    errors.push({ field: 'concurrency', message: `"concurrency" is one of ${concurrencyModes.join(', ')}, or null to follow the server.` });
  }
  if (errors.length > 0 || (mode !== null && !isConcurrencyMode(mode))) return invalid(errors);
  return { ok: true, value: { concurrency: mode } };
}

/** Routes under `/api`. */
export function concurrencyRoutes(parts: ServerParts): Hono {
  const { store, settings, locks, documentModes } = parts;
  const api = new Hono();

  const lockState = (id: string): LockState => ({ lock: locks.current(id), enforced: modeOf(parts, id) === 'lock' });

  api.get('/docs/:id/lock', async (c) => {
    const id = c.req.param('id');
    const current = await liveRevision(store, id);
    if (current instanceof Response) return current;
    return jsonResponse(lockState(id));
  });
  api.post('/docs/:id/lock', async (c) => {
    const id = c.req.param('id');
    const request = await validBody(c, settings, validateLockRequest, { optional: true });
    if (!request.ok) return bodyProblem(request.failure);
    const current = await liveRevision(store, id);
    if (current instanceof Response) return current;
    const result = locks.take(id, actingUser(c), request.value);
    if (result.kind === 'locked') return resourceLockedProblem(result.lease, 'lock');
    // Stryker disable next-line ConditionalExpression: only a broken lock has a previous lease; for any other, broke is undefined and JSON leaves it out.
    const state: LockState = { ...lockState(id), ...(result.kind === 'broken' && { broke: result.previous }) };
    return new Response(JSON.stringify(state), {
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Lock-Token': `<${result.lease.token}>` },
    });
  });
  api.delete('/docs/:id/lock', async (c) => {
    const id = c.req.param('id');
    const current = await liveRevision(store, id);
    if (current instanceof Response) return current;
    const result = locks.release(id, actingUser(c), { force: c.req.query('force') === 'true' });
    if (result.kind === 'locked') return resourceLockedProblem(result.lease, 'unlock');
    return noContent();
  });
  api.all('/docs/:id/lock', methodNotAllowed('GET, HEAD, POST, DELETE'));

  // Asking to take over without breaking the lock: the holder hands it over or keeps editing.
  api.post('/docs/:id/lock/requests', async (c) => {
    const id = c.req.param('id');
    const current = await liveRevision(store, id);
    if (current instanceof Response) return current;
    const result = locks.ask(id, actingUser(c));
    if (result.kind === 'not-held') return lockNotHeldProblem('ask for');
    return jsonResponse(lockState(id));
  });
  api.delete('/docs/:id/lock/requests', async (c) => {
    const id = c.req.param('id');
    const current = await liveRevision(store, id);
    if (current instanceof Response) return current;
    const result = locks.decline(id, actingUser(c));
    if (result.kind === 'not-held') return lockNotHeldProblem('answer a request for');
    if (result.kind === 'locked') return resourceLockedProblem(result.lease, 'answer a request for the lock of');
    return noContent();
  });
  api.all('/docs/:id/lock/requests', methodNotAllowed('POST, DELETE'));
  api.post('/docs/:id/lock/handover', async (c) => {
    const id = c.req.param('id');
    const request = await validBody(c, settings, validateHandOver);
    if (!request.ok) return bodyProblem(request.failure);
    const current = await liveRevision(store, id);
    if (current instanceof Response) return current;
    const result = locks.handOver(id, actingUser(c), request.value.to);
    switch (result.kind) {
      case 'not-held':
        return lockNotHeldProblem('hand over');
      case 'locked':
        return resourceLockedProblem(result.lease, 'hand over the lock of');
      case 'not-asked':
        return bodyProblem({
          kind: 'validation-failed',
          errors: [{ field: 'to', message: `${request.value.to} has not asked to take over; the lock goes only to the one who asked.` }],
        });
      case 'handed-over':
        return new Response(JSON.stringify(lockState(id)), {
          headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Lock-Token': `<${result.lease.token}>` },
        });
    }
  });
  api.all('/docs/:id/lock/handover', methodNotAllowed('POST'));

  api.post('/docs/:id/transitions', async (c) => {
    const id = c.req.param('id');
    return transitionDocument(parts, c, id, () => validBody(c, settings, validateTransition));
  });
  api.all('/docs/:id/transitions', methodNotAllowed('POST'));

  const concurrencyOf = (id: string): DocumentConcurrency => ({ id, concurrency: modeOf(parts, id), own: documentModes.get(id) ?? null });
  api.get('/docs/:id/concurrency', async (c) => {
    const id = c.req.param('id');
    const current = await liveRevision(store, id);
    if (current instanceof Response) return current;
    return jsonResponse(concurrencyOf(id));
  });
  api.put('/docs/:id/concurrency', async (c) => {
    const id = c.req.param('id');
    const request = await validBody(c, settings, validateConcurrencyRequest);
    if (!request.ok) return bodyProblem(request.failure);
    const current = await liveRevision(store, id);
    if (current instanceof Response) return current;
    if (request.value.concurrency === null) documentModes.delete(id);
    else documentModes.set(id, request.value.concurrency);
    const answer = concurrencyOf(id);
    // Every tab on the document learns its new mode (what a save must send, what the editor shows).
    parts.events.broadcastNamed('concurrency', { docId: id, concurrency: answer.concurrency, own: answer.own } satisfies ConcurrencyEvent);
    return jsonResponse(answer);
  });
  api.all('/docs/:id/concurrency', methodNotAllowed('GET, HEAD, PUT'));

  return api;
}
