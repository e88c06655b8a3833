/**
 * What makes two requests the same retry under one `Idempotency-Key` (docs/protocol.md §1.3), over
 * real HTTP: the key as a bare token or a quoted string, and the method, path, user, If-Match and
 * body it was first sent with. The key header's syntax is checked as a function.
 */
import { describe, expect, it } from 'vitest';
import type { Document, RevisionList } from '../src/protocol/types.ts';
import { idempotencyRequest, parseIdempotencyKey } from './idempotency.ts';
import { createDoc, expectProblem, jsonInit, uniqueTitle, useTestServer } from './test-server.ts';

const server = useTestServer();

const put = (id: string, body: unknown, headers: Record<string, string>) => fetch(`${server.url}/api/docs/${id}`, jsonInit('PUT', body, headers));
const versions = async (id: string) =>
  ((await (await fetch(`${server.url}/api/docs/${id}/revisions`)).json()) as RevisionList).revisions.map((r) => r.version);
const newKey = () => `k-${uniqueTitle('key').replaceAll(' ', '-')}`;

describe('the key header', () => {
  const REFUSED = { ok: false, detail: 'Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID is usual), optionally in double quotes.' };

  it('is a bare token or a quoted string, trimmed; absent is no key', () => {
    expect(parseIdempotencyKey(undefined)).toEqual({ ok: true, key: null });
    expect(parseIdempotencyKey(null)).toEqual({ ok: true, key: null });
    expect(parseIdempotencyKey('abc-1')).toEqual({ ok: true, key: 'abc-1' });
    expect(parseIdempotencyKey('  "abc-1" ')).toEqual({ ok: true, key: 'abc-1' });
    expect(parseIdempotencyKey('!~')).toEqual({ ok: true, key: '!~' });
    expect(parseIdempotencyKey('x'.repeat(255))).toEqual({ ok: true, key: 'x'.repeat(255) });
  });

  it.each(['', '""', '"', 'x'.repeat(256), `"${'x'.repeat(256)}"`, 'a b', 'a\u007f', 'ä', 'a"b', '"a"b"', 'a\\b', 'x"abc"', '"abc"x'])('refuses %j', (raw) => {
    expect(parseIdempotencyKey(raw)).toEqual(REFUSED);
  });

  it('answers a bad key with a 400 that names the header, before anything is read or saved', async () => {
    const { doc, etag } = await createDoc(server.url);
    const problem = await expectProblem(await put(doc.id, { title: doc.title, content: 'x' }, { 'If-Match': etag, 'Idempotency-Key': 'a b' }), 400, 'bad-request');
    expect(problem).toMatchObject({ detail: REFUSED.detail, header: 'Idempotency-Key' });
    expect(await versions(doc.id)).toEqual([1]);
  });
});

describe('a retry', () => {
  it('is the same request under the same key, quoted or not', async () => {
    const { doc, etag } = await createDoc(server.url);
    const key = newKey();
    const body = { title: doc.title, content: 'two' };
    const first = await put(doc.id, body, { 'If-Match': etag, 'Idempotency-Key': key });
    const again = await put(doc.id, body, { 'If-Match': etag, 'Idempotency-Key': `"${key}"` });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await versions(doc.id)).toEqual([1, 2]);
  });

  it.each([
    { name: 'another user', change: { user: 'Bob' } },
    { name: 'another If-Match', change: { ifMatch: '"another-tag"' } },
    { name: 'another body', change: { content: 'three' } },
  ])('is not one when the key comes back with $name: 422, nothing saved', async ({ change }) => {
    const { doc, etag } = await createDoc(server.url);
    const key = newKey();
    const send = ({ user = 'Ana', ifMatch = etag, content = 'two' }: { user?: string; ifMatch?: string; content?: string }) =>
      put(doc.id, { title: doc.title, content }, { 'If-Match': ifMatch, 'Idempotency-Key': key, 'X-User': user });
    expect((await send({})).status).toBe(200);
    const problem = await expectProblem(await send(change), 422, 'idempotency-key-reused');
    expect(problem.detail).toBe(
      'This Idempotency-Key was already used for a different request. Make a new key for each new save; resend a key only with the very same request.',
    );
    expect(await versions(doc.id)).toEqual([1, 2]);
  });

  it('of a create with another body is refused with 422, and makes no second document', async () => {
    const key = newKey();
    const title = uniqueTitle('Created once');
    const first = await fetch(`${server.url}/api/docs`, jsonInit('POST', { title, content: 'a' }, { 'Idempotency-Key': key }));
    expect(first.status).toBe(201);
    const other = await fetch(`${server.url}/api/docs`, jsonInit('POST', { title, content: 'b' }, { 'Idempotency-Key': key }));
    await expectProblem(other, 422, 'idempotency-key-reused');
    const list = (await (await fetch(`${server.url}/api/docs`)).json()) as { docs: Document[] };
    expect(list.docs.filter((d) => d.title === title)).toHaveLength(1);
  });
});

describe('the fingerprint', () => {
  const parts = { method: 'PUT', path: '/api/docs/d_1', user: 'Ana', ifMatch: '"a"', body: { title: 'T', content: 'x' } };

  it('is the same for the same request, and differs in any one part', () => {
    const fingerprint = idempotencyRequest('k', parts).fingerprint;
    expect(idempotencyRequest('k', { ...parts, body: { title: 'T', content: 'x' } })).toEqual({ key: 'k', fingerprint });
    expect(fingerprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const others = [
      { ...parts, method: 'PATCH' },
      { ...parts, path: '/api/docs/d_2' },
      { ...parts, user: 'Bob' },
      { ...parts, ifMatch: null },
      { ...parts, body: { title: 'T', content: 'y' } },
    ].map((other) => idempotencyRequest('k', other).fingerprint);
    expect(new Set([fingerprint, ...others]).size).toBe(6);
  });
});

describe('a create', () => {
  it('with a bad key is refused with 400 before anything is made', async () => {
    const title = uniqueTitle('Never made');
    const response = await fetch(`${server.url}/api/docs`, jsonInit('POST', { title, content: 'a' }, { 'Idempotency-Key': 'has space' }));
    expect(await expectProblem(response, 400, 'bad-request')).toMatchObject({ header: 'Idempotency-Key' });
    const list = (await (await fetch(`${server.url}/api/docs`)).json()) as { docs: Document[] };
    expect(list.docs.filter((d) => d.title === title)).toHaveLength(0);
  });

  it('under a title in use is refused with the title and the document that has it', async () => {
    const { doc } = await createDoc(server.url);
    const response = await fetch(`${server.url}/api/docs`, jsonInit('POST', { title: doc.title, content: 'b' }));
    const problem = await expectProblem(response, 409, 'duplicate-title');
    expect(problem).toMatchObject({ detail: `A document titled "${doc.title}" already exists.`, existing: { id: doc.id, title: doc.title } });
  });
});
