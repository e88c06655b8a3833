/**
 * What the lock routes answer, word for word and header by header (docs/protocol.md §1.11): a
 * lease with its token, a refusal that names the holder and what was refused, a forced release.
 */
import { describe, expect, it } from 'vitest';
import type { LockState } from '../../src/protocol/concurrency.ts';
import { createDoc, expectProblem, jsonInit, useTestServer } from '../test-server.ts';

// A server per test: the routes are registered as it starts, which then counts as part of the test
// (mutation testing sees which tests reach the registration of each route).
const server = useTestServer({ perTest: true });

const as = (user: string) => ({ 'X-User': user });
const lockUrl = (id: string) => `${server.url}/api/docs/${id}/lock`;
const take = (id: string, user: string, body: unknown = {}) => fetch(lockUrl(id), jsonInit('POST', body, as(user)));
const release = (id: string, user: string, query = '') =>
  fetch(`${lockUrl(id)}${query}`, { method: 'DELETE', headers: { 'Content-Type': 'application/json', ...as(user) } });
const lockOf = async (id: string) => ((await (await fetch(lockUrl(id))).json()) as LockState).lock;

/** "Ana is editing this document until 10:42 UTC; you cannot <action> it before …" */
function lockedDetail(holder: string, expires: string, action: string): string {
  return `${holder} is editing this document until ${expires.slice(11, 16)} UTC; you cannot ${action} it before the lock is released, expires or is broken.`;
}

describe('taking a lock', () => {
  it('answers with the lease as JSON, never cached, and its token in Lock-Token', async () => {
    const { doc } = await createDoc(server.url);
    const taken = await take(doc.id, 'Ana', { seconds: 30 });
    expect(taken.status).toBe(200);
    expect(taken.headers.get('content-type')).toBe('application/json');
    expect(taken.headers.get('cache-control')).toBe('no-store');
    const state = (await taken.json()) as LockState & { broke?: unknown };
    expect(state.lock).toMatchObject({ holder: 'Ana' });
    expect(taken.headers.get('lock-token')).toBe(`<${state.lock?.token}>`);
    expect(state).not.toHaveProperty('broke');
  });

  it('refuses a bad body with 422 and takes nothing', async () => {
    const { doc } = await createDoc(server.url);
    await expectProblem(await take(doc.id, 'Ana', { seconds: 1 }), 422, 'validation-failed');
    expect(await lockOf(doc.id)).toBeNull();
  });

  it('held by another is refused with the holder, the time and what was refused', async () => {
    const { doc } = await createDoc(server.url);
    const lease = ((await (await take(doc.id, 'Ana')).json()) as LockState).lock;
    if (!lease) throw new Error('no lease');
    const problem = await expectProblem(await take(doc.id, 'Bob'), 409, 'resource-locked');
    expect(problem.detail).toBe(lockedDetail('Ana', lease.expires, 'lock'));
    expect(problem).toMatchObject({ lock: { holder: 'Ana', token: lease.token } });
    const broken = (await (await take(doc.id, 'Bob', { force: true })).json()) as LockState & { broke?: { holder: string } };
    expect(broken).toMatchObject({ lock: { holder: 'Bob' }, broke: { holder: 'Ana', token: lease.token } });
  });
});

describe('releasing a lock', () => {
  it("another's needs force=true; without it the refusal names the holder", async () => {
    const { doc } = await createDoc(server.url);
    const lease = ((await (await take(doc.id, 'Ana')).json()) as LockState).lock;
    if (!lease) throw new Error('no lease');
    const refused = await expectProblem(await release(doc.id, 'Bob'), 409, 'resource-locked');
    expect(refused.detail).toBe(lockedDetail('Ana', lease.expires, 'unlock'));
    await expectProblem(await release(doc.id, 'Bob', '?force=yes'), 409, 'resource-locked');
    expect(await lockOf(doc.id)).toMatchObject({ holder: 'Ana' });
    expect((await release(doc.id, 'Bob', '?force=true')).status).toBe(204);
    expect(await lockOf(doc.id)).toBeNull();
  });
});

describe('a lock nobody holds', () => {
  it.each([
    { name: 'asked for', send: (id: string) => fetch(`${lockUrl(id)}/requests`, jsonInit('POST', {}, as('Bob'))), action: 'ask for' },
    { name: 'answered', send: (id: string) => release(id, 'Bob', '/requests'), action: 'answer a request for' },
    { name: 'handed over', send: (id: string) => fetch(`${lockUrl(id)}/handover`, jsonInit('POST', { to: 'Carol' }, as('Bob'))), action: 'hand over' },
  ])('cannot be $name: the refusal says so', async ({ send, action }) => {
    const { doc } = await createDoc(server.url);
    const problem = await expectProblem(await send(doc.id), 409, 'lock-not-held');
    expect(problem.detail).toBe(`Nobody holds the lock, so there is nothing to ${action}; take the lock instead.`);
  });
});

describe('a request to take over', () => {
  it('answered by someone else, or handed over by someone else, is refused with what was refused', async () => {
    const { doc } = await createDoc(server.url);
    const lease = ((await (await take(doc.id, 'Ana')).json()) as LockState).lock;
    if (!lease) throw new Error('no lease');
    expect((await fetch(`${lockUrl(doc.id)}/requests`, jsonInit('POST', {}, as('Carol')))).status).toBe(200);
    const answered = await expectProblem(await release(doc.id, 'Dana', '/requests'), 409, 'resource-locked');
    expect(answered.detail).toBe(lockedDetail('Ana', lease.expires, 'answer a request for the lock of'));
    const handed = await expectProblem(await fetch(`${lockUrl(doc.id)}/handover`, jsonInit('POST', { to: 'Carol' }, as('Dana'))), 409, 'resource-locked');
    expect(handed.detail).toBe(lockedDetail('Ana', lease.expires, 'hand over the lock of'));
    const notAsked = await expectProblem(await fetch(`${lockUrl(doc.id)}/handover`, jsonInit('POST', { to: 'Dana' }, as('Ana'))), 422, 'validation-failed');
    expect(notAsked).toMatchObject({
      detail: 'Dana has not asked to take over; the lock goes only to the one who asked.',
      errors: [{ field: 'to', message: 'Dana has not asked to take over; the lock goes only to the one who asked.' }],
    });
    const handedOver = await fetch(`${lockUrl(doc.id)}/handover`, jsonInit('POST', { to: 'Carol' }, as('Ana')));
    expect(handedOver.status).toBe(200);
    expect(handedOver.headers.get('content-type')).toBe('application/json');
    expect(handedOver.headers.get('cache-control')).toBe('no-store');
    const state = (await handedOver.json()) as LockState;
    expect(state).toMatchObject({ lock: { holder: 'Carol' } });
    expect(handedOver.headers.get('lock-token')).toBe(`<${state.lock?.token}>`);
  });
});
