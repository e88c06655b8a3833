import { describe, expect, it } from 'vitest';
import { RequestLog, isConflictStatus, markOf } from './request-log.ts';

const request = (path: string) => ({
  method: 'PUT',
  path,
  ifMatch: '"e.1"',
  idempotencyKey: null,
  user: 'Alice',
  startedAt: performance.now(),
  requestHeaders: [['if-match', '"e.1"']] as Array<[string, string]>,
  requestBody: '{}',
});

describe('RequestLog', () => {
  it('records a request as pending, then completes it with status, ETag and duration', () => {
    const log = new RequestLog();
    const seq = log.start(request('/api/docs/d_1'));
    expect(log.snapshot()[0]).toMatchObject({ seq, status: null, durationMs: null, ifMatch: '"e.1"' });
    log.finish(seq, { status: 409, etag: null, responseBody: '{"status":409}' });
    const [entry] = log.snapshot();
    expect(entry).toMatchObject({ status: 409, responseBody: '{"status":409}' });
    expect(entry?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('keeps only the newest entries up to its capacity', () => {
    const log = new RequestLog(3);
    for (let i = 1; i <= 5; i++) log.start(request(`/api/docs/d_${i}`));
    expect(log.snapshot().map((e) => e.path)).toEqual(['/api/docs/d_3', '/api/docs/d_4', '/api/docs/d_5']);
  });

  it('ignores the completion of an entry that has already fallen off', () => {
    const log = new RequestLog(1);
    const first = log.start(request('/a'));
    log.start(request('/b'));
    const before = log.snapshot();
    log.finish(first, { status: 200 });
    expect(log.snapshot()).toBe(before);
  });

  it('hands out a new snapshot on change and the same one otherwise, and tells subscribers', () => {
    const log = new RequestLog();
    let calls = 0;
    const unsubscribe = log.subscribe(() => calls++);
    const empty = log.snapshot();
    expect(log.snapshot()).toBe(empty);
    const seq = log.start(request('/a'));
    expect(log.snapshot()).not.toBe(empty);
    log.finish(seq, { status: 200 });
    log.clear();
    expect(calls).toBe(3);
    unsubscribe();
    log.start(request('/b'));
    expect(calls).toBe(3);
  });

  it('numbers requests in the order they start, and starts each entry with nothing answered yet', () => {
    const log = new RequestLog();
    const seqs = [log.start(request('/a')), log.start(request('/b')), log.start(request('/c'))];
    expect(seqs).toEqual([1, 2, 3]);
    expect(log.snapshot()[0]).toEqual({
      ...request('/a'),
      startedAt: expect.any(Number),
      seq: 1,
      status: null,
      etag: null,
      durationMs: null,
      responseHeaders: [],
      responseBody: null,
      failure: null,
      mark: null,
    });
  });

  it('completes only the entry it is asked to, and measures from when it started', () => {
    const log = new RequestLog();
    const first = log.start({ ...request('/a'), startedAt: performance.now() - 100_000 });
    log.start(request('/b'));
    log.finish(first, { status: 200, etag: '"e.2"' });
    const [a, b] = log.snapshot();
    expect(a).toMatchObject({ path: '/a', status: 200, etag: '"e.2"' });
    // Started 100 s ago by its own clock; the slack is for a slow machine, not a speed target.
    expect(a?.durationMs).toBeGreaterThanOrEqual(100_000);
    expect(a?.durationMs).toBeLessThan(160_000);
    expect(b).toMatchObject({ path: '/b', status: null, etag: null, durationMs: null });
  });

  it('keeps everything while at its capacity, and is empty after clear', () => {
    const log = new RequestLog(2);
    log.start(request('/a'));
    log.start(request('/b'));
    expect(log.snapshot().map((e) => e.path)).toEqual(['/a', '/b']);
    log.clear();
    expect(log.snapshot()).toEqual([]);
  });

  it('treats 409 and 412 alike as conflicts', () => {
    expect([409, 412, 200, 428, null].map(isConflictStatus)).toEqual([true, true, false, false, false]);
  });

  it('marks lost updates, server merges, lock and state refusals from the answer body', () => {
    expect(markOf(200, { version: 3, overwrote: [2] })).toBe('lost-update');
    expect(markOf(200, { version: 3, overwrote: [] })).toBeNull();
    expect(markOf(200, { version: 3, mergedFrom: [1, 2] })).toBe('server-merge');
    expect(markOf(409, { type: '/problems/resource-locked' })).toBe('locked');
    expect(markOf(409, { type: '/problems/resource-state' })).toBe('state');
    expect(markOf(409, { type: '/problems/edit-conflict' })).toBeNull();
    expect(markOf(200, null)).toBeNull();
  });
});
