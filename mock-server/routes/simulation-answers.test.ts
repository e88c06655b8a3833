/**
 * The simulation and presence routes' answers, over real HTTP: the words of their refusals, the
 * `concurrency` event only when the server's mode changes, and lock leases on the server's clock.
 */
import { describe, expect, it } from 'vitest';
import type { ConcurrencyEvent, LockState } from '../../src/protocol/concurrency.ts';
import type { StatsSnapshot } from '../../src/protocol/stats.ts';
import { SseReader } from '../sse-client.ts';
import { createDoc, expectProblem, jsonInit, saveDoc, startTestServer, useTestServer } from '../test-server.ts';

const server = useTestServer({ perTest: true });

describe('a scenario', () => {
  it('that does not exist is refused with the names of those that do, and changes nothing', async () => {
    const { doc } = await createDoc(server.url, undefined, 'kept');
    const response = await fetch(`${server.url}/api/docs/${doc.id}/scenarios/everything`, jsonInit('POST', {}));
    expect(await expectProblem(response, 422, 'validation-failed')).toMatchObject({
      detail: 'There is no scenario "everything"; the scenarios are same-line, other-paragraph, delete.',
      errors: [{ field: 'name', message: 'Use one of same-line, other-paragraph, delete.' }],
    });
    expect(((await (await fetch(`${server.url}/api/docs/${doc.id}`)).json()) as { version: number }).version).toBe(1);
  });
});

describe('a presence announcement', () => {
  it('with a token that is not of an open stream of that tab is refused with 403 that says what to do', async () => {
    const response = await fetch(`${server.url}/api/presence/tab-7`, jsonInit('PUT', { user: 'Ana', color: '#0b57d0', docId: null, token: 'not-a-token' }));
    expect((await expectProblem(response, 403, 'stale-presence-token')).detail).toBe(
      'The token is not that of an open event stream of tab-7: open GET /api/events?client=tab-7 and send the token of its first event.',
    );
  });
});

describe("the server's mode", () => {
  it('is told to every tab when it changes, and not when other settings do', async () => {
    const events = new SseReader(await fetch(`${server.url}/api/events`));
    try {
      expect((await fetch(`${server.url}/api/simulation`, jsonInit('PATCH', { latencyMs: 0, concurrency: 'etag' }))).status).toBe(200);
      expect((await fetch(`${server.url}/api/simulation`, jsonInit('PATCH', { concurrency: 'lock' }))).status).toBe(200);
      // The first concurrency event is the change to lock: the patches before it changed no mode.
      expect(await events.nextNamed<ConcurrencyEvent>('concurrency')).toEqual({ docId: null, concurrency: 'lock', own: null });
    } finally {
      await events.cancel();
    }
  });
});

describe('a lock lease', () => {
  it("runs on the server's clock", async () => {
    let now = Date.parse('2026-11-30T10:00:00Z');
    const clocked = await startTestServer({ now: () => new Date(now) });
    try {
      const { doc } = await createDoc(clocked.url);
      const taken = await fetch(`${clocked.url}/api/docs/${doc.id}/lock`, jsonInit('POST', { seconds: 5 }, { 'X-User': 'Ana' }));
      expect(((await taken.json()) as LockState).lock).toMatchObject({ since: '2026-11-30T10:00:00.000Z', expires: '2026-11-30T10:00:05.000Z' });
      now += 6_000;
      expect(((await (await fetch(`${clocked.url}/api/docs/${doc.id}/lock`)).json()) as LockState).lock).toBeNull();
    } finally {
      await clocked.close();
    }
  });
});

describe('the window of the stats', () => {
  it.each(['1', '5', '10', '60'])('of %s minutes is taken', async (window) => {
    expect((await fetch(`${server.url}/api/stats?window=${window}`)).status).toBe(200);
  });

  it.each(['0', '05', '61', '100', '1.5', 'x', ''])('of %j is refused with 400 that says what a window is', async (window) => {
    const problem = await expectProblem(await fetch(`${server.url}/api/stats?window=${window}`), 400, 'bad-request');
    expect(problem.detail).toBe('The window is a whole number of minutes from 1 to 60 (leave it out for everything since the server started).');
  });
});

