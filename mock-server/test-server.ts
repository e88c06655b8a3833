/**
 * For the integration tests: a real server on a free loopback port, and small fetch helpers.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { Problem } from '../src/protocol/problems.ts';
import type { Document } from '../src/protocol/types.ts';
import type { ConflictLabApp } from './app.ts';
import { startServer, type RunningServer, type ServerConfig } from './server.ts';
import type { StorageConfig } from './storage/open.ts';

/** A server in memory on a free loopback port. For a test that starts and stops servers itself. */
export async function startTestServer(config: Partial<ServerConfig> = {}): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', ...config });
}

export interface TestServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  /** The running app, to reach its settings or event hub directly. */
  readonly app: ConflictLabApp;
}

export interface UseTestServerOptions extends Partial<ServerConfig> {
  /**
   * A fresh server for every test instead of one for the whole file: for tests that change the
   * whole server (its settings, the bot, a reset).
   */
  perTest?: boolean;
  /** Where each server keeps its documents, made anew for it (a fresh data folder or database). */
  freshStorage?: () => Promise<StorageConfig>;
}

/**
 * Registers a test server's start and close with the file's hooks; call it at the top of a test
 * file. The returned handle is read inside tests, once the server is up.
 */
export function useTestServer({ perTest = false, freshStorage, ...config }: UseTestServerOptions = {}): TestServer {
  let running: RunningServer | null = null;
  const start = async () => {
    running = await startTestServer(freshStorage ? { ...config, storage: await freshStorage() } : config);
  };
  const stop = async () => {
    await running?.close();
    running = null;
  };
  if (perTest) {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    afterAll(stop);
  }
  const current = (): RunningServer => {
    if (!running) throw new Error('The test server runs only inside tests (useTestServer starts it in a before hook).');
    return running;
  };
  return {
    get url() {
      return current().url;
    },
    get app() {
      return current().app;
    },
  };
}

let counter = 0;
/** A title no other test uses, so tests never collide on duplicate titles. */
export function uniqueTitle(prefix = 'Doc'): string {
  counter += 1;
  return `${prefix} ${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export function jsonInit(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

/**
 * A change without a body (a DELETE, a reset, a scenario): it still says application/json, as every
 * change must (docs/protocol.md §1.9).
 */
export function changeInit(method: string, headers: Record<string, string> = {}): RequestInit {
  return { method, headers: { 'Content-Type': 'application/json', ...headers } };
}

export async function createDoc(
  baseUrl: string,
  title = uniqueTitle(),
  content = 'first',
  user = 'Ana',
): Promise<{ doc: Document; etag: string; response: Response }> {
  const response = await fetch(`${baseUrl}/api/docs`, jsonInit('POST', { title, content }, { 'X-User': user }));
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  const etag = response.headers.get('etag');
  if (!etag) throw new Error('create returned no ETag');
  return { doc: (await response.json()) as Document, etag, response };
}

export async function saveDoc(
  baseUrl: string,
  id: string,
  body: { title: string; content: string },
  ifMatch: string,
  user = 'Ana',
): Promise<Response> {
  return fetch(`${baseUrl}/api/docs/${id}`, jsonInit('PUT', body, { 'If-Match': ifMatch, 'X-User': user }));
}

/** Checks that a response is the problem of `status` and `slug`, in plain words, with no stack trace. */
export async function expectProblem(response: Response, status: number, slug: string): Promise<Problem> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(text).not.toMatch(/\n\s+at /);
  const body = JSON.parse(text) as Problem;
  expect(body).toMatchObject({ type: `/problems/${slug}`, status, title: expect.any(String), detail: expect.any(String) });
  return body;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A request through node:http, for what fetch will not send as given: any `Host`, `Origin` or
 * `Sec-Fetch-Site`, and header values as raw bytes (a Latin-1 string is sent byte for byte).
 */
export function rawRequest(
  baseUrl: string,
  path: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (text += part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    // As a Buffer: Node writes the header block together with a string body in the body's encoding
    // (UTF-8), which would re-encode a Latin-1 header value.
    req.end(body === undefined ? undefined : Buffer.from(body, 'utf8'));
  });
}

/** A raw response's problem body, checked as expectProblem checks a fetch response. */
export function rawProblem(response: RawResponse, status: number, slug: string): Problem {
  expect(response.status, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  const body = JSON.parse(response.body) as Problem;
  expect(body).toMatchObject({ type: `/problems/${slug}`, status, title: expect.any(String), detail: expect.any(String) });
  return body;
}
