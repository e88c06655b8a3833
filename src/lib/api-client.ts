/**
 * The one place the app talks HTTP. It names the acting user on every request, reads the ETag
 * from the response header and throws typed errors (see api-errors.ts) for every non-2xx.
 */
import { USER_HEADER } from '../protocol/types.ts';
import { NetworkError, errorFromResponse } from './api-errors.ts';

export interface ApiResponse<T> {
  data: T;
  /** The `ETag` header, when the response has one. */
  etag: string | null;
  status: number;
  headers: Headers;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Serialised as JSON. */
  body?: unknown;
  ifMatch?: string;
  signal?: AbortSignal;
}

let currentUser: () => string = () => 'anonymous';

/** The app tells the client who is acting; kept as a function so a rename applies at once. */
export function setUserProvider(provider: () => string): void {
  currentUser = provider;
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers = new Headers({ Accept: 'application/json', [USER_HEADER]: currentUser() });
  if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  if (options.ifMatch !== undefined) headers.set('If-Match', options.ifMatch);

  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      // Conditional requests are the point of this app: never let the HTTP cache answer for the server.
      cache: 'no-store',
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new NetworkError(cause);
  }

  const body = await readBody(response);
  if (!response.ok) throw errorFromResponse(response.status, response.statusText, body);
  return { data: body as T, etag: response.headers.get('ETag'), status: response.status, headers: response.headers };
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  let text: string;
  try {
    text = await response.text();
  } catch (cause) {
    // The connection dropped mid-body: as good as no answer.
    throw new NetworkError(cause);
  }
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
