/**
 * The contract's bad-input list: each gets a problem, no stack trace, and changes nothing.
 */
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Document, DocumentList, RevisionList } from '../src/protocol/types.ts';
import { createDoc, expectProblem, jsonInit, saveDoc, uniqueTitle, useTestServer, changeInit } from './test-server.ts';

const server = useTestServer();

async function docCount(): Promise<number> {
  return ((await (await fetch(`${server.url}/api/docs`)).json()) as DocumentList).docs.length;
}

async function versions(id: string): Promise<number[]> {
  return ((await (await fetch(`${server.url}/api/docs/${id}/revisions`)).json()) as RevisionList).revisions.map((r) => r.version);
}

const BAD_BODIES: Array<{ name: string; init: RequestInit; status: number; slug: string; field?: string }> = [
  { name: 'malformed JSON', init: jsonInit('POST', '{"title": "x",'), status: 400, slug: 'bad-request' },
  { name: 'empty body', init: jsonInit('POST', ''), status: 400, slug: 'bad-request' },
  {
    name: 'invalid UTF-8',
    init: { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]) },
    status: 400,
    slug: 'bad-request',
  },
  { name: 'text/plain', init: { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"title":"x"}' }, status: 415, slug: 'unsupported-media-type' },
  { name: 'no Content-Type', init: { method: 'POST', body: new Uint8Array(Buffer.from('{"title":"x"}')) }, status: 415, slug: 'unsupported-media-type' },
  {
    name: 'form encoded',
    init: { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'title=x' },
    status: 415,
    slug: 'unsupported-media-type',
  },
  {
    name: 'JSON in another charset',
    init: { method: 'POST', headers: { 'Content-Type': 'application/json; charset=latin1' }, body: '{"title":"x"}' },
    status: 415,
    slug: 'unsupported-media-type',
  },
  { name: 'an array', init: jsonInit('POST', '[]'), status: 422, slug: 'validation-failed', field: '' },
  { name: 'null', init: jsonInit('POST', 'null'), status: 422, slug: 'validation-failed', field: '' },
  { name: 'a string', init: jsonInit('POST', '"title"'), status: 422, slug: 'validation-failed', field: '' },
  { name: 'no title', init: jsonInit('POST', { content: 'x' }), status: 422, slug: 'validation-failed', field: 'title' },
  { name: 'title a number', init: jsonInit('POST', { title: 5 }), status: 422, slug: 'validation-failed', field: 'title' },
  { name: 'title only spaces', init: jsonInit('POST', { title: ' \t ' }), status: 422, slug: 'validation-failed', field: 'title' },
  { name: 'title of 201 characters', init: jsonInit('POST', { title: 'é'.repeat(201) }), status: 422, slug: 'validation-failed', field: 'title' },
  { name: 'content an object', init: jsonInit('POST', { title: 'x', content: { text: 'x' } }), status: 422, slug: 'validation-failed', field: 'content' },
  { name: 'content null', init: jsonInit('POST', { title: 'x', content: null }), status: 422, slug: 'validation-failed', field: 'content' },
];

describe('bad bodies on POST change nothing', () => {
  it.each(BAD_BODIES)('$name → $status $slug', async ({ init, status, slug, field }) => {
    const before = await docCount();
    const body = await expectProblem(await fetch(`${server.url}/api/docs`, init), status, slug);
    if (field !== undefined) expect((body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
    expect(await docCount()).toBe(before);
  });
});

describe('bad bodies on PUT change nothing', () => {
  it.each([
    { name: 'malformed JSON', init: (etag: string) => jsonInit('PUT', '{', { 'If-Match': etag }), status: 400, slug: 'bad-request' },
    {
      name: 'not JSON',
      init: (etag: string) => ({ method: 'PUT', headers: { 'Content-Type': 'text/plain', 'If-Match': etag }, body: 'x' }),
      status: 415,
      slug: 'unsupported-media-type',
    },
    { name: 'content missing', init: (etag: string) => jsonInit('PUT', { title: 'x' }, { 'If-Match': etag }), status: 422, slug: 'validation-failed' },
    { name: 'title empty', init: (etag: string) => jsonInit('PUT', { title: '', content: 'x' }, { 'If-Match': etag }), status: 422, slug: 'validation-failed' },
  ])('$name → $status', async ({ init, status, slug }) => {
    const { doc, etag } = await createDoc(server.url);
    await expectProblem(await fetch(`${server.url}/api/docs/${doc.id}`, init(etag)), status, slug);
    expect(await versions(doc.id)).toEqual([1]);
  });

  it('a 422 lists every wrong field', async () => {
    const { doc, etag } = await createDoc(server.url);
    const body = await expectProblem(
      await fetch(`${server.url}/api/docs/${doc.id}`, jsonInit('PUT', { title: 1, content: 2 }, { 'If-Match': etag })),
      422,
      'validation-failed',
    );
    expect(body.errors).toEqual([
      { field: 'title', message: expect.any(String) },
      { field: 'content', message: expect.any(String) },
    ]);
  });
});

describe('limits', () => {
  it('takes a title of exactly 200 characters (counted as characters, not UTF-16 units)', async () => {
    const prefix = uniqueTitle();
    const exact = prefix + '🧪'.repeat(200 - [...prefix].length);
    expect([...exact].length).toBe(200);
    expect(exact.length).toBeGreaterThan(300);
    const response = await fetch(`${server.url}/api/docs`, jsonInit('POST', { title: exact }));
    expect(response.status).toBe(201);
    expect(((await response.json()) as Document).title).toBe(exact);
  });

  it('refuses a body over 1 MiB by its Content-Length with 413', async () => {
    const before = await docCount();
    const content = 'x'.repeat(1024 * 1024);
    const response = await fetch(`${server.url}/api/docs`, jsonInit('POST', { title: uniqueTitle(), content }));
    const body = await expectProblem(response, 413, 'payload-too-large');
    expect(body.limit).toBe(1024 * 1024);
    expect(await docCount()).toBe(before);
  });

  it('takes a body just under the limit', async () => {
    const title = uniqueTitle();
    const overhead = JSON.stringify({ title, content: '' }).length;
    const response = await fetch(`${server.url}/api/docs`, jsonInit('POST', { title, content: 'y'.repeat(1024 * 1024 - overhead) }));
    expect(response.status).toBe(201);
  });

  it('stops reading a chunked body as soon as it passes the limit (a 1 GB body is never buffered)', async () => {
    const before = await docCount();
    const url = new URL(`${server.url}/api/docs`);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const oneGigabyte = 1024 * 1024 * 1024;
    const { status, body, sent } = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'Content-Type': 'application/json' } },
        (res) => {
          answered = true;
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (part: string) => (text += part));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, sent }));
          res.on('error', reject);
        },
      );
      // The server may close the socket while we are still writing; that is the point.
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      req.write('{"title":"big","content":"');
      const pump = () => {
        while (!answered && sent < oneGigabyte) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) req.end('"}');
      };
      pump();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
    // Answered long before the client got anywhere near a gigabyte.
    expect(sent).toBeLessThan(128 * 1024 * 1024);
    expect(await docCount()).toBe(before);
  });
});

