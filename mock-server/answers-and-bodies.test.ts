/**
 * The pieces every answer and every request body goes through, as functions: which media types
 * count as JSON, the checks of a document body, the words of a conflict, and the problems and
 * headers the routes send. Over HTTP, bad-input.test.ts and api.test.ts.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ChangeSince } from '../src/protocol/problems.ts';
import type { Document } from '../src/protocol/types.ts';
import { isJsonMediaType, nodeBodySource, readJsonBody, validateDocumentInput, type BodyFailure } from './request-body.ts';
import {
  bodyProblem,
  conflictDetail,
  conflictProblem,
  documentResponse,
  goneProblem,
  internalErrorProblem,
  jsonResponse,
  noContent,
  notModified,
  preconditionRequired,
  storageProblem,
} from './responses.ts';
import { StorageError, type StoredRevision } from './storage/types.ts';

function revision(version: number, updatedBy = 'Ana'): StoredRevision {
  const document: Document = {
    id: 'd_1',
    title: 'Notes',
    content: 'text 🙂',
    version,
    updatedAt: '2026-11-30T10:00:00.000Z',
    updatedBy,
    state: 'draft',
  };
  return { document, etag: `"t.${version}"`, basedOn: null };
}

const change = (version: number, updatedBy: string): ChangeSince => ({ version, updatedBy, updatedAt: '2026-11-30T10:00:00.000Z' });

describe('JSON media types', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON', true],
    [' application/json ; charset=utf-8', true],
    ['application/json;charset="UTF-8"', true],
    ['application/json; foo=bar; charset=utf-8', true],
    ['application/json; charset=latin1', false],
    ['application/json; charset=utf-8x', false],
    ['application/json; charset=xutf-8', false],
    ['application/json; charset=x-charset=utf-8', false],
    ['application/jsonx', false],
    ['text/json', false],
    ['', false],
    [null, false],
  ] as const)('%j is JSON: %s', (contentType, json) => {
    expect(isJsonMediaType(contentType)).toBe(json);
  });

  it('can be another JSON-based type a route asks for', () => {
    expect(isJsonMediaType('application/merge-patch+json', 'application/merge-patch+json')).toBe(true);
    expect(isJsonMediaType('application/json', 'application/merge-patch+json')).toBe(false);
  });
});

describe('a document body', () => {
  it('comes back exactly as sent, content defaulting to empty where it may be left out', () => {
    expect(validateDocumentInput({ title: ' Spaced ', content: 'x' }, true)).toEqual({ ok: true, value: { title: ' Spaced ', content: 'x' } });
    expect(validateDocumentInput({ title: 'T' }, false)).toEqual({ ok: true, value: { title: 'T', content: '' } });
    expect(validateDocumentInput({ title: '🙂'.repeat(200), content: '' }, true)).toEqual({ ok: true, value: { title: '🙂'.repeat(200), content: '' } });
  });

  it.each([null, [], 'text', 3])('%j is not a body', (body) => {
    expect(validateDocumentInput(body, true)).toEqual({
      ok: false,
      failure: { kind: 'validation-failed', errors: [{ field: '', message: 'The body must be a JSON object with a title.' }] },
    });
  });

  it.each([
    [{ content: 'x' }, true, [{ field: 'title', message: 'A title is required.' }]],
    [{ title: 5, content: 'x' }, true, [{ field: 'title', message: 'The title must be a string.' }]],
    [{ title: ' \t', content: 'x' }, true, [{ field: 'title', message: 'The title must not be empty.' }]],
    [{ title: 'x'.repeat(201), content: 'x' }, true, [{ field: 'title', message: 'The title must be at most 200 characters.' }]],
    [{ title: 'T' }, true, [{ field: 'content', message: 'The content is required (send "" for an empty document).' }]],
    [{ title: 'T', content: 5 }, false, [{ field: 'content', message: 'The content must be a string.' }]],
    [
      { content: null },
      true,
      [
        { field: 'title', message: 'A title is required.' },
        { field: 'content', message: 'The content must be a string.' },
      ],
    ],
  ])('%j (content required: %s) is refused field by field', (body, contentRequired, errors) => {
    expect(validateDocumentInput(body, contentRequired)).toEqual({ ok: false, failure: { kind: 'validation-failed', errors } });
  });

  it('reads only its own fields, not what an object inherits', () => {
    const inherited = Object.create({ title: 'From the prototype', content: 'x' }) as object;
    expect(validateDocumentInput(inherited, true)).toMatchObject({ ok: false });
  });
});

describe('reading a body without a Node request behind it', () => {
  const request = (body: string | null, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
    new Request('http://localhost/api/docs', { method: 'POST', headers, ...(body !== null && { body }) });

  it('reads JSON from the web stream, and an empty body as nothing to parse', async () => {
    expect(await readJsonBody(request('{"title":"T"}'), 100)).toEqual({ ok: true, value: { title: 'T' } });
    expect(await readJsonBody(request(null), 100)).toEqual({
      ok: false,
      failure: { kind: 'bad-request', detail: 'The request body is not valid JSON: Unexpected end of JSON input' },
    });
  });

  it('stops at the limit, counted in bytes', async () => {
    expect(await readJsonBody(request('"ééé"'), 8)).toEqual({ ok: true, value: 'ééé' });
    expect(await readJsonBody(request('"éééé"'), 8)).toEqual({ ok: false, failure: { kind: 'payload-too-large', limit: 8 } });
  });

  it('refuses another media type before reading, naming it', async () => {
    expect(await readJsonBody(request('{}', { 'Content-Type': 'text/plain' }), 100)).toEqual({
      ok: false,
      failure: { kind: 'unsupported-media-type', contentType: 'text/plain' },
    });
  });

  it('refuses bytes that are not UTF-8', async () => {
    const bytes = new Request('http://localhost/', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: new Uint8Array([0x22, 0xff, 0x22]) });
    expect(await readJsonBody(bytes, 100)).toEqual({ ok: false, failure: { kind: 'bad-request', detail: 'The request body is not valid UTF-8.' } });
  });

  it('takes the Node stream only when it has not been read and gives bytes', () => {
    expect(nodeBodySource(undefined)).toBeNull();
    expect(nodeBodySource({ incoming: 'not a stream' })).toBeNull();
    const fresh = Readable.from([Buffer.from('{}')]);
    expect(nodeBodySource({ incoming: fresh })).toBe(fresh);
    const decoded = Readable.from([Buffer.from('{}')]).setEncoding('utf8');
    expect(nodeBodySource({ incoming: decoded })).toBeNull();
  });
});

describe('the words of a conflict', () => {
  it('names who saved which versions after the one edited', () => {
    expect(conflictDetail({ current: revision(2, 'Bob'), base: revision(1), changesSince: [change(2, 'Bob')] }, 'edited')).toBe(
      'Bob saved version 2 after the version 1 you edited.',
    );
    expect(
      conflictDetail({ current: revision(5), base: revision(2), changesSince: [change(3, 'Bob'), change(4, 'Carol'), change(5, 'Bob')] }, 'meant to delete'),
    ).toBe('Bob and Carol saved versions 3 to 5 after the version 2 you meant to delete.');
    expect(
      conflictDetail({ current: revision(4), base: revision(1), changesSince: [change(2, 'Bob'), change(3, 'Carol'), change(4, 'Dana')] }, 'edited'),
    ).toBe('Bob, Carol and Dana saved versions 2 to 4 after the version 1 you edited.');
  });

  it('says when the tag names no version the server knows', () => {
    expect(conflictDetail({ current: revision(3, 'Carol'), base: null, changesSince: [change(1, 'Ana')] }, 'edited')).toBe(
      'The document is at version 3, last saved by Carol; the version you edited is not one this server knows.',
    );
    expect(conflictDetail({ current: revision(3, 'Carol'), base: revision(1), changesSince: [] }, 'meant to delete')).toBe(
      'The document is at version 3, last saved by Carol; the version you meant to delete is not one this server knows.',
    );
  });

  it('says a weak tag of the current version needs the strong one', () => {
    expect(conflictDetail({ current: revision(3), base: revision(3), changesSince: [] }, 'edited')).toBe(
      'Your If-Match names version 3 with a weak tag, and a change needs the strong tag "t.3".',
    );
  });

  it('carries the tag sent, the current version and its tag, the base and the changes', async () => {
    const answer = conflictProblem(412, { current: revision(2, 'Bob'), base: null, changesSince: [change(2, 'Bob')] }, '"old"', 'edited');
    expect(answer.status).toBe(412);
    expect(await answer.json()).toEqual({
      type: '/problems/edit-conflict',
      title: expect.any(String),
      status: 412,
      detail: expect.any(String),
      yourEtag: '"old"',
      current: revision(2, 'Bob').document,
      currentEtag: '"t.2"',
      base: null,
      changesSince: [change(2, 'Bob')],
    });
  });
});

describe('answers', () => {
  const EXPOSED = 'ETag, Location';

  it('a problem is problem+json, never cached, with the tags exposed', async () => {
    const answer = goneProblem('d_1', { at: '2026-11-30T10:00:00.000Z', by: 'Carol' });
    expect(answer.status).toBe(410);
    expect(Object.fromEntries(answer.headers)).toEqual({
      'content-type': 'application/problem+json',
      'cache-control': 'no-store',
      'access-control-expose-headers': EXPOSED,
    });
    expect(await answer.json()).toEqual({
      type: '/problems/gone',
      title: 'Gone',
      status: 410,
      detail: 'Document d_1 was deleted by Carol at 2026-11-30T10:00:00.000Z.',
      id: 'd_1',
      deletedAt: '2026-11-30T10:00:00.000Z',
      deletedBy: 'Carol',
    });
  });

  it('a document carries its tag, its date, no-cache and the exposed headers, and the same bytes every time', async () => {
    const saved = revision(2);
    const answer = documentResponse(saved, 201, { Location: '/api/docs/d_1' });
    expect(answer.status).toBe(201);
    expect(Object.fromEntries(answer.headers)).toEqual({
      'content-type': 'application/json',
      etag: '"t.2"',
      'last-modified': 'Mon, 30 Nov 2026 10:00:00 GMT',
      'cache-control': 'no-cache',
      'access-control-expose-headers': EXPOSED,
      location: '/api/docs/d_1',
    });
    const text = await answer.text();
    expect(JSON.parse(text)).toEqual(saved.document);
    expect(await documentResponse(saved).text()).toBe(text);
    expect(documentResponse(saved).status).toBe(200);
  });

  it('a 304 has the tag, no-cache and the date when it is known, and no body', async () => {
    const dated = notModified('"t.1"', '2026-11-30T10:00:00.000Z');
    expect(dated.status).toBe(304);
    expect(Object.fromEntries(dated.headers)).toEqual({
      etag: '"t.1"',
      'cache-control': 'no-cache',
      'last-modified': 'Mon, 30 Nov 2026 10:00:00 GMT',
      'access-control-expose-headers': EXPOSED,
    });
    expect(await dated.text()).toBe('');
    expect(notModified('"t.1"').headers.get('last-modified')).toBeNull();
  });

  it('a 204 and a JSON answer expose the tags too', async () => {
    expect(noContent().status).toBe(204);
    expect(noContent().headers.get('access-control-expose-headers')).toBe(EXPOSED);
    const json = jsonResponse({ a: 1 });
    expect(Object.fromEntries(json.headers)).toEqual({ 'content-type': 'application/json', 'cache-control': 'no-cache', 'access-control-expose-headers': EXPOSED });
    expect(await json.json()).toEqual({ a: 1 });
  });

  it('a failure of the server is a 500 that reveals nothing of the code', async () => {
    const answer = internalErrorProblem();
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({
      type: '/problems/internal-error',
      title: expect.any(String),
      status: 500,
      detail: 'The server failed while answering this request. The server log has the details.',
    });
  });

  it('a missing condition is a 428 that asks for the tag loaded', async () => {
    const answer = preconditionRequired('delete');
    expect(answer.status).toBe(428);
    expect(((await answer.json()) as { detail: string }).detail).toBe(
      'To delete a document, send If-Match with the ETag of the version you loaded, so a newer save is never overwritten unseen.',
    );
  });

  it('a write the store could not make is 507 on a full disk and 503 otherwise, with Retry-After', async () => {
    const full = storageProblem(new StorageError('The disk is full.', 507, 30));
    expect([full.status, full.headers.get('retry-after')]).toEqual([507, '30']);
    expect(await full.json()).toMatchObject({ type: '/problems/storage-full', detail: 'The disk is full. Nothing was changed; try again later.' });
    const down = storageProblem(new StorageError('The database is unavailable.', 503));
    expect([down.status, down.headers.get('retry-after')]).toEqual([503, '5']);
    expect(await down.json()).toMatchObject({ type: '/problems/storage-unavailable' });
  });

  it('a write whose commit may have been stored says so, and that resending is safe only under an Idempotency-Key', async () => {
    const detail = async (error: StorageError) => ((await storageProblem(error).json()) as { detail: string }).detail;
    expect(await detail(new StorageError('The connection was lost.', 503, 5, { stored: 'unknown', keyed: true }))).toBe(
      'The connection was lost. It may have been stored all the same. Sending the same request again, with the same Idempotency-Key, is safe: if it was stored, the answer is the one it would have had, and nothing is stored twice.',
    );
    expect(await detail(new StorageError('The connection was lost.', 503, 5, { stored: 'unknown' }))).toBe(
      'The connection was lost. It may have been stored all the same: load it again to see before trying again.',
    );
    expect(await detail(new StorageError('The connection was lost.', 503, 5, { stored: 'no', keyed: true }))).toBe(
      'The connection was lost. Nothing was changed; try again later.',
    );
  });
});

describe('the problem of a body', () => {
  const answer = async (failure: BodyFailure) => {
    const response = bodyProblem(failure);
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  };

  it('another media type: 415, what to send and what was sent, and what the route accepts', async () => {
    const plain = await answer({ kind: 'unsupported-media-type', contentType: 'text/plain' });
    expect(plain.status).toBe(415);
    expect(plain.body.detail).toBe('Send the document as application/json (this request said text/plain).');
    expect([plain.headers.get('accept-post'), plain.headers.get('accept-patch')]).toEqual(['application/json', 'application/json']);
    const patch = await answer({ kind: 'unsupported-media-type', contentType: null, acceptPatch: 'application/merge-patch+json' });
    expect(patch.body.detail).toBe('Send the patch as application/merge-patch+json (this request said nothing).');
    expect(patch.headers.get('accept-patch')).toBe('application/merge-patch+json');
  });

  it('too large: 413 with the limit, closing the connection', async () => {
    const large = await answer({ kind: 'payload-too-large', limit: 1024 });
    expect(large.status).toBe(413);
    expect(large.headers.get('connection')).toBe('close');
    expect(large.body).toMatchObject({ type: '/problems/payload-too-large', detail: 'The request body is over the limit of 1024 bytes.', limit: 1024 });
  });

  it('unreadable: 400 with the reason; invalid: 422 with every message and the fields', async () => {
    expect(await answer({ kind: 'bad-request', detail: 'Not JSON.' })).toMatchObject({ status: 400, body: { type: '/problems/bad-request', detail: 'Not JSON.' } });
    const errors = [
      { field: 'title', message: 'A title is required.' },
      { field: 'content', message: 'The content must be a string.' },
    ];
    expect(await answer({ kind: 'validation-failed', errors })).toMatchObject({
      status: 422,
      body: { type: '/problems/validation-failed', detail: 'A title is required. The content must be a string.', errors },
    });
  });
});
