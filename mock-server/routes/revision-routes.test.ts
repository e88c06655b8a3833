/**
 * `GET /api/docs/{id}/revisions/{version}` over real HTTP: a version is a whole number from 1,
 * anything else is no version; an unknown document and an unknown version are told apart.
 */
import { describe, expect, it } from 'vitest';
import type { Document } from '../../src/protocol/types.ts';
import { createDoc, expectProblem, saveDoc, useTestServer } from '../test-server.ts';

// A server per test: the routes are registered as it starts, which then counts as part of the test
// (mutation testing sees which tests reach the registration of each route).
const server = useTestServer({ perTest: true });

describe('one version of a document', () => {
  it('is served as it was, for a version of two digits too', async () => {
    const { doc, etag: first } = await createDoc(server.url, undefined, 'v1');
    let etag = first;
    for (let version = 2; version <= 12; version++) {
      const saved = await saveDoc(server.url, doc.id, { title: doc.title, content: `v${version}` }, etag);
      etag = saved.headers.get('etag') ?? '';
    }
    const twelve = await fetch(`${server.url}/api/docs/${doc.id}/revisions/12`);
    expect(twelve.status).toBe(200);
    expect(twelve.headers.get('etag')).toBe(etag);
    expect(((await twelve.json()) as Document).content).toBe('v12');
    const one = await fetch(`${server.url}/api/docs/${doc.id}/revisions/1`);
    expect([one.headers.get('etag'), ((await one.json()) as Document).content]).toEqual([first, 'v1']);
  });

  it.each(['0', '01', '1x', 'x1', '1.0', '13', '1234567890'])('%s is no version of it: 404 that says so', async (version) => {
    const { doc } = await createDoc(server.url);
    const problem = await expectProblem(await fetch(`${server.url}/api/docs/${doc.id}/revisions/${version}`), 404, 'not-found');
    expect(problem).toMatchObject({ id: doc.id, detail: `Document ${doc.id} has no version ${version}.` });
  });

  it('of a document that does not exist is a 404 about the document', async () => {
    const problem = await expectProblem(await fetch(`${server.url}/api/docs/d_never/revisions/1`), 404, 'not-found');
    expect(problem).toMatchObject({ id: 'd_never', detail: 'There is no document d_never.' });
  });
});

describe('a PUT with a malformed If-None-Match', () => {
  it('is refused with 400 naming the header, and saves nothing', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, 'kept');
    const response = await fetch(`${server.url}/api/docs/${doc.id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'If-Match': etag, 'If-None-Match': 'W/' },
      body: JSON.stringify({ title: doc.title, content: 'changed' }),
    });
    expect(await expectProblem(response, 400, 'bad-request')).toMatchObject({ header: 'If-None-Match' });
    expect(((await (await fetch(`${server.url}/api/docs/${doc.id}`)).json()) as Document).content).toBe('kept');
  });
});

describe('a PUT with If-None-Match: * on a document that exists', () => {
  it('is the 412 of a failed If-None-Match, whatever its body', async () => {
    const { doc } = await createDoc(server.url, undefined, 'kept');
    for (const body of [{ title: doc.title, content: 'x' }, { content: 'no title' }]) {
      const response = await fetch(`${server.url}/api/docs/${doc.id}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'If-None-Match': '*' },
        body: JSON.stringify(body),
      });
      expect(await expectProblem(response, 412, 'precondition-failed')).toMatchObject({ id: doc.id });
    }
    expect(((await (await fetch(`${server.url}/api/docs/${doc.id}`)).json()) as Document).content).toBe('kept');
  });
});
