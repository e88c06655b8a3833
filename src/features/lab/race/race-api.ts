/**
 * The race's transport in the app: the one API client (src/lib/api-client.ts), so every request
 * of the race is in the protocol inspector like any other, acting as each racer in turn. A refusal
 * is an answer here, not an error: the race is about them. The headers the API client has options
 * for (`If-Match`, `If-None-Match`, `Idempotency-Key`) go through those, so the inspector's columns
 * show them.
 */
import { apiRequest, type RequestOptions } from '../../../lib/api-client.ts';
import { NetworkError, ProblemError } from '../../../lib/api-errors.ts';
import { IDEMPOTENCY_KEY_HEADER } from '../../../lib/idempotency-key.ts';
import type { RaceAnswer, RaceRequest } from './run-race.ts';

export async function sendThroughApiClient({ method, path, user, body, headers }: RaceRequest): Promise<RaceAnswer> {
  const { 'If-Match': ifMatch, 'If-None-Match': ifNoneMatch, [IDEMPOTENCY_KEY_HEADER]: idempotencyKey, ...rest } = headers;
  const options: RequestOptions = {
    method,
    user,
    headers: rest,
    ...(body !== undefined && { body }),
    ...(ifMatch !== undefined && { ifMatch }),
    ...(ifNoneMatch !== undefined && { ifNoneMatch }),
    ...(idempotencyKey !== undefined && { idempotencyKey }),
  };
  try {
    const answer = await apiRequest<unknown>(path, options);
    return { status: answer.status, body: answer.data, headers: answer.headers, failure: null };
  } catch (error) {
    if (error instanceof ProblemError) return { status: error.status, body: error.problem, headers: null, failure: null };
    if (error instanceof NetworkError) return { status: 0, body: null, headers: null, failure: error.message };
    throw error;
  }
}

/** A new document id, made here so that its create can name it (`PUT` with `If-None-Match: *`). */
export function newRaceDocumentId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `d_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
