/**
 * What the conflicts say, over real HTTP (docs/protocol.md §1.10): edit conflicts, lock refusals,
 * server merges and lost updates counted as the server answers them, under the document's mode;
 * outcomes carried by the resolving save or reported on their own; `GET /api/stats`, the
 * `event: stats` frame, and bad input. Each test has a server of its own, since the counts are the
 * whole server's.
 */
import { describe, expect, it } from 'vitest';
import type { StatsSnapshot } from '../src/protocol/stats.ts';
import type { Document } from '../src/protocol/types.ts';
import { SseReader } from './sse-client.ts';
import { changeInit, createDoc, expectProblem, jsonInit, saveDoc, uniqueTitle, useTestServer } from './test-server.ts';

const server = useTestServer({ perTest: true });

async function stats(query = ''): Promise<StatsSnapshot> {
  const response = await fetch(`${server.url}/api/stats${query}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  return (await response.json()) as StatsSnapshot;
}

/** Ana creates a document, Bob saves over it, and Ana's stale save gets the 409. */
async function conflictFor(user = 'Ana', title = uniqueTitle()) {
  const { doc, etag } = await createDoc(server.url, title, 'base', user);
  const bob = await saveDoc(server.url, doc.id, { title, content: 'Bob was here' }, etag, 'Bob');
  expect(bob.status).toBe(200);
  const stale = await saveDoc(server.url, doc.id, { title, content: `${user} was here` }, etag, user);
  const problem = await expectProblem(stale, 409, 'edit-conflict');
  return { doc, title, currentEtag: problem.currentEtag as string };
}

function resolve(id: string, body: { title: string; content: string }, ifMatch: string, headers: Record<string, string>, user = 'Ana') {
  return fetch(`${server.url}/api/docs/${id}`, jsonInit('PUT', body, { 'If-Match': ifMatch, 'X-User': user, ...headers }));
}

function report(body: unknown, user = 'Ana', init: Partial<RequestInit> = {}) {
  return fetch(`${server.url}/api/stats/outcomes`, { ...jsonInit('POST', body, { 'X-User': user }), ...init });
}

describe('GET /api/stats', () => {
  it('starts empty, with the hour’s timeline and the three windows', async () => {
    const snapshot = await stats();
    expect(snapshot.totals).toEqual({ conflicts: 0, lockRefusals: 0, serverMerges: 0, lostUpdates: 0, outcomes: { merge: 0, overwrite: 0, discard: 0, cancel: 0 } });
    expect(snapshot.byDocument).toEqual([]);
    expect(snapshot.windows.map((w) => w.minutes)).toEqual([1, 10, 60]);
    expect(snapshot.timeline).toHaveLength(60);
    expect(Date.parse(snapshot.since)).toBeLessThanOrEqual(Date.parse(snapshot.at));
    expect(snapshot.resolution).toMatchObject({ count: 0, medianMs: null, maxMs: null });
  });

  it('counts a 409 per document (with its title), per person and per mode', async () => {
    const { doc, title } = await conflictFor('Ana');
    const snapshot = await stats();
    expect(snapshot.totals.conflicts).toBe(1);
    expect(snapshot.byDocument).toEqual([{ id: doc.id, title, counts: expect.objectContaining({ conflicts: 1 }) }]);
    expect(snapshot.byUser.map((u) => [u.user, u.counts.conflicts])).toEqual([['Ana', 1]]);
    expect(snapshot.byMode.map((m) => [m.mode, m.counts.conflicts])).toEqual([['etag', 1]]);
    expect(snapshot.windows.map((w) => w.counts.conflicts)).toEqual([1, 1, 1]);
    expect(snapshot.timeline.at(-1)?.counts.conflicts).toBe(1);
  });

  it('counts a 412 the same, and a stale delete, but not a duplicate title', async () => {
    await fetch(`${server.url}/api/simulation`, jsonInit('PATCH', { conflictStatus: 412 }));
    const { doc, etag } = await createDoc(server.url);
    const saved = await saveDoc(server.url, doc.id, { title: doc.title, content: 'two' }, etag, 'Bob');
    await expectProblem(await saveDoc(server.url, doc.id, { title: doc.title, content: 'mine' }, etag, 'Ana'), 412, 'edit-conflict');
    await expectProblem(await fetch(`${server.url}/api/docs/${doc.id}`, changeInit('DELETE', { 'If-Match': etag, 'X-User': 'Cy' })), 412, 'edit-conflict');
    const other = await createDoc(server.url);
    await expectProblem(await saveDoc(server.url, doc.id, { title: other.doc.title, content: 'x' }, saved.headers.get('etag') ?? ''), 409, 'duplicate-title');

    const snapshot = await stats();
    expect(snapshot.totals.conflicts).toBe(2);
    expect(snapshot.byUser.map((u) => u.user).sort()).toEqual(['Ana', 'Cy']);
  });

  it('counts over a window of minutes when asked, and refuses a window it does not keep', async () => {
    await conflictFor();
    const recent = await stats('?window=10');
    expect(recent.windowMinutes).toBe(10);
    expect(recent.totals.conflicts).toBe(1);
    expect(recent.byUser).toHaveLength(1);
    for (const bad of ['0', '61', 'ten', '1.5', '', '010']) {
      const problem = await expectProblem(await fetch(`${server.url}/api/stats?window=${bad}`), 400, 'bad-request');
      expect(problem.detail).toMatch(/minutes from 1 to 60/);
    }
  });

  it('answers other methods with 405 and Allow', async () => {
    const response = await fetch(`${server.url}/api/stats`, changeInit('DELETE'));
    await expectProblem(response, 405, 'method-not-allowed');
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    const outcomes = await fetch(`${server.url}/api/stats/outcomes`);
    await expectProblem(outcomes, 405, 'method-not-allowed');
    expect(outcomes.headers.get('allow')).toBe('POST');
  });
});

async function docInMode(mode: string, content = 'first') {
  const created = await createDoc(server.url, uniqueTitle(), content);
  const set = await fetch(`${server.url}/api/docs/${created.doc.id}/concurrency`, jsonInit('PUT', { concurrency: mode }));
  expect(set.status).toBe(200);
  return created;
}

describe('events of the other concurrency modes', () => {
  it('counts a lock refusal of a save and of a transition, under the document\'s mode, but not a refused lock request', async () => {
    const { doc, etag } = await docInMode('lock');
    const lockUrl = `${server.url}/api/docs/${doc.id}/lock`;
    expect((await fetch(lockUrl, jsonInit('POST', {}, { 'X-User': 'Bob' }))).status).toBe(200);
    await expectProblem(await saveDoc(server.url, doc.id, { title: doc.title, content: 'Ana' }, etag, 'Ana'), 409, 'resource-locked');
    const transition = await fetch(`${server.url}/api/docs/${doc.id}/transitions`, jsonInit('POST', { to: 'published' }, { 'If-Match': etag, 'X-User': 'Ana' }));
    await expectProblem(transition, 409, 'resource-locked');
    await expectProblem(await fetch(lockUrl, jsonInit('POST', {}, { 'X-User': 'Cy' })), 409, 'resource-locked');

    const snapshot = await stats();
    expect(snapshot.totals).toMatchObject({ conflicts: 0, lockRefusals: 2, serverMerges: 0, lostUpdates: 0 });
    expect(snapshot.byMode.map((m) => [m.mode, m.counts.lockRefusals])).toEqual([['lock', 2]]);
    expect(snapshot.byUser.map((u) => [u.user, u.counts.lockRefusals])).toEqual([['Ana', 2]]);
    expect(snapshot.byDocument).toEqual([{ id: doc.id, title: doc.title, counts: expect.objectContaining({ lockRefusals: 2 }) }]);
  });

  it('counts a save the server merged, and a real conflict in the same mode as a conflict', async () => {
    const { doc, etag } = await docInMode('server-merge', 'one\ntwo\nthree\n');
    expect((await saveDoc(server.url, doc.id, { title: doc.title, content: 'ONE\ntwo\nthree\n' }, etag, 'Bob')).status).toBe(200);
    const merged = await saveDoc(server.url, doc.id, { title: doc.title, content: 'one\ntwo\nTHREE\n' }, etag, 'Ana');
    expect(merged.status).toBe(200);
    expect(((await merged.json()) as { mergedFrom?: number[] }).mergedFrom).toEqual([1, 2]);
    await expectProblem(await saveDoc(server.url, doc.id, { title: doc.title, content: 'uno\ntwo\nthree\n' }, etag, 'Cy'), 409, 'edit-conflict');

    const snapshot = await stats();
    expect(snapshot.totals).toMatchObject({ conflicts: 1, serverMerges: 1, lockRefusals: 0, lostUpdates: 0 });
    expect(snapshot.byMode).toEqual([{ mode: 'server-merge', counts: expect.objectContaining({ conflicts: 1, serverMerges: 1 }) }]);
    expect(snapshot.byUser.map((u) => [u.user, u.counts.serverMerges, u.counts.conflicts])).toEqual([['Ana', 1, 0], ['Cy', 0, 1]]);
  });

  it('counts each version a save replaced unseen as a lost update of the one who saved', async () => {
    const { doc, etag } = await docInMode('none');
    expect((await saveDoc(server.url, doc.id, { title: doc.title, content: 'Bob' }, etag, 'Bob')).status).toBe(200);
    const blind = await saveDoc(server.url, doc.id, { title: doc.title, content: 'Ana' }, etag, 'Ana');
    expect(blind.status).toBe(200);
    expect(((await blind.json()) as { overwrote?: number[] }).overwrote).toEqual([2]);

    const snapshot = await stats();
    expect(snapshot.totals).toMatchObject({ conflicts: 0, lostUpdates: 1 });
    expect(snapshot.byMode.map((m) => [m.mode, m.counts.lostUpdates])).toEqual([['none', 1]]);
    expect(snapshot.byUser.map((u) => [u.user, u.counts.lostUpdates])).toEqual([['Ana', 1]]);
  });
});

describe('outcomes', () => {
  it('counts a merge carried by the resolving save, times it from the 409, and a retried save only once', async () => {
    const { doc, title, currentEtag } = await conflictFor('Ana');
    const headers = { 'Conflict-Resolution': 'merge', 'Idempotency-Key': 'attempt-1' };
    const merged = await resolve(doc.id, { title, content: 'Bob was here, and Ana' }, currentEtag, headers);
    expect(merged.status).toBe(200);
    expect(((await merged.json()) as Document).version).toBe(3);
    // The same attempt again, as a client does when the answer was lost.
    expect((await resolve(doc.id, { title, content: 'Bob was here, and Ana' }, currentEtag, headers)).status).toBe(200);

    const snapshot = await stats();
    expect(snapshot.totals.outcomes).toEqual({ merge: 1, overwrite: 0, discard: 0, cancel: 0 });
    expect(snapshot.byUser.find((u) => u.user === 'Ana')?.counts.outcomes.merge).toBe(1);
    expect(snapshot.resolution.count).toBe(1);
    expect(snapshot.resolution.byOutcome.merge).toMatchObject({ count: 1, medianMs: expect.any(Number) });
    expect(snapshot.resolution.byOutcome.merge.medianMs).toBeGreaterThanOrEqual(0);
  });

  it('does not count an overwrite whose save met another conflict', async () => {
    const { doc, title, currentEtag } = await conflictFor('Ana');
    await saveDoc(server.url, doc.id, { title, content: 'Carol too' }, currentEtag, 'Carol');
    await expectProblem(await resolve(doc.id, { title, content: 'mine' }, currentEtag, { 'Conflict-Resolution': 'overwrite' }), 409, 'edit-conflict');
    const snapshot = await stats();
    expect(snapshot.totals.outcomes.overwrite).toBe(0);
    expect(snapshot.totals.conflicts).toBe(2);
  });

  it('counts a discard and a cancel reported on their own; only the discard ends the conflict', async () => {
    const { doc } = await conflictFor('Ana');
    expect((await report({ docId: doc.id, outcome: 'cancel' })).status).toBe(204);
    expect((await stats()).resolution.count).toBe(0);
    expect((await report({ docId: doc.id, outcome: 'discard' })).status).toBe(204);
    const snapshot = await stats();
    expect(snapshot.totals.outcomes).toMatchObject({ cancel: 1, discard: 1 });
    expect(snapshot.resolution.byOutcome.discard.count).toBe(1);
    expect(snapshot.byDocument[0]?.counts.outcomes).toMatchObject({ cancel: 1, discard: 1 });
  });

  it('refuses a Conflict-Resolution that is not merge or overwrite, and saves nothing', async () => {
    const { doc, title, currentEtag } = await conflictFor('Ana');
    for (const value of ['discard', 'yes', '']) {
      const problem = await expectProblem(await resolve(doc.id, { title, content: 'mine' }, currentEtag, { 'Conflict-Resolution': value }), 400, 'bad-request');
      expect(problem.header).toBe('Conflict-Resolution');
    }
    const current = (await (await fetch(`${server.url}/api/docs/${doc.id}`)).json()) as Document;
    expect(current.version).toBe(2);
    expect((await stats()).totals.outcomes.discard).toBe(0);
  });
});

describe('bad outcome reports', () => {
  const cases: Array<{ name: string; body: unknown; field: string }> = [
    { name: 'not an object', body: [1], field: '' },
    { name: 'no docId', body: { outcome: 'discard' }, field: 'docId' },
    { name: 'an empty docId', body: { docId: '', outcome: 'discard' }, field: 'docId' },
    { name: 'a docId that is a number', body: { docId: 7, outcome: 'cancel' }, field: 'docId' },
    { name: 'an over-long docId', body: { docId: 'd'.repeat(201), outcome: 'cancel' }, field: 'docId' },
    { name: 'an unknown outcome', body: { docId: 'd_1', outcome: 'shrug' }, field: 'outcome' },
    { name: 'a merge (it travels with its save)', body: { docId: 'd_1', outcome: 'merge' }, field: 'outcome' },
    { name: 'an unknown field', body: { docId: 'd_1', outcome: 'cancel', user: 'Eve' }, field: 'user' },
    { name: 'a __proto__ field', body: '{"docId":"d_1","outcome":"cancel","__proto__":{"polluted":1}}', field: '__proto__' },
  ];
  for (const { name, body, field } of cases) {
    it(`answers ${name} with 422 naming ${field || 'the body'}, and counts nothing`, async () => {
      const problem = await expectProblem(await report(body), 422, 'validation-failed');
      expect((problem.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
      expect((await stats()).totals.outcomes).toEqual({ merge: 0, overwrite: 0, discard: 0, cancel: 0 });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('answers malformed JSON with 400 and another media type with 415', async () => {
    await expectProblem(await report('{"docId":', 'Ana'), 400, 'bad-request');
    await expectProblem(await report({}, 'Ana', { headers: { 'Content-Type': 'text/plain' } }), 415, 'unsupported-media-type');
    expect((await stats()).byDocument).toEqual([]);
  });
});

describe('names that are prototype keys', () => {
  it('keeps __proto__, constructor and toString as people and documents like any other', async () => {
    const names = ['__proto__', 'constructor', 'toString'];
    for (const name of names) {
      await conflictFor(name);
      expect((await report({ docId: name, outcome: 'cancel' }, name)).status).toBe(204);
    }
    const snapshot = await stats();
    expect(snapshot.byUser.map((u) => [u.user, u.counts.conflicts, u.counts.outcomes.cancel]).sort()).toEqual([
      ['__proto__', 1, 1],
      ['constructor', 1, 1],
      ['toString', 1, 1],
    ]);
    expect(snapshot.byDocument.filter((d) => names.includes(d.id)).map((d) => d.counts.outcomes.cancel)).toEqual([1, 1, 1]);
    expect(({} as Record<string, unknown>).conflicts).toBeUndefined();
  });
});

describe('the event stream', () => {
  it('sends the counts as an `event: stats` frame without an id, one for a burst', async () => {
    const response = await fetch(`${server.url}/api/events`);
    const reader = new SseReader(response);
    await reader.next();
    const { doc, title, currentEtag } = await conflictFor('Ana');
    await resolve(doc.id, { title, content: 'mine' }, currentEtag, { 'Conflict-Resolution': 'overwrite' });

    let frame: StatsSnapshot | null = null;
    let frames = 0;
    while (!frame || frame.totals.outcomes.overwrite === 0) {
      const message = await reader.next();
      if (!message) throw new Error('The stream ended before a stats frame.');
      if (message.event !== 'stats') continue;
      expect(message.id).toBeNull();
      frames += 1;
      frame = JSON.parse(message.data) as StatsSnapshot;
    }
    await reader.cancel();
    expect(frame.totals).toMatchObject({ conflicts: 1, outcomes: { overwrite: 1 } });
    expect(frame.byDocument[0]).toMatchObject({ id: doc.id, title });
    // Two events within the frame's wait are one frame (or, on a slow machine, at most two).
    expect(frames).toBeLessThanOrEqual(2);
  });
});
