/**
 * Taking over a lock without breaking it (docs/protocol.md §1.11) over real HTTP: someone asks, the
 * holder hears it on the event stream and hands the lock over or keeps editing; and the event that
 * tells every tab a document's mode changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConcurrencyEvent, Lease, LockEvent, LockState } from '../src/protocol/concurrency.ts';
import { SseReader } from './sse-client.ts';
import { createDoc, expectProblem, jsonInit, useTestServer } from './test-server.ts';

const server = useTestServer();

const as = (user: string) => ({ 'X-User': user });
const lockUrl = (id: string) => `${server.url}/api/docs/${id}/lock`;

async function lockedBy(user: string): Promise<{ id: string; title: string; etag: string; lease: Lease }> {
  const { doc, etag } = await createDoc(server.url);
  expect((await fetch(`${server.url}/api/docs/${doc.id}/concurrency`, jsonInit('PUT', { concurrency: 'lock' }))).status).toBe(200);
  const taken = await fetch(lockUrl(doc.id), jsonInit('POST', { seconds: 120 }, as(user)));
  expect(taken.status).toBe(200);
  const { lock } = (await taken.json()) as LockState;
  if (!lock) throw new Error('no lease');
  return { id: doc.id, title: doc.title, etag, lease: lock };
}

const ask = (id: string, user: string) => fetch(`${lockUrl(id)}/requests`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...as(user) } });
const handOver = (id: string, user: string, to: string) => fetch(`${lockUrl(id)}/handover`, jsonInit('POST', { to }, as(user)));
const answerNo = (id: string, user: string) => fetch(`${lockUrl(id)}/requests`, { method: 'DELETE', headers: { 'Content-Type': 'application/json', ...as(user) } });
const save = (id: string, title: string, etag: string, user: string) =>
  fetch(`${server.url}/api/docs/${id}`, jsonInit('PUT', { title, content: `saved by ${user}` }, { 'If-Match': etag, ...as(user) }));

/** The next lock event of a stream about this document (others' tests share the server). */
async function nextLockEvent(events: SseReader, docId: string): Promise<LockEvent> {
  for (;;) {
    const event = await events.nextNamed<LockEvent>('lock');
    if (event.docId === docId) return event;
  }
}

