/**
 * `Idempotency-Key` beyond `PUT` (docs/protocol.md §1.3): a merge patch, a state transition and a
 * create under the client's id retried after their answer was lost get the first answer and make
 * no second version or document; and a
 * keyed retry gets its first answer even when what would refuse it now (the document's mode, its
 * lock) changed after the first attempt was saved.
 */
import { describe, expect, it } from 'vitest';
import type { Document, RevisionList } from '../src/protocol/types.ts';
import { createDoc, expectProblem, jsonInit, useTestServer } from './test-server.ts';

const server = useTestServer();

const versions = async (id: string) =>
  ((await (await fetch(`${server.url}/api/docs/${id}/revisions`)).json()) as RevisionList).revisions.map((r) => r.version);
const setMode = async (id: string, concurrency: string | null) =>
  expect((await fetch(`${server.url}/api/docs/${id}/concurrency`, jsonInit('PUT', { concurrency }))).status).toBe(200);
let n = 0;
const newKey = () => `keyed-writes-${Date.now()}-${n++}`;

function patch(id: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}/api/docs/${id}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/merge-patch+json', 'X-User': 'Ana', ...headers },
    body: JSON.stringify(body),
  });
}

const transition = (id: string, to: string, headers: Record<string, string>) =>
  fetch(`${server.url}/api/docs/${id}/transitions`, jsonInit('POST', { to }, { 'X-User': 'Ana', ...headers }));

const put = (id: string, body: unknown, headers: Record<string, string>, user = 'Ana') =>
  fetch(`${server.url}/api/docs/${id}`, jsonInit('PUT', body, { 'X-User': user, ...headers }));

/** The first attempt's answer: status, ETag and body, to compare a retry with. */
async function answerOf(response: Response) {
  return { status: response.status, etag: response.headers.get('etag'), body: await response.text() };
}

describe('Idempotency-Key on a create under the client’s id (PUT with If-None-Match: *)', () => {
  const docUrl = (id: string) => `${server.url}/api/docs/${id}`;
  const create = (id: string, content: string, key: string) =>
    fetch(docUrl(id), jsonInit('PUT', { title: `Title of ${id}`, content }, { 'If-None-Match': '*', 'Idempotency-Key': key, 'X-User': 'Ana' }));

  it('retried with the same body: the first 201 again (same ETag, Location and document), and no second version', async () => {
    const id = newKey();
    const key = newKey();
    const first = await answerOf(await create(id, 'first', key));
    const again = await create(id, 'first', key);
    expect(first.status).toBe(201);
    expect(again.headers.get('location')).toBe(`/api/docs/${id}`);
    expect(await answerOf(again)).toEqual(first);
    expect(await versions(id)).toEqual([1]);
  });

  it('with the key of another request: 422, and the first create stands', async () => {
    const id = newKey();
    const key = newKey();
    expect((await create(id, 'first', key)).status).toBe(201);
    await expectProblem(await create(id, 'second', key), 422, 'idempotency-key-reused');
    expect(await (await fetch(docUrl(id))).json()).toMatchObject({ version: 1, content: 'first' });
  });

  it('with a new key where the document is: 412, as without a key; with a malformed key: 400, creating nothing', async () => {
    const id = newKey();
    expect((await create(id, 'first', newKey())).status).toBe(201);
    await expectProblem(await create(id, 'second', newKey()), 412, 'precondition-failed');
    const other = newKey();
    expect(await expectProblem(await create(other, 'x', 'a b'), 400, 'bad-request')).toMatchObject({ header: 'Idempotency-Key' });
    expect((await fetch(docUrl(other))).status).toBe(404);
  });
});

describe('Idempotency-Key on PATCH and transitions', () => {
  it('a retried merge patch gets its first answer after another save, and no second version', async () => {
    const { doc, etag } = await createDoc(server.url);
    const headers = { 'If-Match': etag, 'Idempotency-Key': newKey() };
    const first = await answerOf(await patch(doc.id, { title: `${doc.title} (renamed)` }, headers));
    expect(first.status).toBe(200);
    expect((await put(doc.id, { title: `${doc.title} (renamed)`, content: 'Bob' }, { 'If-Match': first.etag ?? '' }, 'Bob')).status).toBe(200);
    expect(await answerOf(await patch(doc.id, { title: `${doc.title} (renamed)` }, headers))).toEqual(first);
    expect(await versions(doc.id)).toEqual([1, 2, 3]);
    // The same key with another patch names another request.
    await expectProblem(await patch(doc.id, { title: `${doc.title} (again)` }, headers), 422, 'idempotency-key-reused');
    expect(await versions(doc.id)).toEqual([1, 2, 3]);
  });

  it('a retried transition gets its first answer, not a conflict with itself or a state refusal', async () => {
    const { doc, etag } = await createDoc(server.url);
    const headers = { 'If-Match': etag, 'Idempotency-Key': newKey() };
    const first = await answerOf(await transition(doc.id, 'published', headers));
    expect(first.status).toBe(200);
    expect((JSON.parse(first.body) as Document).state).toBe('published');
    // Now the tag is stale and "published → published" is not a transition: the retry is neither.
    expect(await answerOf(await transition(doc.id, 'published', headers))).toEqual(first);
    expect(await versions(doc.id)).toEqual([1, 2]);
    await expectProblem(await transition(doc.id, 'archived', headers), 422, 'idempotency-key-reused');
    // Without a key, the same request is what it looks like: a stale tag.
    await expectProblem(await transition(doc.id, 'published', { 'If-Match': etag }), 409, 'edit-conflict');
  });
});

