/**
 * Which refusal a write gets when more than one applies, over real HTTP: a document that is not
 * live is answered 404 or 410 before a malformed condition or someone else's lock, also for a
 * save with If-Match, which the store's compare-and-set decides without reading first. A malformed
 * condition is the request's own fault: a keyed retry is not answered from its key first.
 */
import { describe, expect, it } from 'vitest';
import { createDoc, expectProblem, jsonInit, useTestServer } from '../test-server.ts';

const server = useTestServer();

const docUrl = (id: string) => `${server.url}/api/docs/${id}`;

async function deleted(): Promise<{ id: string; title: string }> {
  const { doc, etag } = await createDoc(server.url);
  expect((await fetch(docUrl(doc.id), { method: 'DELETE', headers: { 'Content-Type': 'application/json', 'If-Match': etag, 'X-User': 'Carol' } })).status).toBe(204);
  return doc;
}

describe('a save with a malformed If-Match', () => {
  it('of a deleted document: 410 naming who deleted it, not the 400', async () => {
    const doc = await deleted();
    const answer = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'x' }, { 'If-Match': 'not-a-tag' }));
    expect(await expectProblem(answer, 410, 'gone')).toMatchObject({ deletedBy: 'Carol' });
  });

  it('of a document never made: 404', async () => {
    const answer = await fetch(docUrl('d_never_made_here'), jsonInit('PUT', { title: 'T', content: 'x' }, { 'If-Match': 'not-a-tag' }));
    await expectProblem(answer, 404, 'not-found');
  });

  it('of a live document: the 400 that names the header', async () => {
    const { doc } = await createDoc(server.url);
    const answer = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'x' }, { 'If-Match': 'not-a-tag' }));
    expect(await expectProblem(answer, 400, 'bad-request')).toMatchObject({ header: 'If-Match' });
  });
});

describe('a keyed retry with a malformed If-Match', () => {
  it('is the 400 of its header, not the first attempt’s answer nor a reused key', async () => {
    const { doc, etag } = await createDoc(server.url);
    const key = `refusal-order-${doc.id}`;
    const save = (ifMatch: string) => fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'x' }, { 'If-Match': ifMatch, 'Idempotency-Key': key }));
    expect((await save(etag)).status).toBe(200);
    expect(await expectProblem(await save('not-a-tag'), 400, 'bad-request')).toMatchObject({ header: 'If-Match' });
  });
});
