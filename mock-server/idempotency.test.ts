/**
 * `Idempotency-Key` over real HTTP, on every engine: a retry of a save whose answer was lost gets
 * the first answer and makes no second version; a key reused for another request is refused.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Document, RevisionList } from '../src/protocol/types.ts';
import type { RunningServer } from './server.ts';
import { SseReader } from './sse-client.ts';
import { enginesUnderTest } from './storage/engines-under-test.ts';
import { createDoc, expectProblem, jsonInit, startTestServer, uniqueTitle } from './test-server.ts';

describe.each(enginesUnderTest())('Idempotency-Key on $name', (engine) => {
  let server: RunningServer;
  let base: string;

  beforeAll(async () => {
    server = await startTestServer({ storage: await engine.freshConfig() });
    base = server.url;
  });
  afterAll(async () => {
    await server.close();
  });

  const put = (id: string, body: unknown, headers: Record<string, string>) => fetch(`${base}/api/docs/${id}`, jsonInit('PUT', body, headers));
  const versions = async (id: string) =>
    ((await (await fetch(`${base}/api/docs/${id}/revisions`)).json()) as RevisionList).revisions.map((r) => r.version);

  it('answers a repeated key with the first answer: same status, ETag and body, no new version', async () => {
    const { doc, etag } = await createDoc(base);
    const body = { title: doc.title, content: 'once' };
    const headers = { 'If-Match': etag, 'Idempotency-Key': '"5b3c1e1e-1d7a-4f7e-9a0e-0d9c1a2b3c4d"' };
    const first = await put(doc.id, body, headers);
    expect(first.status).toBe(200);
    const firstBody = await first.text();
    // Someone else saves meanwhile: the retry still gets its own first answer, not a conflict.
    const other = await put(doc.id, { title: doc.title, content: 'other' }, { 'If-Match': first.headers.get('etag') ?? '', 'X-User': 'Bob' });
    expect(other.status).toBe(200);
    const retry = await put(doc.id, body, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await retry.text()).toBe(firstBody);
    expect(await versions(doc.id)).toEqual([1, 2, 3]);
  });

  it('answers a retry with its first answer even when the document was deleted since', async () => {
    const { doc, etag } = await createDoc(base);
    const body = { title: doc.title, content: 'before the delete' };
    const headers = { 'If-Match': etag, 'Idempotency-Key': `k-${uniqueTitle('deleted').replaceAll(' ', '-')}` };
    const first = await put(doc.id, body, headers);
    expect(first.status).toBe(200);
    const firstBody = await first.text();
    expect((await fetch(`${base}/api/docs/${doc.id}`, { method: 'DELETE', headers: { 'If-Match': first.headers.get('etag') ?? '' } })).status).toBe(204);
    const retry = await put(doc.id, body, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await retry.text()).toBe(firstBody);
    // Without the key, or with a key never used, the document is gone.
    await expectProblem(await put(doc.id, body, { 'If-Match': etag }), 410, 'gone');
    await expectProblem(await put(doc.id, body, { 'If-Match': etag, 'Idempotency-Key': 'k-never-used' }), 410, 'gone');
  });

  it('refuses a key reused with a different body with 422, and changes nothing', async () => {
    const { doc, etag } = await createDoc(base);
    const key = { 'Idempotency-Key': `k-${uniqueTitle('x').replaceAll(' ', '-')}` };
    expect((await put(doc.id, { title: doc.title, content: 'one' }, { 'If-Match': etag, ...key })).status).toBe(200);
    const reused = await put(doc.id, { title: doc.title, content: 'two' }, { 'If-Match': etag, ...key });
    const problem = await expectProblem(reused, 422, 'idempotency-key-reused');
    expect(problem.detail).toMatch(/already used for a different request/);
    expect(await versions(doc.id)).toEqual([1, 2]);
  });

  it('refuses a malformed key with 400', async () => {
    const { doc, etag } = await createDoc(base);
    for (const bad of ['', '"', '""', 'has space', 'x'.repeat(256), 'back\\slash']) {
      const response = await put(doc.id, { title: doc.title, content: 'x' }, { 'If-Match': etag, 'Idempotency-Key': bad });
      await expectProblem(response, 400, 'bad-request');
    }
    expect(await versions(doc.id)).toEqual([1]);
  });

  it('gives a create retried with its key the same document, not a second one', async () => {
    const title = uniqueTitle('Created once');
    const init = jsonInit('POST', { title, content: 'x' }, { 'Idempotency-Key': `create-${Date.now()}` });
    const first = await fetch(`${base}/api/docs`, init);
    const again = await fetch(`${base}/api/docs`, init);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    const list = (await (await fetch(`${base}/api/docs`)).json()) as { docs: Document[] };
    expect(list.docs.filter((d) => d.title === title)).toHaveLength(1);
  });

  it('gives a save whose answer was lost (socket closed after the commit) its original 200 on retry', async () => {
    const { doc, etag } = await createDoc(base);
    const events = new SseReader(await fetch(`${base}/api/events`));
    await events.next();
    const body = JSON.stringify({ title: doc.title, content: 'the answer to this one is lost' });
    const headers = { 'Content-Type': 'application/json', 'If-Match': etag, 'Idempotency-Key': `lost-${Date.now()}` };

    // Send the save and close the socket as soon as the save is committed (its event arrives),
    // without ever reading the answer: for this client the answer is lost.
    const url = new URL(`${base}/api/docs/${doc.id}`);
    const lost = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'PUT', headers, agent: false });
    const outcome = new Promise<string>((resolve) => {
      lost.on('response', () => resolve('answered'));
      lost.on('error', () => resolve('lost'));
      lost.on('close', () => resolve('lost'));
    });
    lost.end(body);
    for (;;) {
      const event = await events.nextEvent();
      if (event?.data.id === doc.id && event.data.version === 2) break;
    }
    lost.destroy();
    await outcome;
    await events.cancel();

    const retry = await fetch(`${base}/api/docs/${doc.id}`, { method: 'PUT', headers, body });
    expect(retry.status).toBe(200);
    const saved = (await retry.json()) as Document;
    expect(saved).toMatchObject({ version: 2, content: 'the answer to this one is lost' });
    const current = await fetch(`${base}/api/docs/${doc.id}`);
    expect(retry.headers.get('etag')).toBe(current.headers.get('etag'));
    expect(await versions(doc.id)).toEqual([1, 2]);
  });
});
