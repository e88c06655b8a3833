import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiRequest, setUserProvider } from './api-client.ts';
import { EditConflictError, GoneError, NetworkError, ServerError } from './api-errors.ts';
import { requestLog } from './request-log.ts';

type Call = { path: string; init: RequestInit; headers: Headers };

function stubFetch(answer: () => Promise<Response>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init: RequestInit = {}) => {
      calls.push({ path, init, headers: new Headers(init.headers) });
      return answer();
    }),
  );
  return calls;
}

const ok = (body: unknown, etag = '"e2"') => async () => new Response(JSON.stringify(body), { status: 200, headers: { ETag: etag } });

beforeEach(() => {
  setUserProvider(() => 'Alice');
  requestLog.clear();
});
afterEach(() => vi.unstubAllGlobals());

describe('apiRequest headers', () => {
  it('names the acting user in X-User, and sends If-Match and Idempotency-Key exactly as given', async () => {
    const calls = stubFetch(ok({ id: 'd_1' }));
    await apiRequest('/api/docs/d_1', { method: 'PUT', body: { title: 'T', content: '' }, ifMatch: '"e1"', idempotencyKey: 'k-1' });
    const [call] = calls;
    expect(call?.init.method).toBe('PUT');
    expect(call?.headers.get('X-User')).toBe('Alice');
    expect(call?.headers.get('Accept')).toBe('application/json');
    expect(call?.headers.get('If-Match')).toBe('"e1"');
    expect(call?.headers.get('Idempotency-Key')).toBe('k-1');
    expect(call?.headers.get('Content-Type')).toBe('application/json');
    expect(call?.init.body).toBe('{"title":"T","content":""}');
    // The HTTP cache must never answer for the server.
    expect(call?.init.cache).toBe('no-store');
  });

  it('sends neither If-Match, Idempotency-Key nor Content-Type when there is none', async () => {
    const calls = stubFetch(ok({ docs: [] }));
    await apiRequest('/api/docs');
    const headers = calls[0]?.headers;
    expect(headers?.get('X-User')).toBe('Alice');
    expect(headers?.has('If-Match')).toBe(false);
    expect(headers?.has('Idempotency-Key')).toBe(false);
    expect(headers?.has('Content-Type')).toBe(false);
  });

  it('acts as someone else for one request, and follows a rename at once', async () => {
    const calls = stubFetch(ok({}));
    await apiRequest('/api/docs/d_1', { method: 'PUT', body: {}, ifMatch: '"e1"', user: 'Bob' });
    let name = 'Carol';
    setUserProvider(() => name);
    await apiRequest('/api/docs');
    name = 'Dave';
    await apiRequest('/api/docs');
    expect(calls.map((c) => c.headers.get('X-User'))).toEqual(['Bob', 'Carol', 'Dave']);
  });
});

describe('apiRequest answers', () => {
  it('returns the data and the ETag of a 2xx', async () => {
    stubFetch(ok({ id: 'd_1', version: 2 }, '"e2"'));
    await expect(apiRequest('/api/docs/d_1')).resolves.toMatchObject({ data: { id: 'd_1', version: 2 }, etag: '"e2"', status: 200 });
  });

  it('throws the typed error of a problem', async () => {
    const conflict = {
      type: '/problems/edit-conflict',
      title: 'Edit conflict',
      status: 409,
      detail: '',
      yourEtag: '"e1"',
      current: { id: 'd_1', title: 'T', content: '', version: 2, updatedAt: '2026-11-30T10:00:00.000Z', updatedBy: 'Bob', state: 'draft' },
      currentEtag: '"e2"',
      base: null,
      changesSince: [],
    };
    stubFetch(async () => new Response(JSON.stringify(conflict), { status: 409, headers: { 'Content-Type': 'application/problem+json' } }));
    const error = await apiRequest('/api/docs/d_1', { method: 'PUT', body: {}, ifMatch: '"e1"' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EditConflictError);
    expect((error as EditConflictError).problem.currentEtag).toBe('"e2"');

    stubFetch(async () => new Response(JSON.stringify({ type: '/problems/gone', title: 'Gone', status: 410, detail: '' }), { status: 410 }));
    await expect(apiRequest('/api/docs/d_1')).rejects.toBeInstanceOf(GoneError);
    stubFetch(async () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    await expect(apiRequest('/api/docs/d_1')).rejects.toBeInstanceOf(ServerError);
  });

  it('turns no answer into a NetworkError, but lets a cancellation through as it is', async () => {
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(apiRequest('/api/docs')).rejects.toBeInstanceOf(NetworkError);

    const controller = new AbortController();
    controller.abort();
    const abort = new DOMException('Aborted', 'AbortError');
    stubFetch(() => Promise.reject(abort));
    await expect(apiRequest('/api/docs', { signal: controller.signal })).rejects.toBe(abort);
  });
});

describe('the request log', () => {
  it('records each request with its If-Match, Idempotency-Key and user, and a problem body only for errors', async () => {
    stubFetch(ok({ id: 'd_1' }));
    await apiRequest('/api/docs/d_1', { method: 'PUT', body: {}, ifMatch: '"e1"', idempotencyKey: 'k-1' });
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await apiRequest('/api/docs/d_1', { method: 'PUT', body: {}, ifMatch: '"e1"', idempotencyKey: 'k-1' }).catch(() => {});
    const [saved, lost] = requestLog.snapshot();
    expect(saved).toMatchObject({ method: 'PUT', ifMatch: '"e1"', idempotencyKey: 'k-1', user: 'Alice', status: 200, etag: '"e2"', responseBody: null });
    expect(saved?.requestHeaders).toContainEqual(['idempotency-key', 'k-1']);
    expect(lost).toMatchObject({ idempotencyKey: 'k-1', status: 0, failure: 'No answer (network error)' });
  });
});
