/**
 * The lease table on its own, on an injected clock: a request to take over lives in the lease, a
 * renewal keeps it, an expiry or a hand-over ends it, and every change is told in order.
 */
import { describe, expect, it } from 'vitest';
import type { LockEvent } from '../../src/protocol/concurrency.ts';
import { LockTable } from './locks.ts';

function table() {
  let now = Date.parse('2026-11-30T10:00:00.000Z');
  const events: LockEvent[] = [];
  const locks = new LockTable({ now: () => new Date(now), onChange: (event) => events.push(event) });
  return { locks, events, advance: (seconds: number) => (now += seconds * 1000) };
}

describe('LockTable: asking to take over', () => {
  it('keeps the request through a renewal, and hands over a lease as long as the holder’s, with a new token', () => {
    const { locks, events, advance } = table();
    const taken = locks.take('d_1', 'Bob', { seconds: 120 });
    expect(locks.ask('d_1', 'Carol')).toMatchObject({ kind: 'asked', lease: { holder: 'Bob', request: { by: 'Carol', at: '2026-11-30T10:00:00.000Z' } } });
    advance(30);
    expect(locks.take('d_1', 'Bob', { seconds: 120 })).toMatchObject({ kind: 'renewed', lease: { request: { by: 'Carol' } } });
    const handed = locks.handOver('d_1', 'Bob', 'Carol');
    if (handed.kind !== 'handed-over') throw new Error(handed.kind);
    expect(handed.lease).toEqual({
      docId: 'd_1',
      holder: 'Carol',
      token: expect.stringMatching(/^urn:uuid:/),
      since: '2026-11-30T10:00:30.000Z',
      expires: '2026-11-30T10:03:00.000Z',
    });
    expect(handed.lease.token).not.toBe(taken.lease.token);
    expect(events.map((e) => e.type)).toEqual(['locked', 'requested', 'renewed', 'handed-over']);
    expect(locks.blocking('d_1', 'Bob')).toMatchObject({ holder: 'Carol' });
    expect(locks.blocking('d_1', 'Carol')).toBeNull();
  });

  it('a short lease handed over lasts at least the default minute', () => {
    const { locks } = table();
    locks.take('d_1', 'Bob', { seconds: 5 });
    locks.ask('d_1', 'Carol');
    const handed = locks.handOver('d_1', 'Bob', 'Carol');
    expect(handed).toMatchObject({ kind: 'handed-over', lease: { expires: '2026-11-30T10:01:00.000Z' } });
  });

  it('an expired lease takes its request with it', () => {
    const { locks, events, advance } = table();
    locks.take('d_1', 'Bob', { seconds: 10 });
    locks.ask('d_1', 'Carol');
    advance(11);
    expect(locks.handOver('d_1', 'Bob', 'Carol')).toEqual({ kind: 'not-held' });
    expect(locks.ask('d_1', 'Carol')).toEqual({ kind: 'not-held' });
    expect(events.map((e) => e.type)).toEqual(['locked', 'requested', 'expired']);
  });

  it('declining is for the holder or the asker; the lease stays as it was', () => {
    const { locks, events } = table();
    const { lease } = locks.take('d_1', 'Bob');
    expect(locks.decline('d_1', 'Bob')).toMatchObject({ kind: 'not-asked' });
    locks.ask('d_1', 'Carol');
    expect(locks.decline('d_1', 'Dana')).toMatchObject({ kind: 'locked' });
    expect(locks.decline('d_1', 'Carol')).toEqual({ kind: 'declined', lease });
    locks.ask('d_1', 'Carol');
    expect(locks.decline('d_1', 'Bob')).toEqual({ kind: 'declined', lease });
    expect(events.map((e) => e.type)).toEqual(['locked', 'requested', 'declined', 'requested', 'declined']);
    expect(events.at(-1)).toMatchObject({ by: 'Bob', lock: lease, previous: { request: { by: 'Carol' } } });
  });
});

describe('LockTable: taking, breaking and releasing', () => {
  it('takes a free lock, refuses another user without force, and breaks the lease with it, saying whose it was', () => {
    const { locks, events } = table();
    const taken = locks.take('d_1', 'Bob', { seconds: 60 });
    expect(taken).toMatchObject({ kind: 'taken', lease: { holder: 'Bob', since: '2026-11-30T10:00:00.000Z', expires: '2026-11-30T10:01:00.000Z' } });
    expect(locks.take('d_1', 'Carol')).toEqual({ kind: 'locked', lease: taken.lease });
    const broken = locks.take('d_1', 'Carol', { force: true });
    expect(broken).toMatchObject({ kind: 'broken', lease: { holder: 'Carol' }, previous: taken.lease });
    expect(events).toEqual([
      { type: 'locked', docId: 'd_1', lock: taken.lease, previous: null, by: 'Bob' },
      { type: 'broken', docId: 'd_1', lock: broken.lease, previous: taken.lease, by: 'Carol' },
    ]);
  });

  it('a release by the holder is told as released, one forced by another user as broken', () => {
    const { locks, events } = table();
    const bobs = locks.take('d_1', 'Bob').lease;
    expect(locks.release('d_1', 'Bob')).toEqual({ kind: 'released', previous: bobs });
    const carols = locks.take('d_1', 'Carol').lease;
    expect(locks.release('d_1', 'Bob', { force: false })).toEqual({ kind: 'locked', lease: carols });
    expect(locks.release('d_1', 'Bob', { force: true })).toEqual({ kind: 'released', previous: carols });
    expect(events.slice(1).filter((e) => e.lock === null)).toEqual([
      { type: 'released', docId: 'd_1', lock: null, previous: bobs, by: 'Bob' },
      { type: 'broken', docId: 'd_1', lock: null, previous: carols, by: 'Bob' },
    ]);
    expect(locks.current('d_1')).toBeNull();
  });

  it('a lease ends at its expiry: at that very moment it no longer blocks anyone', () => {
    const { locks, events, advance } = table();
    locks.take('d_1', 'Bob', { seconds: 10 });
    advance(9);
    expect(locks.blocking('d_1', 'Carol')).toMatchObject({ holder: 'Bob' });
    advance(1);
    expect(locks.blocking('d_1', 'Carol')).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['locked', 'expired']);
  });

  it('asking for one’s own lock asks nothing', () => {
    const { locks, events } = table();
    const { lease } = locks.take('d_1', 'Bob');
    expect(locks.ask('d_1', 'Bob')).toEqual({ kind: 'own', lease });
    expect(events.map((e) => e.type)).toEqual(['locked']);
  });

  it('forgets a deleted document’s lease, and clears every lease, telling no one', () => {
    const { locks, events } = table();
    locks.take('d_1', 'Bob');
    locks.take('d_2', 'Bob');
    locks.forget('d_1');
    expect(locks.current('d_1')).toBeNull();
    expect(locks.current('d_2')).toMatchObject({ holder: 'Bob' });
    locks.clear();
    expect(locks.current('d_2')).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['locked', 'locked']);
  });
});
