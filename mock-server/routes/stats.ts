/**
 * What the conflicts say (docs/protocol.md §1.10): `GET /api/stats`, the outcome report for the
 * dialog's choices that save nothing, and the middleware that counts every edit conflict the
 * document routes answer and every outcome a resolving save carries.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { FieldError } from '../../src/protocol/problems.ts';
import {
  CONFLICT_RESOLUTION_HEADER,
  savedOutcomes,
  type OutcomeReport,
  type SavedOutcome,
} from '../../src/protocol/stats.ts';
import type { BodyResult } from '../request-body.ts';
import { bodyProblem, jsonResponse, methodNotAllowed, noContent, problem } from '../responses.ts';
import { actingUser, validBody, type ServerParts } from './context.ts';

const MAX_DOC_ID_LENGTH = 200;
const reportedOutcomes = ['discard', 'cancel'] as const;

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** The body of `POST /api/stats/outcomes`, or the errors that say why not. */
export function validateOutcomeReport(body: unknown): BodyResult<OutcomeReport> {
  const invalid = (errors: FieldError[]): BodyResult<OutcomeReport> => ({ ok: false, failure: { kind: 'validation-failed', errors } });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid([{ field: '', message: 'The body must be a JSON object with docId and outcome.' }]);
  }
  const record = body as Record<string, unknown>;
  const errors: FieldError[] = Object.keys(record)
    .filter((key) => key !== 'docId' && key !== 'outcome')
    .map((key) => ({ field: key, message: `"${key}" is not part of an outcome report; send docId and outcome.` }));
  const docId = Object.hasOwn(record, 'docId') ? record.docId : undefined;
  if (typeof docId !== 'string' || docId.length === 0 || [...docId].length > MAX_DOC_ID_LENGTH) {
    errors.push({ field: 'docId', message: `Say which document the conflict was on (its id, 1 to ${MAX_DOC_ID_LENGTH} characters).` });
  }
  const outcome = Object.hasOwn(record, 'outcome') ? record.outcome : undefined;
  if (isOneOf(savedOutcomes, outcome)) {
    errors.push({
      field: 'outcome',
      message: `${outcome === 'merge' ? 'A merge' : 'An overwrite'} is counted from the save that carries it: send ${CONFLICT_RESOLUTION_HEADER}: ${outcome} on that PUT.`,
    });
  } else if (!isOneOf(reportedOutcomes, outcome)) {
    errors.push({ field: 'outcome', message: `The outcome is "discard" or "cancel".` });
  }
  if (errors.length > 0 || typeof docId !== 'string' || !isOneOf(reportedOutcomes, outcome)) return invalid(errors);
  return { ok: true, value: { docId, outcome } };
}

/** `?window=` as minutes 1–60, null when absent, or the 400 that says what is wrong. */
function windowParameter(raw: string | undefined): number | null | Response {
  if (raw === undefined) return null;
  if (/^[1-9][0-9]?$/.test(raw) && Number(raw) <= 60) return Number(raw);
  return problem(400, 'bad-request', 'The window is a whole number of minutes from 1 to 60 (leave it out for everything since the server started).');
}

/** Routes under `/api`. */
export function statsRoutes({ stats, settings }: ServerParts, mode: (docId: string) => string): Hono {
  const api = new Hono();

  api.get('/stats', (c) => {
    const window = windowParameter(c.req.query('window'));
    if (window instanceof Response) return window;
    return jsonResponse(stats.snapshot(window));
  });
  api.all('/stats', methodNotAllowed('GET, HEAD'));

  api.post('/stats/outcomes', async (c) => {
    const report = await validBody(c, settings, validateOutcomeReport);
    if (!report.ok) return bodyProblem(report.failure);
    stats.recordOutcome({ ...report.value, user: actingUser(c), mode: mode(report.value.docId) });
    return noContent();
  });
  api.all('/stats/outcomes', methodNotAllowed('POST'));

  return api;
}

/**
 * Around the writes to `/api/docs/{id}` (and its transitions): counts an `edit-conflict` answer as
 * a conflict, a `resource-locked` answer as a lock refusal, a save the server merged (its body's
 * `mergedFrom`) as a server merge, and a successful save that carries `Conflict-Resolution` as that
 * outcome, each under the mode that guarded the document. A `Conflict-Resolution` that is neither
 * `merge` nor `overwrite` is a 400 before anything is saved. Lost updates are counted where a save
 * is stored (app.ts), since any write can make one.
 */
export function recordConflicts({ stats, store }: ServerParts, mode: (docId: string) => string): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method !== 'PUT' && method !== 'PATCH' && method !== 'DELETE' && method !== 'POST') return next();
    let resolution: SavedOutcome | null = null;
    const header = c.req.header(CONFLICT_RESOLUTION_HEADER);
    if (method === 'PUT' && header !== undefined) {
      const value = header.trim().toLowerCase();
      if (!isOneOf(savedOutcomes, value)) {
        return problem(
          400,
          'bad-request',
          `${CONFLICT_RESOLUTION_HEADER} is "merge" or "overwrite" (a discard or a cancel saves nothing: POST it to /api/stats/outcomes).`,
          { header: CONFLICT_RESOLUTION_HEADER },
        );
      }
      resolution = value;
    }
    // Stryker disable next-line StringLiteral: the middleware is mounted on /api/docs/:id and its transitions only, so the id is always there.
    const docId = c.req.param('id') ?? '';
    const guardedBy = mode(docId);

    await next();

    const status = c.res.status;
    const user = actingUser(c);
    const contentType = c.res.headers.get('content-type');
    if ((status === 409 || status === 412) && contentType === 'application/problem+json') {
      // A 409 is also a duplicate title or a state: only an edit conflict or a lock counts, and its body has the title.
      const body = (await c.res.clone().json()) as { type?: unknown; current?: { title?: unknown } };
      if (body.type === '/problems/edit-conflict') {
        const title = typeof body.current?.title === 'string' ? body.current.title : null;
        stats.recordConflictEvent({ kind: 'conflict', docId, user, mode: guardedBy, title });
      } else if (body.type === '/problems/resource-locked') {
        // A lock refusal does not carry the document: its title is read from the store.
        const found = await store.get(docId);
        const title = found.kind === 'found' ? found.revision.document.title : null;
        stats.recordConflictEvent({ kind: 'lock-refused', docId, user, mode: guardedBy, title });
      }
      return;
    }
    if (status !== 200) return;
    if (contentType === 'application/json' && method !== 'DELETE') {
      const body = (await c.res.clone().json()) as { title?: unknown; mergedFrom?: unknown; overwrote?: unknown };
      const title = typeof body.title === 'string' ? body.title : null;
      if (guardedBy === 'server-merge' && Array.isArray(body.mergedFrom)) {
        stats.recordConflictEvent({ kind: 'server-merge', docId, user, mode: guardedBy, title });
      }
      // Each version the save replaced unseen is one lost update, counted against the one who saved,
      // by the server that answered the save: with several servers on one database, each counts
      // the saves it answered, as it counts its 409s, and a change heard from another is not
      // counted twice (a retry's replayed answer carries no `overwrote`, so it is not counted again).
      if (Array.isArray(body.overwrote)) {
        for (let i = 0; i < body.overwrote.length; i += 1) stats.recordConflictEvent({ kind: 'lost-update', docId, user, mode: guardedBy, title });
      }
    }
    if (resolution) stats.recordOutcome({ outcome: resolution, docId, user, mode: guardedBy, key: c.req.header('idempotency-key') ?? null });
  };
}