describe('what the stats count of a write', () => {
  const totals = async () => ((await (await fetch(`${server.url}/api/stats`)).json()) as StatsSnapshot).totals;
  const NOTHING = { conflicts: 0, lockRefusals: 0, serverMerges: 0, lostUpdates: 0, outcomes: { merge: 0, overwrite: 0, discard: 0, cancel: 0 } };

  it('is nothing for a 409 that is not an edit conflict or a lock, nor for a refused resolving save', async () => {
    const { doc: taken } = await createDoc(server.url);
    const { doc, etag } = await createDoc(server.url);
    const renamed = await saveDoc(server.url, doc.id, { title: taken.title, content: 'x' }, etag);
    await expectProblem(renamed, 409, 'duplicate-title');
    const archived = await fetch(`${server.url}/api/docs/${doc.id}/transitions`, jsonInit('POST', { to: 'archived' }, { 'If-Match': etag }));
    await expectProblem(archived, 409, 'resource-state');
    const invalid = await fetch(`${server.url}/api/docs/${doc.id}`, jsonInit('PUT', { content: 'no title' }, { 'If-Match': etag, 'Conflict-Resolution': 'overwrite' }));
    await expectProblem(invalid, 422, 'validation-failed');
    expect(await totals()).toEqual(NOTHING);
  });

  it('counts a stale delete as a conflict, and reads Conflict-Resolution only on a PUT', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, 'one');
    const saved = await saveDoc(server.url, doc.id, { title: doc.title, content: 'two' }, etag, 'Bob');
    const current = saved.headers.get('etag') ?? '';
    const patched = await fetch(`${server.url}/api/docs/${doc.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': current, 'Conflict-Resolution': 'sideways' },
      body: JSON.stringify({ content: 'three' }),
    });
    expect(patched.status).toBe(200);
    const stale = await fetch(`${server.url}/api/docs/${doc.id}`, { method: 'DELETE', headers: { 'Content-Type': 'application/json', 'If-Match': etag, 'Conflict-Resolution': 'overwrite' } });
    await expectProblem(stale, 409, 'edit-conflict');
    expect(await totals()).toEqual({ ...NOTHING, conflicts: 1 });
  });

  it('refuses a resolution that is not merge or overwrite with words that say where a discard goes', async () => {
    const { doc, etag } = await createDoc(server.url);
    const response = await fetch(`${server.url}/api/docs/${doc.id}`, jsonInit('PUT', { title: doc.title, content: 'x' }, { 'If-Match': etag, 'Conflict-Resolution': 'discard' }));
    expect((await expectProblem(response, 400, 'bad-request')).detail).toBe(
      'Conflict-Resolution is "merge" or "overwrite" (a discard or a cancel saves nothing: POST it to /api/stats/outcomes).',
    );
  });
});

describe('a lost update in the stats', () => {
  it('is counted under the document, with its title, against the one who saved', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, 'one');
    expect((await fetch(`${server.url}/api/docs/${doc.id}/concurrency`, jsonInit('PUT', { concurrency: 'none' }))).status).toBe(200);
    expect((await saveDoc(server.url, doc.id, { title: doc.title, content: 'Bob was here' }, etag, 'Bob')).status).toBe(200);
    expect((await saveDoc(server.url, doc.id, { title: doc.title, content: 'Alice was here' }, etag, 'Alice')).status).toBe(200);
    const snapshot = (await (await fetch(`${server.url}/api/stats`)).json()) as StatsSnapshot;
    expect(snapshot.totals.lostUpdates).toBe(1);
    expect(snapshot.byDocument).toEqual([expect.objectContaining({ id: doc.id, title: doc.title })]);
    expect(snapshot.byUser).toEqual([expect.objectContaining({ user: 'Alice' })]);
  });
});
