/**
 * The simulation API of src/protocol/simulation.ts over real HTTP: settings, the bot, the reset,
 * the scenarios and presence on the event stream. Each test starts a server of its own, since
 * these controls change the whole server.
 */
import { describe, expect, it } from 'vitest';
import type { PresenceSnapshot } from '../src/protocol/presence.ts';
import type { ResetResult, ScenarioResult, SimulationState } from '../src/protocol/simulation.ts';
import type { Document, DocumentSummary } from '../src/protocol/types.ts';
import { SseReader } from './sse-client.ts';
import { createDoc, expectProblem, jsonInit, saveDoc, useTestServer, changeInit } from './test-server.ts';

const server = useTestServer({ perTest: true });

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function current(base: string, id: string): Promise<{ doc: Document; etag: string }> {
  const response = await fetch(`${base}/api/docs/${id}`);
  expect(response.status).toBe(200);
  return { doc: await json<Document>(response), etag: response.headers.get('etag') ?? '' };
}

/** The next presence snapshot on a stream, skipping document events and comments. */
async function nextPresence(reader: SseReader): Promise<PresenceSnapshot> {
  for (;;) {
    const message = await reader.next();
    if (!message) throw new Error('The stream ended before a presence event.');
    if (message.event === 'presence') {
      expect(message.id).toBeNull();
      return JSON.parse(message.data) as PresenceSnapshot;
    }
  }
}

describe('settings', () => {
  it('reads and changes latency, jitter and the conflict status, and a failed If-Match then answers 412', async () => {
    const base = server.url;
    const initial = await json<SimulationState>(await fetch(`${base}/api/simulation`));
    expect(initial).toEqual({
      conflictStatus: 409,
      latencyMs: 0,
      jitterMs: 0,
      concurrency: 'etag',
      documentConcurrency: {},
      lostUpdates: 0,
      bot: { docId: null, intervalSeconds: 5, user: 'Bot', saves: 0 } });

    const changed = await fetch(`${base}/api/simulation`, jsonInit('PATCH', { conflictStatus: 412, latencyMs: 120 }));
    expect(changed.status).toBe(200);
    expect(await json<SimulationState>(changed)).toMatchObject({ conflictStatus: 412, latencyMs: 120, jitterMs: 0 });

    const { doc, etag } = await createDoc(base);
    const bobs = await saveDoc(base, doc.id, { title: doc.title, content: 'Bob' }, etag, 'Bob');
    const bobsEtag = bobs.headers.get('etag');
    expect(bobsEtag).toMatch(/^"[^"]+"$/);
    const started = performance.now();
    const stale = await saveDoc(base, doc.id, { title: doc.title, content: 'Ana' }, etag, 'Ana');
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    const problem = await expectProblem(stale, 412, 'edit-conflict');
    expect(problem.currentEtag).toBe(bobsEtag);
    expect(problem.current).toMatchObject({ content: 'Bob', updatedBy: 'Bob', version: 2 });
  });

  it('refuses bad values with a problem naming the field, and changes nothing', async () => {
    const base = server.url;
    for (const body of [{ latencyMs: -5 }, { latencyMs: 'lots' }, { jitterMs: 20_000 }, { conflictStatus: 500 }, { latencyMs: 10, bodyLimit: 1 }, [1]]) {
      const problem = await expectProblem(await fetch(`${base}/api/simulation`, jsonInit('PATCH', body)), 422, 'validation-failed');
      expect(Array.isArray(problem.errors)).toBe(true);
    }
    await expectProblem(await fetch(`${base}/api/simulation`, jsonInit('PATCH', '{"latencyMs":')), 400, 'bad-request');
    await expectProblem(await fetch(`${base}/api/simulation`, { method: 'PATCH', body: 'latencyMs=5' }), 415, 'unsupported-media-type');
    await expectProblem(await fetch(`${base}/api/simulation`, changeInit('POST')), 405, 'method-not-allowed');
    expect(await json<SimulationState>(await fetch(`${base}/api/simulation`))).toMatchObject({ conflictStatus: 409, latencyMs: 0, jitterMs: 0 });
  });
});

