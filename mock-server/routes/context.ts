/**
 * What the route modules share: the server's parts, and reading a request (the acting user, a
 * condition header, a JSON body) the same way on every route.
 */
import type { Context } from 'hono';
import { EntityTagSyntaxError, parseEntityTagCondition, type EntityTagCondition } from '../../src/protocol/etag.ts';
import { decodeUserHeader } from '../../src/protocol/user-header.ts';
import type { EventHub } from '../events.ts';
import type { PresenceRegistry } from '../presence.ts';
import { nodeBodySource, readJsonBody, type BodyResult } from '../request-body.ts';
import { goneProblem, notFoundProblem, problem } from '../responses.ts';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey } from '../idempotency.ts';
import type { ServerSettings } from '../settings.ts';
import type { Bot } from '../simulation.ts';
import type { ConcurrencyMode } from '../../src/protocol/concurrency.ts';
import type { LockTable } from '../concurrency/locks.ts';
import type { ConflictStats } from '../stats.ts';
import type { Store, StoredRevision } from '../storage/types.ts';

/** The parts of one running server that its routes act on. */
export interface ServerParts {
  store: Store;
  /** Read afresh on every request: the simulation controls change it while the server runs. */
  settings: ServerSettings;
  events: EventHub;
  presence: PresenceRegistry;
  bot: Bot;
  /** Pessimistic locks (concurrency mode `lock`), in this server's memory. */
  locks: LockTable;
  /** Documents with a concurrency mode of their own; the others follow `settings.concurrency`. */
  documentModes: Map<string, ConcurrencyMode>;
  /** What the conflicts say: where conflict-relevant events and chosen outcomes are recorded. */
  stats: ConflictStats;
}

/**
 * The acting user from `X-User`, decoded (src/protocol/user-header.ts) and as typed. The request
 * guard has refused a header that does not decode before any route runs.
 */
export function actingUser(c: Context): string {
  const decoded = decodeUserHeader(c.req.header('x-user'));
  // Stryker disable next-line StringLiteral: unreachable, the request guard answers an undecodable X-User with a 400 before any route.
  if (!decoded.ok) throw new Error(`X-User passed the request guard undecoded: ${decoded.detail}`);
  return decoded.user;
}

type ConditionHeader = { ok: true; raw: string | null; condition: EntityTagCondition | null } | { ok: false; response: Response };

/** If-Match or If-None-Match parsed; a malformed one is answered with a 400 problem. */
export function conditionHeader(c: Context, name: 'If-Match' | 'If-None-Match'): ConditionHeader {
  const raw = c.req.header(name) ?? null;
  if (raw === null) return { ok: true, raw, condition: null };
  try {
    return { ok: true, raw, condition: parseEntityTagCondition(raw) };
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: parseEntityTagCondition throws nothing but EntityTagSyntaxError.
    if (!(error instanceof EntityTagSyntaxError)) throw error;
    return {
      ok: false,
      response: problem(400, 'bad-request', `${name} is not a valid list of entity tags or "*": ${error.message}`, { header: name }),
    };
  }
}

/** The current revision of a live document, or the problem that says why there is none (404, 410). */
export async function liveRevision(store: Store, id: string): Promise<StoredRevision | Response> {
  const found = await store.get(id);
  if (found.kind === 'not-found') return notFoundProblem(id);
  if (found.kind === 'gone') return goneProblem(id, found);
  return found.revision;
}

/** The request's JSON body, read from the Node request stream when there is one (much faster). */
function jsonBody(c: Context, bodyLimit: number, mediaType?: string): Promise<BodyResult<unknown>> {
  return readJsonBody(c.req.raw, bodyLimit, nodeBodySource(c.env), mediaType);
}

/**
 * A request without a body: no length (or 0) and not chunked. It may still say application/json,
 * as every change must (docs/protocol.md §1.9).
 */
function hasNoBody(request: Request): boolean {
  const length = request.headers.get('content-length');
  const chunked = request.headers.get('transfer-encoding') !== null;
  return !chunked && (length === null || length === '0');
}

/**
 * The JSON body checked by `validate`; either step's failure comes back for bodyProblem to answer.
 * With `optional`, a request without any body counts as `{}`.
 */
export async function validBody<T>(
  c: Context,
  settings: ServerSettings,
  validate: (value: unknown) => BodyResult<T>,
  { optional = false, mediaType }: { optional?: boolean; mediaType?: string } = {},
): Promise<BodyResult<T>> {
  const body: BodyResult<unknown> = optional && hasNoBody(c.req.raw) ? { ok: true, value: {} } : await jsonBody(c, settings.bodyLimit, mediaType);
  return body.ok ? validate(body.value) : { ok: false, failure: body.failure };
}

type KeyHeader = { ok: true; key: string | null } | { ok: false; response: Response };

/** The request's Idempotency-Key (docs/protocol.md §1.3); a malformed one is answered with a 400. */
export function idempotencyKey(c: Context): KeyHeader {
  const parsed = parseIdempotencyKey(c.req.header(IDEMPOTENCY_HEADER));
  if (parsed.ok) return parsed;
  return { ok: false, response: problem(400, 'bad-request', parsed.detail, { header: IDEMPOTENCY_HEADER }) };
}