describe('a keyed retry is answered from its key before what would refuse it now', () => {
  it('a save the server merged, retried: the merged version again, not a merge of the save with itself', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, 'one\ntwo\nthree\n');
    await setMode(doc.id, 'server-merge');
    expect((await put(doc.id, { title: doc.title, content: 'one by Bob\ntwo\nthree\n' }, { 'If-Match': etag }, 'Bob')).status).toBe(200);
    const body = { title: doc.title, content: 'one\ntwo\nthree by Ana\n' };
    const headers = { 'If-Match': etag, 'Idempotency-Key': newKey() };
    const first = await put(doc.id, body, headers);
    expect(first.status).toBe(200);
    const merged = (await first.json()) as Document & { mergedFrom?: number[] };
    expect(merged).toMatchObject({ version: 3, content: 'one by Bob\ntwo\nthree by Ana\n', mergedFrom: [1, 2] });
    const retry = await put(doc.id, body, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await retry.json()).toMatchObject({ version: 3, content: merged.content });
    expect(await versions(doc.id)).toEqual([1, 2, 3]);
  });

  it('a timestamp save retried: its first answer, though its own save made the date stale', async () => {
    const { doc, response } = await createDoc(server.url);
    await setMode(doc.id, 'timestamp');
    const since = response.headers.get('last-modified') ?? '';
    const body = { title: doc.title, content: 'by date' };
    const headers = { 'If-Unmodified-Since': since, 'X-Based-On': response.headers.get('etag') ?? '', 'Idempotency-Key': newKey() };
    const first = await answerOf(await put(doc.id, body, headers));
    expect(first.status).toBe(200);
    // Bob saves more than a second later, so the date is stale for anyone who read version 1.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await put(doc.id, { title: doc.title, content: 'Bob' }, { 'If-Match': first.etag ?? '' }, 'Bob')).status).toBe(200);
    expect(await answerOf(await put(doc.id, body, headers))).toEqual(first);
    await expectProblem(await put(doc.id, body, { ...headers, 'Idempotency-Key': newKey() }), 409, 'edit-conflict');
    expect(await versions(doc.id)).toEqual([1, 2, 3]);
  });

  it('a save retried after the document was archived: its 200, not resource-state', async () => {
    const { doc, etag } = await createDoc(server.url);
    const headers = { 'If-Match': etag, 'Idempotency-Key': newKey() };
    const first = await answerOf(await put(doc.id, { title: doc.title, content: 'before the archive' }, headers));
    expect(first.status).toBe(200);
    const published = await transition(doc.id, 'published', { 'If-Match': first.etag ?? '' });
    expect((await transition(doc.id, 'archived', { 'If-Match': published.headers.get('etag') ?? '' })).status).toBe(200);
    expect(await answerOf(await put(doc.id, { title: doc.title, content: 'before the archive' }, headers))).toEqual(first);
  });

  it('a lossy save retried: the same body, `overwrote` included', async () => {
    const { doc, etag } = await createDoc(server.url);
    await setMode(doc.id, 'none');
    expect((await put(doc.id, { title: doc.title, content: 'Bob' }, { 'If-Match': etag }, 'Bob')).status).toBe(200);
    const headers = { 'If-Match': etag, 'Idempotency-Key': newKey() };
    const first = await answerOf(await put(doc.id, { title: doc.title, content: 'Ana' }, headers));
    expect(JSON.parse(first.body)).toMatchObject({ version: 3, overwrote: [2] });
    expect(await answerOf(await put(doc.id, { title: doc.title, content: 'Ana' }, headers))).toEqual(first);
  });

  it('a save made without If-Match in `none`, retried after the mode became `etag`: its 200, not a 428', async () => {
    const { doc } = await createDoc(server.url);
    await setMode(doc.id, 'none');
    const body = { title: doc.title, content: 'saved while anything went' };
    const headers = { 'Idempotency-Key': newKey() };
    const first = await answerOf(await put(doc.id, body, headers));
    expect(first.status).toBe(200);
    await setMode(doc.id, 'etag');
    expect(await answerOf(await put(doc.id, body, headers))).toEqual(first);
    // A new attempt without a condition is refused as ever, and stores nothing.
    await expectProblem(await put(doc.id, body, { 'Idempotency-Key': newKey() }), 428, 'precondition-required');
    await expectProblem(await put(doc.id, { title: doc.title, content: 'other' }, headers), 422, 'idempotency-key-reused');
    expect(await versions(doc.id)).toEqual([1, 2]);
  });

  it('a holder’s save retried after the lock passed to someone else: its 200, not resource-locked', async () => {
    const { doc, etag } = await createDoc(server.url);
    await setMode(doc.id, 'lock');
    const lock = `${server.url}/api/docs/${doc.id}/lock`;
    expect((await fetch(lock, jsonInit('POST', {}, { 'X-User': 'Ana' }))).status).toBe(200);
    const body = { title: doc.title, content: 'saved while Ana held the lock' };
    const headers = { 'If-Match': etag, 'Idempotency-Key': newKey() };
    const first = await answerOf(await put(doc.id, body, headers));
    expect(first.status).toBe(200);
    expect((await fetch(lock, jsonInit('POST', { force: true }, { 'X-User': 'Bob' }))).status).toBe(200);

    expect(await answerOf(await put(doc.id, body, headers))).toEqual(first);
    await expectProblem(await put(doc.id, body, { 'If-Match': first.etag ?? '', 'Idempotency-Key': newKey() }), 409, 'resource-locked');
    const transitionKey = { 'If-Match': first.etag ?? '', 'Idempotency-Key': newKey() };
    await expectProblem(await transition(doc.id, 'published', transitionKey), 409, 'resource-locked');
    expect(await versions(doc.id)).toEqual([1, 2]);
  });
});
