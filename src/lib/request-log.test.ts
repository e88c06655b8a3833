import { describe, expect, it } from 'vitest';
import { REQUEST_BODY_KEPT, RequestLog, isConflictStatus, markOf, sizeOf } from './request-log.ts';

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

/** What `start` makes of `request(path)`. */
const logged = (path: string) => {
  const log = new RequestLog();
  log.start(request(path));
  const [entry] = log.snapshot();
  if (!entry) throw new Error('not logged');
  return entry;
};

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
      requestBodyCut: 0,
      responseBodyCut: 0,
      failure: null,
      mark: null,
      repeats: 0,
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

  it('keeps one row for a read answered again and again, counting the repeats and showing the last answer', () => {
    const log = new RequestLog();
    const read = (etag: string, user = 'Alice') => {
      const seq = log.start({ ...request('/api/docs/d_1'), method: 'GET', ifMatch: null, requestBody: null, user });
      log.finish(seq, { status: 200, etag });
    };
    read('"e.1"');
    read('"e.2"');
    read('"e.3"');
    expect(log.snapshot()).toHaveLength(1);
    expect(log.snapshot()[0]).toMatchObject({ method: 'GET', etag: '"e.3"', repeats: 2 });
    // Another request between two reads ends the run; so does another reader or a failed read.
    const put = log.start(request('/api/docs/d_1'));
    log.finish(put, { status: 200 });
    read('"e.4"');
    read('"e.5"', 'Bob');
    const failed = log.start({ ...request('/api/docs/d_1'), method: 'GET', requestBody: null, user: 'Bob' });
    log.finish(failed, { status: 0, failure: 'No answer (network error)' });
    read('"e.6"', 'Bob');
    expect(log.snapshot().map((e) => [e.method, e.etag, e.repeats])).toEqual([
      ['GET', '"e.3"', 2],
      ['PUT', null, 0],
      ['GET', '"e.4"', 0],
      ['GET', '"e.5"', 0],
      ['GET', null, 0],
      ['GET', '"e.6"', 0],
    ]);
  });

  it('does not fold reads of other paths, reads still waiting for an answer, or answers with something to say', () => {
    const log = new RequestLog();
    const get = (path: string) => log.start({ ...request(path), method: 'GET', requestBody: null });
    log.finish(get('/api/docs/d_1'), { status: 200 });
    log.finish(get('/api/docs/d_2'), { status: 200 });
    const waiting = get('/api/docs/d_2');
    log.finish(get('/api/docs/d_2'), { status: 200 });
    log.finish(get('/api/docs/d_2'), { status: 404 });
    log.finish(get('/api/docs/d_2'), { status: 200, mark: 'server-merge' });
    expect(log.snapshot().map((e) => [e.path, e.status, e.repeats])).toEqual([
      ['/api/docs/d_1', 200, 0],
      ['/api/docs/d_2', 200, 0],
      ['/api/docs/d_2', null, 0],
      ['/api/docs/d_2', 200, 0],
      ['/api/docs/d_2', 404, 0],
      ['/api/docs/d_2', 200, 0],
    ]);
    // Once answered, the read that waited is a repeat of the one before it.
    log.finish(waiting, { status: 200 });
    expect(log.snapshot().map((e) => [e.seq, e.status, e.repeats])).toEqual([
      [1, 200, 0],
      [3, 200, 1],
      [4, 200, 0],
      [5, 404, 0],
      [6, 200, 0],
    ]);
  });

  it('keeps the start of a long body and counts what it leaves out', () => {
    const log = new RequestLog();
    const long = 'x'.repeat(REQUEST_BODY_KEPT + 1234);
    const seq = log.start({ ...request('/api/docs/d_1'), requestBody: long });
    log.finish(seq, { status: 409, responseBody: `${long}y` });
    expect(log.snapshot()[0]).toMatchObject({
      requestBody: 'x'.repeat(REQUEST_BODY_KEPT),
      requestBodyCut: 1234,
      responseBody: 'x'.repeat(REQUEST_BODY_KEPT),
      responseBodyCut: 1235,
    });
    const short = log.start({ ...request('/a'), requestBody: 'x'.repeat(REQUEST_BODY_KEPT) });
    log.finish(short, { status: 409, responseBody: '{"status":409}' });
    expect(log.snapshot()[1]).toMatchObject({ requestBodyCut: 0, responseBody: '{"status":409}', responseBodyCut: 0 });
  });

  it('lets the oldest entries go once the log holds more than its bytes, but always keeps the newest', () => {
    const entrySize = sizeOf(logged('/api/docs/d_0'));
    const log = new RequestLog(100, entrySize * 3 + 10);
    for (let i = 0; i < 5; i++) log.start(request(`/api/docs/d_${i}`));
    expect(log.snapshot().map((e) => e.path)).toEqual(['/api/docs/d_2', '/api/docs/d_3', '/api/docs/d_4']);

    const tiny = new RequestLog(100, 1);
    tiny.start(request('/a'));
    tiny.start(request('/b'));
    expect(tiny.snapshot().map((e) => e.path)).toEqual(['/b']);
  });

  it('counts an entry at its size once answered, and frees what entries dropped or merged as repeats held', () => {
    const answered = { status: 200, etag: '"e.2"', responseHeaders: [['content-type', 'application/json']] as Array<[string, string]> };
    const measure = new RequestLog();
    const started = sizeOf(logged('/api/docs/d_a'));
    measure.finish(measure.start(request('/api/docs/d_a')), answered);
    const done = sizeOf(measure.snapshot()[0] ?? logged(''));
    expect(done).toBeGreaterThan(started);
    // Room for two answered writes and one on its way.
    const log = new RequestLog(100, 2 * done + started);
    const paths = () => log.snapshot().map((e) => e.path.replace('/api/docs/', ''));
    const [a, b, c] = ['d_a', 'd_b', 'd_c'].map((id) => log.start(request(`/api/docs/${id}`)));
    log.finish(a ?? 0, answered);
    log.finish(b ?? 0, answered);
    expect(paths()).toEqual(['d_a', 'd_b', 'd_c']);
    // Answered, the third no longer fits beside the two.
    log.finish(c ?? 0, answered);
    expect(paths()).toEqual(['d_b', 'd_c']);
    // What the dropped one held is free again.
    log.start(request('/api/docs/d_d'));
    expect(paths()).toEqual(['d_b', 'd_c', 'd_d']);
    log.clear();

    // A repeated read merged into the row before it: the two rows' bytes go, the merged row's come.
    const read = () => log.start({ ...request('/api/docs/d_r'), method: 'GET', requestBody: null });
    for (let i = 0; i < 6; i++) log.finish(read(), answered);
    expect(log.snapshot().map((e) => [e.path, e.repeats])).toEqual([['/api/docs/d_r', 5]]);
    log.finish(log.start(request('/api/docs/d_e')), answered);
    expect(paths()).toEqual(['d_r', 'd_e']);
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
