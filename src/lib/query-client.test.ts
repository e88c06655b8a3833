import { describe, expect, it } from 'vitest';
import { NetworkError, errorFromResponse } from './api-errors.ts';
import { backoffDelay, createQueryClient } from './query-client.ts';

/** The default query retry of a fresh client (made inside each test, so it is what the test checks). */
function queryRetry() {
  const retry = createQueryClient().getDefaultOptions().queries?.retry;
  if (typeof retry !== 'function') throw new Error('queries.retry should be a function');
  return retry;
}

describe('query defaults', () => {
  it('retries a dropped connection and a 5xx a few times', () => {
    const retry = queryRetry();
    expect(retry(0, new NetworkError(new TypeError('Failed to fetch')))).toBe(true);
    expect(retry(2, errorFromResponse(503, 'Service Unavailable', null))).toBe(true);
    expect(retry(3, errorFromResponse(503, 'Service Unavailable', null))).toBe(false);
  });

  it('never retries a 4xx', () => {
    const retry = queryRetry();
    for (const status of [400, 404, 409, 410, 412, 428]) expect(retry(0, errorFromResponse(status, '', null))).toBe(false);
  });

  it('treats data as fresh for five seconds', () => {
    expect(createQueryClient().getDefaultOptions().queries?.staleTime).toBe(5_000);
  });

  it('mutations do not retry unless they say so', () => {
    expect(createQueryClient().getDefaultOptions().mutations?.retry).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles from one second and stops growing at ten', () => {
    expect([0, 1, 2, 3, 4, 5].map(backoffDelay)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
