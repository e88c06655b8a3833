/**
 * The routes of a document's lock, mode, transitions and scenarios answer for a document that
 * does not exist (404) or was deleted (410) as its own route does, before they read a body or
 * change anything; and a lock says whether the document's mode enforces it.
 */
import { describe, expect, it } from 'vitest';
import type { LockState } from '../../src/protocol/concurrency.ts';
import { changeInit, createDoc, expectProblem, jsonInit, useTestServer } from '../test-server.ts';

// A server per test: the routes are registered as it starts, which then counts as part of the test
// (mutation testing sees which tests reach the registration of each route).
const server = useTestServer({ perTest: true });

const requests: Array<{ name: string; init: (etag: string) => RequestInit; path: string }> = [
  { name: 'GET lock', path: 'lock', init: () => ({}) },
  { name: 'POST lock', path: 'lock', init: () => jsonInit('POST', { seconds: 60 }) },
  { name: 'DELETE lock', path: 'lock', init: () => changeInit('DELETE') },
  { name: 'POST lock request', path: 'lock/requests', init: () => changeInit('POST') },
  { name: 'DELETE lock request', path: 'lock/requests', init: () => changeInit('DELETE') },
  { name: 'POST hand-over', path: 'lock/handover', init: () => jsonInit('POST', { to: 'Bob' }) },
  { name: 'GET mode', path: 'concurrency', init: () => ({}) },
  { name: 'PUT mode', path: 'concurrency', init: () => jsonInit('PUT', { concurrency: 'lock' }) },
  { name: 'POST transition', path: 'transitions', init: (etag) => jsonInit('POST', { to: 'published' }, { 'If-Match': etag }) },
  { name: 'POST scenario', path: 'scenarios/same-line', init: () => changeInit('POST') },
];

describe.each(requests)('$name', ({ path, init }) => {
  it('of a document that never existed → 404 naming it', async () => {
    const problem = await expectProblem(await fetch(`${server.url}/api/docs/d_never/${path}`, init('"x"')), 404, 'not-found');
    expect(problem).toMatchObject({ id: 'd_never', detail: 'There is no document d_never.' });
  });

  it('of a deleted document → 410 naming who deleted it, and nothing changes', async () => {
    const { doc, etag } = await createDoc(server.url);
    expect((await fetch(`${server.url}/api/docs/${doc.id}`, changeInit('DELETE', { 'If-Match': etag, 'X-User': 'Carol' }))).status).toBe(204);
    const problem = await expectProblem(await fetch(`${server.url}/api/docs/${doc.id}/${path}`, init(etag)), 410, 'gone');
    expect(problem).toMatchObject({ id: doc.id, deletedBy: 'Carol' });
    const mode = (await (await fetch(`${server.url}/api/simulation`)).json()) as { documentConcurrency: Record<string, string> };
    expect(mode.documentConcurrency[doc.id]).toBeUndefined();
  });
});

describe('a lock', () => {
  it('is enforced only while the document is in the lock mode', async () => {
    const { doc } = await createDoc(server.url);
    const state = async () => (await (await fetch(`${server.url}/api/docs/${doc.id}/lock`)).json()) as LockState;
    expect(await state()).toEqual({ lock: null, enforced: false });
    expect((await fetch(`${server.url}/api/docs/${doc.id}/concurrency`, jsonInit('PUT', { concurrency: 'lock' }))).status).toBe(200);
    expect(await state()).toEqual({ lock: null, enforced: true });
    const taken = await fetch(`${server.url}/api/docs/${doc.id}/lock`, jsonInit('POST', {}, { 'X-User': 'Ana' }));
    expect(((await taken.json()) as LockState).enforced).toBe(true);
    expect((await fetch(`${server.url}/api/docs/${doc.id}/concurrency`, jsonInit('PUT', { concurrency: null }))).status).toBe(200);
    expect(await state()).toMatchObject({ lock: { holder: 'Ana' }, enforced: false });
  });
});

describe("a document's own mode", () => {
  const setMode = (id: string, body: unknown) => fetch(`${server.url}/api/docs/${id}/concurrency`, jsonInit('PUT', body));
  const ownModes = async () => ((await (await fetch(`${server.url}/api/simulation`)).json()) as { documentConcurrency: Record<string, string> }).documentConcurrency;

  it('is set, refused when bad, and dropped with null so the document follows the server again', async () => {
    const { doc } = await createDoc(server.url);
    const set = await setMode(doc.id, { concurrency: 'timestamp' });
    expect(await set.json()).toEqual({ id: doc.id, concurrency: 'timestamp', own: 'timestamp' });
    await expectProblem(await setMode(doc.id, { concurrency: 'optimistic' }), 422, 'validation-failed');
    expect(await (await fetch(`${server.url}/api/docs/${doc.id}/concurrency`)).json()).toEqual({ id: doc.id, concurrency: 'timestamp', own: 'timestamp' });
    expect(await ownModes()).toHaveProperty(doc.id, 'timestamp');
    const dropped = await setMode(doc.id, { concurrency: null });
    expect(await dropped.json()).toEqual({ id: doc.id, concurrency: 'etag', own: null });
    expect(Object.keys(await ownModes())).not.toContain(doc.id);
  });
});
