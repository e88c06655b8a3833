/**
 * Every status of docs/protocol.md §1 over real HTTP on loopback, with its headers and problem body.
 */
import { describe, expect, it } from 'vitest';
import { isEditConflict } from '../src/protocol/problems.ts';
import type { Problem } from '../src/protocol/problems.ts';
import type { Document, DocumentList, RevisionList } from '../src/protocol/types.ts';
import { enginesUnderTest } from './storage/engines-under-test.ts';
import { createDoc, expectProblem, jsonInit, saveDoc, uniqueTitle, useTestServer, changeInit } from './test-server.ts';


interface Case {
  name: string;
  /** Makes the case's own data and sends its request. */
  send: (base: string) => Promise<Response>;
  status: number;
  /** Problem type slug when the answer is a problem. */
  problem?: string;
  /** Headers that must be present (value, or true for "any value"). */
  headers?: Record<string, string | true>;
  /** Headers that must be absent. */
  absent?: string[];
}

async function deletedDoc(base: string) {
  const { doc, etag } = await createDoc(base);
  const response = await fetch(`${base}/api/docs/${doc.id}`, changeInit('DELETE', { 'If-Match': etag }));
  expect(response.status).toBe(204);
  return { doc, etag };
}

async function twoVersions(base: string) {
  const { doc, etag } = await createDoc(base);
  const saved = await saveDoc(base, doc.id, { title: doc.title, content: 'second' }, etag, 'Bob');
  expect(saved.status).toBe(200);
  return { doc, staleEtag: etag, currentEtag: saved.headers.get('etag') ?? '' };
}

const documentHeaders = { etag: true, 'cache-control': 'no-cache', 'content-type': 'application/json' } as const;

