/**
 * What the write path makes of a request, over real HTTP (docs/protocol.md §1.4, §1.11): a create
 * under the client's id, a merge patch, and the headers that say which version a writer started
 * from. Every refusal names what was wrong and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Document, RevisionList } from '../../src/protocol/types.ts';
import { createDoc, expectProblem, jsonInit, uniqueTitle, useTestServer } from '../test-server.ts';

const server = useTestServer();

const docUrl = (id: string) => `${server.url}/api/docs/${id}`;
const current = async (id: string) => {
  const response = await fetch(docUrl(id));
  return { status: response.status, doc: response.status === 200 ? ((await response.json()) as Document) : null, etag: response.headers.get('etag') ?? '' };
};
const history = async (id: string) => ((await (await fetch(`${docUrl(id)}/revisions`)).json()) as RevisionList).revisions;
const setMode = async (id: string, concurrency: string) => expect((await fetch(`${docUrl(id)}/concurrency`, jsonInit('PUT', { concurrency }))).status).toBe(200);
const newId = () => `c-${uniqueTitle('id').replace(/[^A-Za-z0-9]/g, '-')}`;

describe('a create under the client’s id (PUT with If-None-Match: *)', () => {
  const create = (id: string, body: unknown, user = 'Ana') => fetch(docUrl(id), jsonInit('PUT', body, { 'If-None-Match': '*', 'X-User': user }));

  it('answers 201 with Location, the ETag and the document, content optional', async () => {
    const id = newId();
    const title = uniqueTitle('Mine');
    const response = await create(id, { title });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/api/docs/${id}`);
    const doc = (await response.json()) as Document;
    expect(doc).toMatchObject({ id, title, content: '', version: 1, updatedBy: 'Ana' });
    expect(response.headers.get('etag')).toBe((await current(id)).etag);
  });

  it('refuses an id that is not a token, and a bad body, creating nothing', async () => {
    const bad = await expectProblem(await create('has.dot', { title: uniqueTitle() }), 400, 'bad-request');
    expect(bad).toMatchObject({ id: 'has.dot', detail: 'A new document id is 1 to 100 letters, digits, "-" or "_".' });
    expect((await current('has.dot')).status).toBe(404);
    const id = newId();
    await expectProblem(await create(id, { content: 'no title' }), 422, 'validation-failed');
    expect((await current(id)).status).toBe(404);
  });

  it('a second time answers 412 that the document exists, and keeps the first', async () => {
    const id = newId();
    expect((await create(id, { title: uniqueTitle(), content: 'first' })).status).toBe(201);
    const again = await expectProblem(await create(id, { title: uniqueTitle(), content: 'second' }, 'Bob'), 412, 'precondition-failed');
    expect(again).toMatchObject({ id, detail: `Document ${id} already exists: If-None-Match: * creates a document only where there is none.` });
    expect((await current(id)).doc).toMatchObject({ content: 'first', updatedBy: 'Ana' });
  });

  it('of a deleted id answers 410 naming who deleted it: an id is never used twice', async () => {
    const id = newId();
    const made = await create(id, { title: uniqueTitle() });
    const etag = made.headers.get('etag') ?? '';
    expect((await fetch(docUrl(id), { method: 'DELETE', headers: { 'Content-Type': 'application/json', 'If-Match': etag, 'X-User': 'Carol' } })).status).toBe(204);
    const gone = await expectProblem(await create(id, { title: uniqueTitle() }), 410, 'gone');
    expect(gone).toMatchObject({ id, deletedBy: 'Carol' });
  });

  it('under a title in use answers 409 with the document that has it', async () => {
    const { doc } = await createDoc(server.url);
    const id = newId();
    const taken = await expectProblem(await create(id, { title: doc.title }), 409, 'duplicate-title');
    expect(taken).toMatchObject({ detail: `A document titled "${doc.title}" already exists.`, existing: { id: doc.id, title: doc.title } });
    expect((await current(id)).status).toBe(404);
  });
});

describe('a merge patch', () => {
  const patch = (id: string, body: unknown, etag: string, contentType = 'application/merge-patch+json') =>
    fetch(docUrl(id), { method: 'PATCH', headers: { 'Content-Type': contentType, 'If-Match': etag, 'X-User': 'Bob' }, body: JSON.stringify(body) });

  it('changes the fields it names, and keeps the others', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, 'kept');
    const title = uniqueTitle('Patched');
    const response = await patch(doc.id, { title }, etag);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ title, content: 'kept', version: 2, updatedBy: 'Bob' });
    const second = await patch(doc.id, { content: 'new' }, response.headers.get('etag') ?? '');
    expect(await second.json()).toMatchObject({ title, content: 'new', version: 3 });
  });

  it('sent as plain JSON is refused with 415 that names the patch type', async () => {
    const { doc, etag } = await createDoc(server.url);
    const response = await patch(doc.id, { content: 'x' }, etag, 'application/json');
    const problem = await expectProblem(response, 415, 'unsupported-media-type');
    expect(problem.detail).toBe('Send the patch as application/merge-patch+json (this request said application/json).');
    expect(response.headers.get('accept-patch')).toBe('application/merge-patch+json');
  });

  it('that is not JSON is refused with 400, which names no patch type (the type was right)', async () => {
    const { doc, etag } = await createDoc(server.url);
    const response = await fetch(docUrl(doc.id), { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': etag }, body: '{"content": ' });
    await expectProblem(response, 400, 'bad-request');
    expect(response.headers.get('accept-patch')).toBeNull();
    expect(await history(doc.id)).toHaveLength(1);
  });

  it('that is not an object, names other fields or removes one is refused with 422, and saves nothing', async () => {
    const { doc, etag } = await createDoc(server.url);
    const errorsOf = async (body: unknown) => (await expectProblem(await patch(doc.id, body, etag), 422, 'validation-failed')).errors;
    for (const notAnObject of [['title'], null, 'title', 42]) {
      expect(await errorsOf(notAnObject)).toEqual([{ field: '', message: 'A merge patch for a document is a JSON object.' }]);
    }
    expect(await errorsOf({ state: 'published', version: 9 })).toEqual([
      { field: 'state', message: 'A state changes by POST /api/docs/{id}/transitions, not by a patch.' },
      { field: 'version', message: '"version" cannot be patched; a patch may change title and content.' },
    ]);
    expect(await errorsOf({ title: null })).toEqual([{ field: 'title', message: 'A title is required.' }]);
    expect(await errorsOf({ content: null })).toEqual([{ field: 'content', message: 'The content is required (send "" for an empty document).' }]);
    expect(await history(doc.id)).toHaveLength(1);
  });
});

describe('the version a writer started from', () => {
  it('X-Based-On must be one tag: otherwise 400 naming it, nothing saved', async () => {
    const { doc, etag } = await createDoc(server.url);
    await setMode(doc.id, 'none');
    const response = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'x' }, { 'X-Based-On': `${etag}, ${etag}` }));
    const problem = await expectProblem(response, 400, 'bad-request');
    expect(problem).toMatchObject({ header: 'X-Based-On' });
    expect(problem.detail).toMatch(/^X-Based-On is not valid: it is not one entity tag \(.+\)$/);
    expect(await history(doc.id)).toHaveLength(1);
  });

  it('is recorded as a strong tag, from X-Based-On or from the first tag of If-Match', async () => {
    const { doc, etag } = await createDoc(server.url);
    await setMode(doc.id, 'none');
    const first = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'two' }, { 'X-Based-On': ` W/${etag} ` }));
    expect(first.status).toBe(200);
    const second = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'three' }, { 'If-Match': `W/${etag}, "other"` }));
    expect(second.status).toBe(200);
    const anyTag = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'four' }, { 'If-Match': '*' }));
    expect(anyTag.status).toBe(200);
    expect((await history(doc.id)).map((r) => r.basedOn)).toEqual([null, etag, etag, null]);
  });

  it('in the timestamp mode, a date that is not an HTTP date counts as none: 428 asks for one', async () => {
    const { doc } = await createDoc(server.url);
    await setMode(doc.id, 'timestamp');
    const response = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'x' }, { 'If-Unmodified-Since': 'yesterday' }));
    const problem = await expectProblem(response, 428, 'precondition-required');
    expect(problem.detail).toBe(
      'To save a document, send If-Unmodified-Since with the Last-Modified of the version you loaded (or If-Match with its ETag).',
    );
    const deleted = await expectProblem(
      await fetch(docUrl(doc.id), { method: 'DELETE', headers: { 'Content-Type': 'application/json', 'If-Unmodified-Since': 'yesterday' } }),
      428,
      'precondition-required',
    );
    expect(deleted.detail).toMatch(/^To delete a document, send If-Unmodified-Since/);
    expect(await history(doc.id)).toHaveLength(1);
  });
});
