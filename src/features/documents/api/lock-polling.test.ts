// @vitest-environment happy-dom
/**
 * When an editor asks the server about the document's lock: once on opening, again on every lock
 * or mode event, and on a clock only while a lease is out (a lease runs out without an event).
 * A document nobody locks costs no request while it stays open.
 */
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Lease, LockEvent, LockState } from '../../../protocol/concurrency.ts';
import { hookTests, jsonResponse, scriptedServer } from '../test-support.ts';
import { applyConcurrencyEvent, applyLockEvent } from './cache.ts';
import { LEASE_POLL_MS, lockPollInterval, lockQueryOptions, useDocumentLock } from './document-lock.ts';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const lease: Lease = {
  docId: 'd_1',
  holder: 'Bob',
  token: 'urn:uuid:1',
  since: '2026-11-30T10:00:00.000Z',
  expires: '2026-11-30T10:01:00.000Z',
};
const free: LockState = { lock: null, enforced: true };
const held: LockState = { lock: lease, enforced: true };
const asked: LockState = { lock: { ...lease, request: { by: 'Alice', at: '2026-11-30T10:00:10.000Z' } }, enforced: true };
const answer = (state: LockState) => () => jsonResponse(200, state);

const hooks = hookTests('Alice');

/** Lets the clock run `ms` and the answers it brought settle. */
async function wait(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
  // The answer's body is read on the real event loop (not faked); the cache tells the hook on a
  // (faked) timer after that.
  for (let i = 0; i < 10; i += 1) {
    await act(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await vi.advanceTimersByTimeAsync(0);
    });
  }
}

/** What the editor's lock query holds now. */
const cached = () => hooks.client.getQueryData(lockQueryOptions('d_1').queryKey);

const lockRequests = (sent: Array<{ path: string; method: string }>) => sent.filter((s) => s.method === 'GET' && s.path === '/api/docs/d_1/lock').length;

describe('the lock query', () => {
  it('polls nothing while no lease is out, whatever the mode', () => {
    expect(lockPollInterval(undefined)).toBe(false);
    expect(lockPollInterval({ lock: null, enforced: true })).toBe(false);
    expect(lockPollInterval({ lock: null, enforced: false })).toBe(false);
    expect(lockPollInterval(held)).toBe(LEASE_POLL_MS);
    expect(lockPollInterval(asked)).toBe(LEASE_POLL_MS);
  });

  it('asks once for a document nobody has locked, and not again in ten minutes', async () => {
    const sent = scriptedServer([answer(free)]);
    await hooks.mount(() => useDocumentLock('d_1'));
    await wait(0);
    expect(cached()).toEqual(free);
    await wait(10 * 60_000);
    expect(lockRequests(sent)).toBe(1);
  });

  it('looks again on a clock while a lease is out, and stops once it has run out', async () => {
    const sent = scriptedServer([answer(held), answer(asked), answer(free)]);
    await hooks.mount(() => useDocumentLock('d_1'));
    await wait(0);
    expect(cached()).toEqual(held);
    await wait(LEASE_POLL_MS);
    expect(lockRequests(sent)).toBe(2);
    // Someone waits for the holder's answer: still looking.
    expect(cached()).toEqual(asked);
    await wait(LEASE_POLL_MS);
    expect(lockRequests(sent)).toBe(3);
    // The lease ran out: nothing more to look for.
    expect(cached()).toEqual(free);
    await wait(10 * LEASE_POLL_MS);
    expect(lockRequests(sent)).toBe(3);
  });

  it('is read again at once on a lock event, and on a change of mode, and starts looking when a lease appears', async () => {
    const sent = scriptedServer([answer({ lock: null, enforced: false }), answer(free), answer(held), answer(free)]);
    await hooks.mount(() => useDocumentLock('d_1'));
    await wait(0);
    expect(cached()?.enforced).toBe(false);

    // The document's mode became `lock`: the lock panel needs to know, without waiting for a clock.
    await act(async () => {
      expect(applyConcurrencyEvent(hooks.client, JSON.stringify({ docId: 'd_1', concurrency: 'lock', own: 'lock' }))).toBe(true);
    });
    await wait(0);
    expect(cached()).toEqual(free);

    const taken: LockEvent = { type: 'locked', docId: 'd_1', lock: lease, previous: null, by: 'Bob' };
    await act(async () => {
      expect(applyLockEvent(hooks.client, JSON.stringify(taken))).toBe(true);
    });
    await wait(0);
    expect(cached()).toEqual(held);
    expect(lockRequests(sent)).toBe(3);
    await wait(LEASE_POLL_MS);
    expect(lockRequests(sent)).toBe(4);
  });

  it('a change of the server’s mode reads every open document’s lock again', async () => {
    const sent = scriptedServer([answer({ lock: null, enforced: false }), answer(free)]);
    await hooks.mount(() => useDocumentLock('d_1'));
    await wait(0);
    await act(async () => {
      applyConcurrencyEvent(hooks.client, JSON.stringify({ docId: null, concurrency: 'lock', own: null }));
    });
    await wait(0);
    expect(cached()).toEqual(free);
    expect(lockRequests(sent)).toBe(2);
  });
});
