/**
 * The API client at its edges. This file never sets a user provider, so its copy of the client
 * (Vitest loads each test file's modules afresh) shows what is sent before the app says who acts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiRequest } from './api-client.ts';
import { NetworkError } from './api-errors.ts';
import { requestLog } from './request-log.ts';

afterEach(() => vi.unstubAllGlobals());

function stubFetch(answer: () => Response): Headers[] {
  const sent: Headers[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_path: string, init: RequestInit = {}) => {
      sent.push(new Headers(init.headers));
      return answer();
    }),
  );
  return sent;
}

describe('apiRequest at its edges', () => {
  it('sends X-User: anonymous before the app has named anyone', async () => {
    const sent = stubFetch(() => new Response('{}', { status: 200 }));
    await apiRequest('/api/docs');
    expect(sent[0]?.get('X-User')).toBe('anonymous');
  });

  it('takes an answer whose body breaks off as no answer, and logs the status with why', async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"id":'));
        controller.error(new Error('connection reset'));
      },
    });
    stubFetch(() => new Response(broken, { status: 200, headers: { ETag: '"e1"' } }));
    await expect(apiRequest('/api/docs/d_1')).rejects.toBeInstanceOf(NetworkError);
    expect(requestLog.snapshot().at(-1)).toMatchObject({ status: 200, failure: 'The answer broke off' });
  });
});