const cases: Case[] = [
  { name: 'GET /api/docs → 200 list', send: (b) => fetch(`${b}/api/docs`), status: 200, headers: { 'content-type': 'application/json' } },
  {
    name: 'POST /api/docs → 201 with Location and ETag',
    send: (b) => fetch(`${b}/api/docs`, jsonInit('POST', { title: uniqueTitle(), content: 'x' })),
    status: 201,
    headers: { ...documentHeaders, location: true },
  },
  {
    name: 'POST /api/docs with a live title → 409 duplicate-title',
    send: async (b) => {
      const { doc } = await createDoc(b);
      return fetch(`${b}/api/docs`, jsonInit('POST', { title: ` ${doc.title.toUpperCase()} ` }));
    },
    status: 409,
    problem: 'duplicate-title',
  },
  {
    name: 'GET /api/docs/{id} → 200 with ETag and Cache-Control',
    send: async (b) => fetch(`${b}/api/docs/${(await createDoc(b)).doc.id}`),
    status: 200,
    headers: documentHeaders,
  },
  {
    name: 'GET /api/docs/{id} with a matching If-None-Match → 304 with ETag and Cache-Control',
    send: async (b) => {
      const { doc, etag } = await createDoc(b);
      return fetch(`${b}/api/docs/${doc.id}`, { headers: { 'If-None-Match': `"other", W/${etag}` } });
    },
    status: 304,
    headers: { etag: true, 'cache-control': 'no-cache' },
  },
  {
    name: 'GET /api/docs/{id} with a stale If-None-Match → 200',
    send: async (b) => {
      const { doc, staleEtag } = await twoVersions(b);
      return fetch(`${b}/api/docs/${doc.id}`, { headers: { 'If-None-Match': staleEtag } });
    },
    status: 200,
    headers: documentHeaders,
  },
  { name: 'GET unknown document → 404 not-found', send: (b) => fetch(`${b}/api/docs/d_missing`), status: 404, problem: 'not-found' },
  {
    name: 'GET deleted document → 410 gone',
    send: async (b) => fetch(`${b}/api/docs/${(await deletedDoc(b)).doc.id}`),
    status: 410,
    problem: 'gone',
  },
  {
    name: 'PUT with the current tag → 200 with a new ETag',
    send: async (b) => {
      const { doc, etag } = await createDoc(b);
      return saveDoc(b, doc.id, { title: doc.title, content: 'changed' }, etag);
    },
    status: 200,
    headers: documentHeaders,
  },
  {
    name: 'PUT without If-Match → 428, no tag revealed',
    send: async (b) => {
      const { doc } = await createDoc(b);
      return fetch(`${b}/api/docs/${doc.id}`, jsonInit('PUT', { title: doc.title, content: 'x' }));
    },
    status: 428,
    problem: 'precondition-required',
    absent: ['etag'],
  },
  {
    name: 'PUT with a stale tag → 409 edit-conflict',
    send: async (b) => {
      const { doc, staleEtag } = await twoVersions(b);
      return saveDoc(b, doc.id, { title: doc.title, content: 'mine' }, staleEtag);
    },
    status: 409,
    problem: 'edit-conflict',
    absent: ['etag'],
  },
  {
    name: 'PUT unknown document → 404',
    send: (b) => saveDoc(b, 'd_missing', { title: 'x', content: 'x' }, '"x"'),
    status: 404,
    problem: 'not-found',
  },
  {
    name: 'PUT deleted document → 410',
    send: async (b) => {
      const { doc, etag } = await deletedDoc(b);
      return saveDoc(b, doc.id, { title: doc.title, content: 'x' }, etag);
    },
    status: 410,
    problem: 'gone',
  },
  {
    name: 'PUT renaming to another live title → 409 duplicate-title',
    send: async (b) => {
      const first = await createDoc(b);
      const second = await createDoc(b);
      return saveDoc(b, second.doc.id, { title: first.doc.title.toLowerCase(), content: 'x' }, second.etag);
    },
    status: 409,
    problem: 'duplicate-title',
  },
  {
    name: 'DELETE with the current tag → 204',
    send: async (b) => {
      const { doc, etag } = await createDoc(b);
      return fetch(`${b}/api/docs/${doc.id}`, changeInit('DELETE', { 'If-Match': etag }));
    },
    status: 204,
  },
  {
    name: 'DELETE without If-Match → 428',
    send: async (b) => fetch(`${b}/api/docs/${(await createDoc(b)).doc.id}`, changeInit('DELETE')),
    status: 428,
    problem: 'precondition-required',
    absent: ['etag'],
  },
  {
    name: 'DELETE with a stale tag → 409 edit-conflict',
    send: async (b) => {
      const { doc, staleEtag } = await twoVersions(b);
      return fetch(`${b}/api/docs/${doc.id}`, changeInit('DELETE', { 'If-Match': staleEtag }));
    },
    status: 409,
    problem: 'edit-conflict',
  },
  {
    name: 'DELETE unknown document → 404',
    send: (b) => fetch(`${b}/api/docs/d_missing`, changeInit('DELETE', { 'If-Match': '*' })),
    status: 404,
    problem: 'not-found',
  },
  {
    name: 'DELETE deleted document → 410',
    send: async (b) => fetch(`${b}/api/docs/${(await deletedDoc(b)).doc.id}`, changeInit('DELETE', { 'If-Match': '*' })),
    status: 410,
    problem: 'gone',
  },
  {
    name: 'GET revisions → 200',
    send: async (b) => fetch(`${b}/api/docs/${(await twoVersions(b)).doc.id}/revisions`),
    status: 200,
    headers: { 'content-type': 'application/json' },
  },
  { name: 'GET revisions of unknown document → 404', send: (b) => fetch(`${b}/api/docs/d_missing/revisions`), status: 404, problem: 'not-found' },
  {
    name: 'GET one revision → 200 with that version’s ETag',
    send: async (b) => fetch(`${b}/api/docs/${(await twoVersions(b)).doc.id}/revisions/1`),
    status: 200,
    headers: documentHeaders,
  },
  {
    name: 'GET a version that does not exist → 404',
    send: async (b) => fetch(`${b}/api/docs/${(await createDoc(b)).doc.id}/revisions/9`),
    status: 404,
    problem: 'not-found',
  },
  {
    name: 'GET version "abc" → 404',
    send: async (b) => fetch(`${b}/api/docs/${(await createDoc(b)).doc.id}/revisions/abc`),
    status: 404,
    problem: 'not-found',
  },
  { name: 'unknown /api route → 404 problem', send: (b) => fetch(`${b}/api/nothing/here`), status: 404, problem: 'not-found' },
  { name: 'GET /api → 404 problem', send: (b) => fetch(`${b}/api`), status: 404, problem: 'not-found' },
  { name: 'PATCH /api/docs → 405 with Allow', send: (b) => fetch(`${b}/api/docs`, changeInit('PATCH')), status: 405, problem: 'method-not-allowed', headers: { allow: 'GET, HEAD, POST' } },
  {
    name: 'POST /api/docs/{id} → 405 with Allow',
    send: async (b) => fetch(`${b}/api/docs/${(await createDoc(b)).doc.id}`, changeInit('POST')),
    status: 405,
    problem: 'method-not-allowed',
    headers: { allow: 'GET, HEAD, PUT, PATCH, DELETE' },
  },
  { name: 'DELETE /api/events → 405', send: (b) => fetch(`${b}/api/events`, changeInit('DELETE')), status: 405, problem: 'method-not-allowed' },
  {
    name: 'PUT /api/docs/{id}/revisions/1 → 405',
    send: async (b) => fetch(`${b}/api/docs/${(await createDoc(b)).doc.id}/revisions/1`, changeInit('PUT')),
    status: 405,
    problem: 'method-not-allowed',
  },
];

