/**
 * Ids and keys named like Object.prototype's members, on every route that takes one, over real
 * HTTP: each is an ordinary (unknown) name, and afterwards every route still answers everyone.
 * (A presence docId of "__proto__" once made every event stream and presence update a 500.)
 */
import { describe, expect, it } from 'vitest';
import type { PresenceSnapshot, PresenceTokenEvent } from '../src/protocol/presence.ts';
import type { Document } from '../src/protocol/types.ts';
import { SseReader } from './sse-client.ts';
import { changeInit, createDoc, expectProblem, jsonInit, useTestServer } from './test-server.ts';

const server = useTestServer({ perTest: true, presenceIntervalMs: 10 });

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** Every route still answers: the list, a document, a save, a presence update and a stream. */
async function expectServerHealthy(): Promise<void> {
  const list = await fetch(`${server.url}/api/docs`);
  expect(list.status).toBe(200);
  const { doc, etag } = await createDoc(server.url);
  const saved = await fetch(`${server.url}/api/docs/${doc.id}`, jsonInit('PUT', { title: doc.title, content: 'ok' }, { 'If-Match': etag }));
  expect(saved.status).toBe(200);
  const reader = new SseReader(await fetch(`${server.url}/api/events?client=healthy`));
  const { token } = await reader.nextNamed<PresenceTokenEvent>('presence-token');
  await reader.nextNamed<PresenceSnapshot>('presence');
  const put = await fetch(`${server.url}/api/presence/healthy`, jsonInit('PUT', { user: 'Ana', color: '#000000', docId: doc.id, token }));
  expect(put.status).toBe(204);
  await reader.cancel();
}

describe.each(NAMES)('the name %j', (name) => {
  const encoded = encodeURIComponent(name);

  it('is an unknown document on every document route', async () => {
    await expectProblem(await fetch(`${server.url}/api/docs/${encoded}`), 404, 'not-found');
    await expectProblem(await fetch(`${server.url}/api/docs/${encoded}`, jsonInit('PUT', { title: 't', content: 'c' }, { 'If-Match': '*' })), 404, 'not-found');
    await expectProblem(await fetch(`${server.url}/api/docs/${encoded}`, changeInit('DELETE', { 'If-Match': '*' })), 404, 'not-found');
    await expectProblem(await fetch(`${server.url}/api/docs/${encoded}/revisions`), 404, 'not-found');
    await expectProblem(await fetch(`${server.url}/api/docs/${encoded}/revisions/1`), 404, 'not-found');
    await expectProblem(await fetch(`${server.url}/api/docs/${encoded}/scenarios/same-line`, changeInit('POST')), 404, 'not-found');
    await expectProblem(await fetch(`${server.url}/api/simulation/bot`, jsonInit('PUT', { docId: name, intervalSeconds: 5 })), 404, 'not-found');
    const { doc } = await createDoc(server.url);
    await expectProblem(await fetch(`${server.url}/api/docs/${doc.id}/scenarios/${encoded}`, changeInit('POST')), 422, 'validation-failed');
    await expectProblem(await fetch(`${server.url}/api/docs/${doc.id}/revisions/${encoded}`), 404, 'not-found');
    await expectServerHealthy();
  });

  it('is an ordinary client id and document id in presence, for everyone after it too', async () => {
    const { doc } = await createDoc(server.url);
    const watcher = new SseReader(await fetch(`${server.url}/api/events`));
    await watcher.nextNamed<PresenceSnapshot>('presence');
    const tab = new SseReader(await fetch(`${server.url}/api/events?client=${encoded}`));
    const { token } = await tab.nextNamed<PresenceTokenEvent>('presence-token');
    const asClient = await fetch(`${server.url}/api/presence/${encoded}`, jsonInit('PUT', { user: name, color: '#123456', docId: doc.id, token }));
    expect(asClient.status).toBe(204);
    const asDoc = await fetch(`${server.url}/api/presence/${encoded}`, jsonInit('PUT', { user: name, color: '#123456', docId: name, token }));
    expect(asDoc.status).toBe(204);
    // The watcher sees the name as a key of its own, with the one entry under it.
    for (;;) {
      const snapshot = await watcher.nextNamed<PresenceSnapshot>('presence');
      if (Object.hasOwn(snapshot.docs, name)) {
        expect(Object.getOwnPropertyDescriptor(snapshot.docs, name)?.value).toEqual([{ clientId: name, user: name, color: '#123456' }]);
        break;
      }
    }
    await expectServerHealthy();
    await tab.cancel();
    await watcher.cancel();
  });

  it('is an ordinary user name, Last-Event-ID and body key', async () => {
    const { doc } = await createDoc(server.url, undefined, 'x', name);
    expect(doc.updatedBy).toBe(name);
    const stream = await fetch(`${server.url}/api/events`, { headers: { 'Last-Event-ID': name } });
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
    // A key in a JSON body: JSON.parse makes it an own key, and only known fields are read.
    const created = await fetch(`${server.url}/api/docs`, jsonInit('POST', `{"title":"${name} ${Date.now()}","${name}":{"content":"x"}}`));
    expect(created.status).toBe(201);
    expect(((await created.json()) as Document).content).toBe('');
    await expectProblem(await fetch(`${server.url}/api/simulation`, jsonInit('PATCH', `{"${name}":{"latencyMs":5}}`)), 422, 'validation-failed');
    expect(server.app.settings.latencyMs).toBe(0);
    await expectServerHealthy();
  });
});