describe('asking to take over a lock', () => {
  let events: SseReader;
  beforeAll(async () => {
    events = new SseReader(await fetch(`${server.url}/api/events`));
  });
  afterAll(async () => {
    await events.cancel();
  });

  it('the holder hears the request, hands the lock over, and only the one who asked may then save', async () => {
    const doc = await lockedBy('Bob');
    expect(await nextLockEvent(events, doc.id)).toMatchObject({ type: 'locked', by: 'Bob' });

    const asked = await ask(doc.id, 'Carol');
    expect(asked.status).toBe(200);
    const state = (await asked.json()) as LockState;
    expect(state.lock).toMatchObject({ holder: 'Bob', token: doc.lease.token, request: { by: 'Carol', at: expect.any(String) } });
    expect(await nextLockEvent(events, doc.id)).toMatchObject({ type: 'requested', by: 'Carol', lock: { holder: 'Bob', request: { by: 'Carol' } } });
    // Asking breaks nothing: Bob still holds it, and Carol is still refused.
    await expectProblem(await save(doc.id, doc.title, doc.etag, 'Carol'), 409, 'resource-locked');

    const handed = await handOver(doc.id, 'Bob', 'Carol');
    expect(handed.status).toBe(200);
    const after = (await handed.json()) as LockState;
    expect(after.lock).toMatchObject({ holder: 'Carol' });
    expect(after.lock?.token).not.toBe(doc.lease.token);
    expect(after.lock?.request).toBeUndefined();
    expect(handed.headers.get('lock-token')).toBe(`<${after.lock?.token}>`);
    expect(await nextLockEvent(events, doc.id)).toMatchObject({ type: 'handed-over', by: 'Bob', lock: { holder: 'Carol' }, previous: { holder: 'Bob' } });

    await expectProblem(await save(doc.id, doc.title, doc.etag, 'Bob'), 409, 'resource-locked');
    expect((await save(doc.id, doc.title, doc.etag, 'Carol')).status).toBe(200);
  });

  it('"Keep editing" drops the request and keeps the lease; a hand-over then has no one to go to', async () => {
    const doc = await lockedBy('Bob');
    expect((await ask(doc.id, 'Carol')).status).toBe(200);
    expect((await answerNo(doc.id, 'Bob')).status).toBe(204);
    const { lock } = (await (await fetch(lockUrl(doc.id))).json()) as LockState;
    expect(lock).toMatchObject({ holder: 'Bob', token: doc.lease.token });
    expect(lock?.request).toBeUndefined();
    const refused = await expectProblem(await handOver(doc.id, 'Bob', 'Carol'), 422, 'validation-failed');
    expect(refused).toMatchObject({ errors: [{ field: 'to' }] });
  });

  it('only the holder hands over, only to the one who asked; the asker may withdraw, others may not answer', async () => {
    const doc = await lockedBy('Bob');
    expect((await ask(doc.id, 'Carol')).status).toBe(200);
    await expectProblem(await handOver(doc.id, 'Carol', 'Carol'), 409, 'resource-locked');
    await expectProblem(await handOver(doc.id, 'Bob', 'Dana'), 422, 'validation-failed');
    await expectProblem(await answerNo(doc.id, 'Dana'), 409, 'resource-locked');
    // A later asker's request replaces the earlier one.
    expect((await ask(doc.id, 'Dana')).status).toBe(200);
    await expectProblem(await handOver(doc.id, 'Bob', 'Carol'), 422, 'validation-failed');
    expect((await answerNo(doc.id, 'Dana')).status).toBe(204);
    const { lock } = (await (await fetch(lockUrl(doc.id))).json()) as LockState;
    expect(lock).toMatchObject({ holder: 'Bob' });
    expect(lock?.request).toBeUndefined();
    // The holder asking for their own lock asks nothing.
    expect(((await (await ask(doc.id, 'Bob')).json()) as LockState).lock?.request).toBeUndefined();
  });

  it('a lock nobody holds cannot be asked for or handed over; bad bodies change nothing', async () => {
    const { doc } = await createDoc(server.url);
    await expectProblem(await ask(doc.id, 'Carol'), 409, 'lock-not-held');
    await expectProblem(await handOver(doc.id, 'Bob', 'Carol'), 409, 'lock-not-held');
    await expectProblem(await answerNo(doc.id, 'Bob'), 409, 'lock-not-held');
    const locked = await lockedBy('Bob');
    await expectProblem(await fetch(`${lockUrl(locked.id)}/handover`, jsonInit('POST', { to: '' }, as('Bob'))), 422, 'validation-failed');
    await expectProblem(await fetch(`${lockUrl(locked.id)}/handover`, jsonInit('POST', { to: 'Carol', force: true }, as('Bob'))), 422, 'validation-failed');
    await expectProblem(await fetch(`${lockUrl('d_unknown')}/requests`, jsonInit('POST', {}, as('Carol'))), 404, 'not-found');
    expect((await fetch(`${lockUrl(locked.id)}/handover`, { method: 'GET' })).status).toBe(405);
    const { lock } = (await (await fetch(lockUrl(locked.id))).json()) as LockState;
    expect(lock).toMatchObject({ holder: 'Bob', token: locked.lease.token });
  });
});

describe('the mode on the event stream', () => {
  it('tells every tab when a document gets a mode of its own, and when the server’s changes', async () => {
    const events = new SseReader(await fetch(`${server.url}/api/events`));
    try {
      const { doc } = await createDoc(server.url);
      expect((await fetch(`${server.url}/api/docs/${doc.id}/concurrency`, jsonInit('PUT', { concurrency: 'timestamp' }))).status).toBe(200);
      let event = await events.nextNamed<ConcurrencyEvent>('concurrency');
      expect(event).toEqual({ docId: doc.id, concurrency: 'timestamp', own: 'timestamp' });

      expect((await fetch(`${server.url}/api/simulation`, jsonInit('PATCH', { concurrency: 'none' }))).status).toBe(200);
      event = await events.nextNamed<ConcurrencyEvent>('concurrency');
      expect(event).toEqual({ docId: null, concurrency: 'none', own: null });
      expect((await fetch(`${server.url}/api/docs/${doc.id}/concurrency`, jsonInit('PUT', { concurrency: null }))).status).toBe(200);
      event = await events.nextNamed<ConcurrencyEvent>('concurrency');
      expect(event).toEqual({ docId: doc.id, concurrency: 'none', own: null });
    } finally {
      await fetch(`${server.url}/api/simulation`, jsonInit('PATCH', { concurrency: 'etag' }));
      await events.cancel();
    }
  });
});