// The whole table on each engine: the embedded one, and PostgreSQL when there is one (always in CI).
describe.each(enginesUnderTest())('on $name', (engine) => {
  const server = useTestServer({ freshStorage: () => engine.freshConfig({ seed: true }) });

  describe('status table', () => {
    it.each(cases)('$name', async ({ send, status, problem, headers = {}, absent = [] }) => {
      const response = await send(server.url);
      const text = await response.text();
      expect(response.status, text).toBe(status);
      expect(response.headers.get('access-control-expose-headers')).toBe('ETag, Location');
      for (const [name, value] of Object.entries(headers)) {
        if (value === true) expect(response.headers.get(name), name).toBeTruthy();
        else expect(response.headers.get(name), name).toBe(value);
      }
      for (const name of absent) expect(response.headers.get(name), name).toBeNull();
      if (problem) {
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        const body = JSON.parse(text) as Problem;
        expect(body).toMatchObject({ type: `/problems/${problem}`, status });
        expect(body.title).toEqual(expect.any(String));
        expect(body.detail).toEqual(expect.any(String));
        expect(text).not.toMatch(/at .*\.ts:\d+/);
      }
      if (status === 304 || status === 204) expect(text).toBe('');
    });
  });

  describe('bodies and headers in detail', () => {
    it('POST answers 201 with the document, Location and ETag, and GET returns the same bytes', async () => {
      const title = uniqueTitle('Créé ✓');
      const content = 'line one\r\nline two\u2028 emoji 🧪 and a lone tab\t';
      const response = await fetch(`${server.url}/api/docs`, jsonInit('POST', { title, content }, { 'X-User': 'Ana' }));
      expect(response.status).toBe(201);
      const body = (await response.json()) as Document;
      expect(body).toMatchObject({ title, content, version: 1, updatedBy: 'Ana' });
      expect(body.id).toMatch(/^d_/);
      expect(response.headers.get('location')).toBe(`/api/docs/${body.id}`);
      const fetched = await fetch(`${server.url}${response.headers.get('location')}`);
      expect(fetched.headers.get('etag')).toBe(response.headers.get('etag'));
      expect(await fetched.json()).toEqual(body);
    });

    it('content is optional on POST and defaults to empty', async () => {
      const response = await fetch(`${server.url}/api/docs`, jsonInit('POST', { title: uniqueTitle() }));
      expect(response.status).toBe(201);
      expect(((await response.json()) as Document).content).toBe('');
    });

    it('the list has summaries with etag and without content', async () => {
      const { doc, etag } = await createDoc(server.url);
      const list = (await (await fetch(`${server.url}/api/docs`)).json()) as DocumentList;
      const summary = list.docs.find((d) => d.id === doc.id);
      expect(summary).toEqual({ id: doc.id, title: doc.title, version: 1, updatedAt: doc.updatedAt, updatedBy: 'Ana', state: 'draft', etag });
      expect(list.docs.every((d) => !('content' in d))).toBe(true);
    });

    it('the edit-conflict problem carries yourEtag, current, currentEtag, base, changesSince and a plain detail', async () => {
      const { doc, etag: v1 } = await createDoc(server.url);
      const s2 = await saveDoc(server.url, doc.id, { title: doc.title, content: 'by Bob' }, v1, 'Bob');
      const s3 = await saveDoc(server.url, doc.id, { title: doc.title, content: 'by Carol' }, s2.headers.get('etag') ?? '', 'Carol');
      const v3 = s3.headers.get('etag') ?? '';
      const response = await saveDoc(server.url, doc.id, { title: doc.title, content: 'mine' }, v1, 'Ana');
      expect(response.status).toBe(409);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({
        type: '/problems/edit-conflict',
        title: 'Edit conflict',
        status: 409,
        detail: 'Bob and Carol saved versions 2 to 3 after the version 1 you edited.',
        yourEtag: v1,
        currentEtag: v3,
        current: { id: doc.id, content: 'by Carol', version: 3, updatedBy: 'Carol' },
        base: { id: doc.id, content: 'first', version: 1 },
        changesSince: [
          { version: 2, updatedBy: 'Bob', updatedAt: expect.any(String) },
          { version: 3, updatedBy: 'Carol', updatedAt: expect.any(String) },
        ],
      });
      // All the app's dialog is built from: the client takes it for a conflict.
      expect(isEditConflict(body as Problem)).toBe(true);
      // Nothing was overwritten.
      expect(((await (await fetch(`${server.url}/api/docs/${doc.id}`)).json()) as Document).content).toBe('by Carol');
    });

    it('one later save reads "Bob saved version 2 after the version 1 you edited."', async () => {
      const { doc, etag } = await createDoc(server.url);
      await saveDoc(server.url, doc.id, { title: doc.title, content: 'by Bob' }, etag, 'Bob');
      const response = await saveDoc(server.url, doc.id, { title: doc.title, content: 'mine' }, etag);
      expect(((await response.json()) as Problem).detail).toBe('Bob saved version 2 after the version 1 you edited.');
    });

    it('a tag the server never issued gives base null and every version as changesSince', async () => {
      const { doc } = await createDoc(server.url);
      const response = await saveDoc(server.url, doc.id, { title: doc.title, content: 'mine' }, '"never-issued"');
      expect(response.status).toBe(409);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.base).toBeNull();
      expect(body.changesSince).toEqual([{ version: 1, updatedBy: 'Ana', updatedAt: doc.updatedAt }]);
    });

    it('a stale tag is a conflict even when the same user sends the stored body again (without a key it is no retry)', async () => {
      const { doc, etag } = await createDoc(server.url);
      expect((await saveDoc(server.url, doc.id, { title: doc.title, content: 'saved once' }, etag)).status).toBe(200);
      const again = await saveDoc(server.url, doc.id, { title: doc.title, content: 'saved once' }, etag);
      expect(again.status).toBe(409);
      const revisions = (await (await fetch(`${server.url}/api/docs/${doc.id}/revisions`)).json()) as RevisionList;
      expect(revisions.revisions.map((r) => r.version)).toEqual([1, 2]);
    });

    it('the 412 setting answers a failed If-Match with 412 and the same body', async () => {
      server.app.settings.conflictStatus = 412;
      try {
        const { doc, etag } = await createDoc(server.url);
        await saveDoc(server.url, doc.id, { title: doc.title, content: 'two' }, etag, 'Bob');
        const response = await saveDoc(server.url, doc.id, { title: doc.title, content: 'mine' }, etag);
        expect(response.status).toBe(412);
        expect(await response.json()).toMatchObject({ type: '/problems/edit-conflict', status: 412, yourEtag: etag });
      } finally {
        server.app.settings.conflictStatus = 409;
      }
    });

    it('revisions list each version oldest first with its tag, and each version is served as it was', async () => {
      const { doc, etag: v1 } = await createDoc(server.url);
      const s2 = await saveDoc(server.url, doc.id, { title: doc.title, content: 'two' }, v1, 'Bob');
      const list = (await (await fetch(`${server.url}/api/docs/${doc.id}/revisions`)).json()) as RevisionList;
      expect(list.revisions).toEqual([
        { version: 1, updatedAt: doc.updatedAt, updatedBy: 'Ana', etag: v1, basedOn: null, lost: false, overwrote: [] },
        { version: 2, updatedAt: expect.any(String), updatedBy: 'Bob', etag: s2.headers.get('etag'), basedOn: v1, lost: false, overwrote: [] },
      ]);
      const old = await fetch(`${server.url}/api/docs/${doc.id}/revisions/1`);
      expect(old.headers.get('etag')).toBe(v1);
      expect(await old.json()).toEqual(doc);
    });

    it('X-User defaults to anonymous, and a name over 64 characters is refused, not cut', async () => {
      const plain = await fetch(`${server.url}/api/docs`, jsonInit('POST', { title: uniqueTitle() }));
      expect(((await plain.json()) as Document).updatedBy).toBe('anonymous');
      const title = uniqueTitle();
      const long = await fetch(`${server.url}/api/docs`, jsonInit('POST', { title }, { 'X-User': 'x'.repeat(65) }));
      expect(await expectProblem(long, 400, 'bad-request')).toMatchObject({ header: 'X-User' });
      const docs = ((await (await fetch(`${server.url}/api/docs`)).json()) as { docs: Document[] }).docs;
      expect(docs.some((doc) => doc.title === title)).toBe(false);
    });

    it('a deleted document’s tag never matches its re-created namesake', async () => {
      const { doc, etag } = await deletedDoc(server.url);
      const again = await createDoc(server.url, doc.title);
      expect(again.doc.id).not.toBe(doc.id);
      expect(again.etag).toMatch(/^"[^"]+"$/);
      expect(again.etag).not.toBe(etag);
      const stale = await saveDoc(server.url, again.doc.id, { title: doc.title, content: 'x' }, etag);
      expect(stale.status).toBe(409);
    });
  });
});
