/**
 * The one place the app talks HTTP. It names the acting user on every request, reads the ETag
 * from the response header, throws typed errors (see api-errors.ts) for every non-2xx, and
 * writes each exchange into the tab's request log (the protocol inspector reads it).
 */
import { USER_HEADER } from '../protocol/types.ts';
import { encodeUserHeader } from '../protocol/user-header.ts';
import { NetworkError, errorFromResponse } from './api-errors.ts';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-key.ts';
import { markOf, requestLog } from './request-log.ts';

export interface ApiResponse<T> {
  data: T;
  /** The `ETag` header, when the response has one. */
  etag: string | null;
  status: number;
  headers: Headers;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Serialised as JSON. */
  body?: unknown;
  ifMatch?: string;
  /** Names one save attempt; a retry of the attempt sends the same key (see idempotency-key.ts). */
  idempotencyKey?: string;
  /** `*` on a create by PUT: only where no document is yet (docs/protocol.md §1.2). */
  ifNoneMatch?: string;
  signal?: AbortSignal;
  /** Acts as someone else for this one request (a simulated user in a guided scenario). */
  user?: string;
  /** Further request headers (e.g. `Conflict-Resolution` on the save that resolves a conflict). */
  headers?: Record<string, string>;
}

let currentUser: () => string = () => 'anonymous';

/** The app tells the client who is acting; kept as a function so a rename applies at once. */
export function setUserProvider(provider: () => string): void {
  currentUser = provider;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const method = options.method ?? 'GET';
  const user = options.user ?? currentUser();
  const headers = new Headers({ ...options.headers, Accept: 'application/json', [USER_HEADER]: encodeUserHeader(user) });
  // Every change says JSON, with a body or without: the server refuses any other (docs/protocol.md §1.9).
  if (options.body !== undefined || method !== 'GET') headers.set('Content-Type', 'application/json');
  if (options.ifMatch !== undefined) headers.set('If-Match', options.ifMatch);
  if (options.idempotencyKey !== undefined) headers.set(IDEMPOTENCY_KEY_HEADER, options.idempotencyKey);
  if (options.ifNoneMatch !== undefined) headers.set('If-None-Match', options.ifNoneMatch);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);

  const seq = requestLog.start({
    method,
    path,
    ifMatch: options.ifMatch ?? null,
    idempotencyKey: options.idempotencyKey ?? null,
    user,
    startedAt: performance.now(),
    requestHeaders: [...headers.entries()],
    requestBody: body ?? null,
  });

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      signal: options.signal,
      // Conditional requests are the point of this app: never let the HTTP cache answer for the server.
      cache: 'no-store',
    });
  } catch (cause) {
    requestLog.finish(seq, { status: 0, failure: options.signal?.aborted ? 'Cancelled' : 'No answer (network error)' });
    if (options.signal?.aborted) throw cause;
    throw new NetworkError(cause);
  }

  let text: string;
  try {
    text = await readText(response);
  } catch (error) {
    requestLog.finish(seq, { status: response.status, failure: 'The answer broke off' });
    throw error;
  }
  const data = parseJson(text);
  requestLog.finish(seq, {
    status: response.status,
    etag: response.headers.get('ETag'),
    responseHeaders: [...response.headers.entries()],
    // Success bodies are documents the editor shows anyway; the problem is what the inspector explains.
    responseBody: response.ok ? null : text,
    mark: markOf(response.status, data),
  });

  if (!response.ok) throw errorFromResponse(response.status, response.statusText, data);
  return { data: data as T, etag: response.headers.get('ETag'), status: response.status, headers: response.headers };
}

async function readText(response: Response): Promise<string> {
  if (response.status === 204) return '';
  try {
    return await response.text();
  } catch (cause) {
    // The connection dropped mid-body: as good as no answer.
    throw new NetworkError(cause);
  }
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