describe('the bot', () => {
  it('saves the chosen document every interval under its name, and stops when told', async () => {
    const base = server.url;
    const { doc } = await createDoc(base, undefined, 'one\ntwo\nthree\n');
    const started = await fetch(`${base}/api/simulation/bot`, jsonInit('PUT', { docId: doc.id, intervalSeconds: 1 }));
    expect(await json<SimulationState>(started)).toMatchObject({ bot: { docId: doc.id, intervalSeconds: 1, user: 'Bot', saves: 0 } });

    await expect.poll(async () => (await current(base, doc.id)).doc.version, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    const edited = (await current(base, doc.id)).doc;
    expect(edited.updatedBy).toBe('Bot');
    expect(edited.content).not.toBe('one\ntwo\nthree\n');
    const state = await json<SimulationState>(await fetch(`${base}/api/simulation`));
    expect(state.bot.saves).toBeGreaterThanOrEqual(2);

    const stopped = await json<SimulationState>(await fetch(`${base}/api/simulation/bot`, changeInit('DELETE')));
    expect(stopped.bot.docId).toBeNull();
    const at = (await current(base, doc.id)).doc.version;
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect((await current(base, doc.id)).doc.version).toBe(at);
  });

  it('stops by itself when its document is deleted', async () => {
    const base = server.url;
    const { doc, etag } = await createDoc(base);
    await fetch(`${base}/api/simulation/bot`, jsonInit('PUT', { docId: doc.id, intervalSeconds: 1, user: 'Robo' }));
    expect((await fetch(`${base}/api/docs/${doc.id}`, changeInit('DELETE', { 'If-Match': etag }))).status).toBe(204);
    await expect
      .poll(async () => (await json<SimulationState>(await fetch(`${base}/api/simulation`))).bot.docId, { timeout: 3_000 })
      .toBeNull();
  });

  it('refuses an unknown document, a bad interval and a missing id', async () => {
    const base = server.url;
    await expectProblem(await fetch(`${base}/api/simulation/bot`, jsonInit('PUT', { docId: 'd_nothing', intervalSeconds: 2 })), 404, 'not-found');
    await expectProblem(await fetch(`${base}/api/simulation/bot`, jsonInit('PUT', { docId: 'd_x', intervalSeconds: 0 })), 422, 'validation-failed');
    await expectProblem(await fetch(`${base}/api/simulation/bot`, jsonInit('PUT', { intervalSeconds: 2 })), 422, 'validation-failed');
    expect((await json<SimulationState>(await fetch(`${base}/api/simulation`))).bot.docId).toBeNull();
  });
});

describe('reset', () => {
  it('deletes every document and creates the seed documents again as version 1, with events', async () => {
    const base = server.url;
    const { doc } = await createDoc(base);
    const events = new SseReader(await fetch(`${base}/api/events`));
    const reset = await fetch(`${base}/api/simulation/reset`, changeInit('POST', { 'X-User': 'Teacher' }));
    expect(reset.status).toBe(200);
    const { docs } = await json<ResetResult>(reset);
    expect(docs.map((d) => d.title).sort()).toEqual(['Retry with backoff (snippet)', 'Team meeting notes', 'Why saves conflict']);
    expect(docs.every((d) => d.version === 1)).toBe(true);

    const listed = await json<{ docs: DocumentSummary[] }>(await fetch(`${base}/api/docs`));
    expect(listed.docs).toEqual(docs);
    const gone = await expectProblem(await fetch(`${base}/api/docs/${doc.id}`), 410, 'gone');
    expect(gone.deletedBy).toBe('Teacher');

    const seen: string[] = [];
    while (seen.length < 7) {
      const event = await events.nextEvent();
      if (event && event.event !== 'presence') seen.push(event.event ?? '');
    }
    expect(seen).toEqual(['deleted', 'deleted', 'deleted', 'deleted', 'created', 'created', 'created']);
    await events.cancel();
  });
});

describe('scenarios', () => {
  const PLAN = '# Plan\n\nMonday: write the outline.\nTuesday: first draft.\n\n- Review on Friday\n';

  it('same-line rewrites the given line as Bob, naming the version read in If-Match', async () => {
    const base = server.url;
    const { doc } = await createDoc(base, undefined, PLAN);
    const response = await fetch(`${base}/api/docs/${doc.id}/scenarios/same-line`, jsonInit('POST', { line: 2 }));
    expect(response.status).toBe(200);
    const result = await json<ScenarioResult>(response);
    expect(result.scenario).toBe('same-line');
    expect(result.document?.version).toBe(2);
    expect(result.document?.updatedBy).toBe('Bob');
    expect(result.document?.content.split('\n')[2]).toBe('Bob rewrote this line');
    const { etag } = await current(base, doc.id);
    expect(result.etag).toBe(etag);
  });

  it('other-paragraph edits away from the line; delete deletes; a body is optional', async () => {
    const base = server.url;
    const { doc } = await createDoc(base, undefined, PLAN);
    const other = await json<ScenarioResult>(await fetch(`${base}/api/docs/${doc.id}/scenarios/other-paragraph`, jsonInit('POST', { line: 2, user: 'Carol' })));
    expect(other.document?.content).toBe(PLAN.replace('- Review on Friday', '- Review on Friday (Carol added this.)'));

    const deleted = await fetch(`${base}/api/docs/${doc.id}/scenarios/delete`, changeInit('POST'));
    expect(await json<ScenarioResult>(deleted)).toEqual({ scenario: 'delete', document: null, etag: null });
    const gone = await expectProblem(await fetch(`${base}/api/docs/${doc.id}`), 410, 'gone');
    expect(gone.deletedBy).toBe('Bob');
    await expectProblem(await fetch(`${base}/api/docs/${doc.id}/scenarios/same-line`, jsonInit('POST', {})), 410, 'gone');
  });

  it('refuses an unknown scenario, an unknown document and bad fields, changing nothing', async () => {
    const base = server.url;
    const { doc } = await createDoc(base, undefined, PLAN);
    await expectProblem(await fetch(`${base}/api/docs/${doc.id}/scenarios/explode`, jsonInit('POST', {})), 422, 'validation-failed');
    await expectProblem(await fetch(`${base}/api/docs/d_none/scenarios/same-line`, jsonInit('POST', {})), 404, 'not-found');
    await expectProblem(await fetch(`${base}/api/docs/${doc.id}/scenarios/same-line`, jsonInit('POST', { line: -1 })), 422, 'validation-failed');
    await expectProblem(await fetch(`${base}/api/docs/${doc.id}/scenarios/same-line`, jsonInit('PUT', {})), 405, 'method-not-allowed');
    expect((await current(base, doc.id)).doc.version).toBe(1);
  });
});

describe('presence', () => {
  it('announces who has which document open, and that a tab left when its stream closes', async () => {
    const base = server.url;
    const { doc } = await createDoc(base);
    const watcher = new SseReader(await fetch(`${base}/api/events`));
    expect(await nextPresence(watcher)).toEqual({ docs: {} });

    const ana = new SseReader(await fetch(`${base}/api/events?client=tab-ana`));
    const { token } = await ana.nextNamed<{ token: string }>('presence-token');
    await nextPresence(ana);
    const put = await fetch(`${base}/api/presence/tab-ana`, jsonInit('PUT', { user: 'Ana', color: '#0b57d0', docId: doc.id, token }));
    expect(put.status).toBe(204);
    expect(await nextPresence(watcher)).toEqual({ docs: { [doc.id]: [{ clientId: 'tab-ana', user: 'Ana', color: '#0b57d0' }] } });

    // A stream opened later starts with who is here now.
    const late = new SseReader(await fetch(`${base}/api/events`));
    expect((await nextPresence(late)).docs[doc.id]).toHaveLength(1);

    await ana.cancel();
    expect(await nextPresence(watcher)).toEqual({ docs: {} });
    await watcher.cancel();
    await late.cancel();
  });

  it('refuses a bad client id or body', async () => {
    const base = server.url;
    await expectProblem(await fetch(`${base}/api/presence/${encodeURIComponent('a b')}`, jsonInit('PUT', { user: 'Ana', color: '#000000', docId: null, token: 't' })), 400, 'bad-request');
    await expectProblem(await fetch(`${base}/api/presence/tab-1`, jsonInit('PUT', { user: 'Ana', color: 'red', docId: null, token: 't' })), 422, 'validation-failed');
    await expectProblem(await fetch(`${base}/api/events?client=${encodeURIComponent('<x>')}`), 400, 'bad-request');
  });
});