describe('prototype pollution', () => {
  it.each([
    ['__proto__', '{"title":"%T","content":"x","__proto__":{"polluted":"yes"}}'],
    ['constructor.prototype', '{"title":"%T","content":"x","constructor":{"prototype":{"polluted":"yes"}}}'],
  ])('a %s key cannot reach any prototype', async (_name, template) => {
    const response = await fetch(`${server.url}/api/docs`, jsonInit('POST', template.replace('%T', uniqueTitle())));
    expect(response.status).toBe(201);
    const doc = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual(['content', 'id', 'state', 'title', 'updatedAt', 'updatedBy', 'version']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    const list = (await (await fetch(`${server.url}/api/docs`)).json()) as DocumentList;
    expect(list.docs.every((d) => !('polluted' in d))).toBe(true);
  });

  it('a title named __proto__ is just a title', async () => {
    const response = await fetch(`${server.url}/api/docs`, jsonInit('POST', '{"title":{"__proto__":{"polluted":"yes"}}}'));
    await expectProblem(response, 422, 'validation-failed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('conditional headers', () => {
  it('a weak tag never matches, not even the current one', async () => {
    const { doc, etag } = await createDoc(server.url);
    const response = await saveDoc(server.url, doc.id, { title: doc.title, content: 'mine' }, `W/${etag}`);
    const body = await expectProblem(response, 409, 'edit-conflict');
    expect(body.detail).toMatch(/weak/);
    const del = await fetch(`${server.url}/api/docs/${doc.id}`, changeInit('DELETE', { 'If-Match': `W/${etag}` }));
    await expectProblem(del, 409, 'edit-conflict');
    expect(await versions(doc.id)).toEqual([1]);
  });

  it.each(['abc', '"a" "b"', '*, "a"', 'W/abc', '"unterminated', ','])('a malformed If-Match %j → 400, nothing saved', async (header) => {
    const { doc } = await createDoc(server.url);
    const body = await expectProblem(await saveDoc(server.url, doc.id, { title: doc.title, content: 'mine' }, header), 400, 'bad-request');
    expect(body.header).toBe('If-Match');
    await expectProblem(await fetch(`${server.url}/api/docs/${doc.id}`, changeInit('DELETE', { 'If-Match': header })), 400, 'bad-request');
    expect(await versions(doc.id)).toEqual([1]);
  });

  it('a malformed If-None-Match → 400', async () => {
    const { doc } = await createDoc(server.url);
    await expectProblem(await fetch(`${server.url}/api/docs/${doc.id}`, { headers: { 'If-None-Match': 'nope' } }), 400, 'bad-request');
  });

  it('an If-Match list passes when any tag is current, and fails when none is', async () => {
    const { doc, etag } = await createDoc(server.url);
    const failed = await saveDoc(server.url, doc.id, { title: doc.title, content: 'a' }, '"x", W/"y"');
    expect(failed.status).toBe(409);
    const passed = await saveDoc(server.url, doc.id, { title: doc.title, content: 'a' }, `"x", ${etag}, W/"y"`);
    expect(passed.status).toBe(200);
    expect(await versions(doc.id)).toEqual([1, 2]);
  });

  it('If-Match * saves over any current version', async () => {
    const { doc, etag } = await createDoc(server.url);
    await saveDoc(server.url, doc.id, { title: doc.title, content: 'b' }, etag, 'Bob');
    const response = await saveDoc(server.url, doc.id, { title: doc.title, content: 'c' }, '*');
    expect(response.status).toBe(200);
    expect(((await response.json()) as Document).version).toBe(3);
  });
});
