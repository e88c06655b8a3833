/**
 * The concurrency modes of docs/protocol.md §1.11 and the states of §1.12 over real HTTP on
 * loopback: one table of requests, with the answer each mode gives (each case makes its own
 * document and gives it the mode, so all five run on one server), then the same-second race that
 * timestamps allow, on an injected clock.
 */
import { describe, expect, it } from 'vitest';
import { concurrencyModes, formatHttpDate, type ConcurrencyMode } from '../src/protocol/concurrency.ts';
import type { Document, RevisionList } from '../src/protocol/types.ts';
import { createDoc, expectProblem, jsonInit, saveDoc, startTestServer, uniqueTitle, useTestServer } from './test-server.ts';

const server = useTestServer();

type Answer = number | { status: number; problem: string };
type PerMode = Record<ConcurrencyMode, Answer>;

/** The same answer in every mode. */
const all = (answer: Answer): PerMode => Object.fromEntries(concurrencyModes.map((mode) => [mode, answer])) as PerMode;

interface Fixture {
  doc: Document;
  etag: string;
  lastModified: string;
}

async function docInMode(base: string, mode: ConcurrencyMode, content = 'one\ntwo\nthree\n'): Promise<Fixture> {
  const { doc, etag, response } = await createDoc(base, uniqueTitle(`Mode ${mode}`), content);
  const set = await fetch(`${base}/api/docs/${doc.id}/concurrency`, jsonInit('PUT', { concurrency: mode }));
  expect(set.status).toBe(200);
  return { doc, etag, lastModified: response.headers.get('last-modified') ?? '' };
}

/** Bob saved `content` over the fixture's version: the fixture's tag is now stale. */
async function bobSaves(base: string, f: Fixture, content: string): Promise<string> {
  const saved = await saveDoc(base, f.doc.id, { title: f.doc.title, content }, f.etag, 'Bob');
  expect(saved.status).toBe(200);
  return saved.headers.get('etag') ?? '';
}

function put(base: string, f: Fixture, content: string, headers: Record<string, string>, user = 'Ana'): Promise<Response> {
  return fetch(`${base}/api/docs/${f.doc.id}`, jsonInit('PUT', { title: f.doc.title, content }, { 'X-User': user, ...headers }));
}

const secondsBefore = (httpDate: string, seconds: number) => formatHttpDate(new Date(Date.parse(httpDate) - seconds * 1000));

interface Case {
  name: string;
  send: (base: string, f: Fixture) => Promise<Response>;
  answers: PerMode;
}

const conflict = { status: 409, problem: 'edit-conflict' };
const required = { status: 428, problem: 'precondition-required' };

const cases: Case[] = [
  {
    name: 'PUT with the current If-Match',
    send: (b, f) => put(b, f, 'one\ntwo\nthree\nfour\n', { 'If-Match': f.etag }),
    answers: all(200),
  },
  {
    name: 'PUT without any condition',
    send: (b, f) => put(b, f, 'mine\n', {}),
    answers: { none: 200, timestamp: required, etag: required, lock: required, 'server-merge': required },
  },
  {
    name: 'PUT with a stale If-Match, the same line changed on both sides',
    send: async (b, f) => {
      await bobSaves(b, f, 'ONE by Bob\ntwo\nthree\n');
      return put(b, f, 'one by Ana\ntwo\nthree\n', { 'If-Match': f.etag });
    },
    answers: { none: 200, timestamp: conflict, etag: conflict, lock: conflict, 'server-merge': conflict },
  },
  {
    name: 'PUT with a stale If-Match, different lines changed',
    send: async (b, f) => {
      await bobSaves(b, f, 'one by Bob\ntwo\nthree\n');
      return put(b, f, 'one\ntwo\nthree by Ana\n', { 'If-Match': f.etag });
    },
    answers: { none: 200, timestamp: conflict, etag: conflict, lock: conflict, 'server-merge': 200 },
  },
  {
    name: 'PUT with a stale If-Match, the same change on both sides',
    send: async (b, f) => {
      await bobSaves(b, f, 'one\ntwo\nthree\nfour\n');
      return put(b, f, 'one\ntwo\nthree\nfour\n', { 'If-Match': f.etag });
    },
    // Two people making the same change made two saves: the server does not fold them into one.
    answers: { none: 200, timestamp: conflict, etag: conflict, lock: conflict, 'server-merge': conflict },
  },
  {
    name: 'PUT with If-Unmodified-Since equal to Last-Modified, no If-Match',
    send: (b, f) => put(b, f, 'mine\n', { 'If-Unmodified-Since': f.lastModified }),
    answers: { none: 200, timestamp: 200, etag: required, lock: required, 'server-merge': required },
  },
  {
    name: 'PUT with If-Unmodified-Since before Last-Modified, no If-Match',
    send: (b, f) => put(b, f, 'mine\n', { 'If-Unmodified-Since': secondsBefore(f.lastModified, 5) }),
    answers: { none: 200, timestamp: conflict, etag: required, lock: required, 'server-merge': required },
  },
  {
    name: 'PUT with a stale If-Match and a passing If-Unmodified-Since (§13.2.2: If-Unmodified-Since is ignored)',
    send: async (b, f) => {
      await bobSaves(b, f, 'ONE\ntwo\nthree\n');
      return put(b, f, 'one\ntwo\nTHREE\n', { 'If-Match': f.etag, 'If-Unmodified-Since': formatHttpDate(new Date(Date.now() + 3_600_000)) });
    },
    answers: { none: 200, timestamp: conflict, etag: conflict, lock: conflict, 'server-merge': 200 },
  },
  {
    name: 'PUT with the current If-Match and a failing If-Unmodified-Since (§13.2.2: If-Match decides)',
    send: (b, f) => put(b, f, 'mine\n', { 'If-Match': f.etag, 'If-Unmodified-Since': secondsBefore(f.lastModified, 60) }),
    answers: all(200),
  },
  {
    name: 'PUT with an invalid If-Unmodified-Since date only (§13.1.4: ignored)',
    send: (b, f) => put(b, f, 'mine\n', { 'If-Unmodified-Since': '2026-11-30 10:00:00' }),
    answers: { none: 200, timestamp: required, etag: required, lock: required, 'server-merge': required },
  },
  {
    name: 'PUT with the current If-Match while Bob holds the lock',
    send: async (b, f) => {
      const locked = await fetch(`${b}/api/docs/${f.doc.id}/lock`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User': 'Bob' } });
      expect(locked.status).toBe(200);
      return put(b, f, 'mine\n', { 'If-Match': f.etag });
    },
    answers: { none: 200, timestamp: 200, etag: 200, lock: { status: 409, problem: 'resource-locked' }, 'server-merge': 200 },
  },
  {
    name: 'PUT by the lock holder with the current If-Match',
    send: async (b, f) => {
      await fetch(`${b}/api/docs/${f.doc.id}/lock`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User': 'Ana' } });
      return put(b, f, 'mine\n', { 'If-Match': f.etag });
    },
    answers: all(200),
  },
  {
    name: 'DELETE with a stale If-Match',
    send: async (b, f) => {
      await bobSaves(b, f, 'two\n');
      return fetch(`${b}/api/docs/${f.doc.id}`, { method: 'DELETE', headers: { 'If-Match': f.etag } });
    },
    answers: { none: 204, timestamp: conflict, etag: conflict, lock: conflict, 'server-merge': conflict },
  },
  {
    name: 'DELETE while Bob holds the lock',
    send: async (b, f) => {
      await fetch(`${b}/api/docs/${f.doc.id}/lock`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User': 'Bob' } });
      return fetch(`${b}/api/docs/${f.doc.id}`, { method: 'DELETE', headers: { 'If-Match': f.etag } });
    },
    answers: { none: 204, timestamp: 204, etag: 204, lock: { status: 409, problem: 'resource-locked' }, 'server-merge': 204 },
  },
  {
    name: 'POST /transitions draft → published with the current If-Match',
    send: (b, f) => fetch(`${b}/api/docs/${f.doc.id}/transitions`, jsonInit('POST', { to: 'published' }, { 'If-Match': f.etag })),
    answers: all(200),
  },
  {
    name: 'POST /transitions draft → archived (not allowed from draft)',
    send: (b, f) => fetch(`${b}/api/docs/${f.doc.id}/transitions`, jsonInit('POST', { to: 'archived' }, { 'If-Match': f.etag })),
    answers: all({ status: 409, problem: 'resource-state' }),
  },
  {
    name: 'POST /transitions with a stale If-Match',
    send: async (b, f) => {
      await bobSaves(b, f, 'two\n');
      return fetch(`${b}/api/docs/${f.doc.id}/transitions`, jsonInit('POST', { to: 'published' }, { 'If-Match': f.etag }));
    },
    answers: { none: 200, timestamp: conflict, etag: conflict, lock: conflict, 'server-merge': conflict },
  },
  {
    name: 'PUT with the current If-Match to an archived document',
    send: async (b, f) => {
      let etag = f.etag;
      for (const to of ['published', 'archived']) {
        const moved = await fetch(`${b}/api/docs/${f.doc.id}/transitions`, jsonInit('POST', { to }, { 'If-Match': etag }));
        expect(moved.status).toBe(200);
        etag = moved.headers.get('etag') ?? '';
      }
      return put(b, f, 'mine\n', { 'If-Match': etag });
    },
    answers: all({ status: 409, problem: 'resource-state' }),
  },
  {
    name: 'PATCH with a JSON Merge Patch and the current If-Match',
    send: (b, f) =>
      fetch(`${b}/api/docs/${f.doc.id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': f.etag },
        body: JSON.stringify({ title: uniqueTitle('Patched') }),
      }),
    answers: all(200),
  },
  {
    name: 'PATCH with application/json',
    send: (b, f) => fetch(`${b}/api/docs/${f.doc.id}`, jsonInit('PATCH', { title: 'x' }, { 'If-Match': f.etag })),
    answers: all({ status: 415, problem: 'unsupported-media-type' }),
  },
  {
    name: 'PUT with If-None-Match: * to a document that exists',
    send: (b, f) => put(b, f, 'mine\n', { 'If-None-Match': '*' }),
    answers: all({ status: 412, problem: 'precondition-failed' }),
  },
];

describe('status table: the same requests, the answer of each mode', () => {
  for (const c of cases) {
    for (const mode of concurrencyModes) {
      const expected = c.answers[mode];
      const status = typeof expected === 'number' ? expected : expected.status;
      it(`${c.name} → ${mode}: ${status}${typeof expected === 'number' ? '' : ` ${expected.problem}`}`, async () => {
        const fixture = await docInMode(server.url, mode);
        const response = await c.send(server.url, fixture);
        if (typeof expected === 'number') expect(response.status, await response.clone().text()).toBe(expected);
        else await expectProblem(response, expected.status, expected.problem);
      });
    }
  }
});

describe('what the answers carry', () => {
  it('a server merge answers 200 with the merged document and the versions it merged in mergedFrom', async () => {
    const f = await docInMode(server.url, 'server-merge');
    await bobSaves(server.url, f, 'one by Bob\ntwo\nthree\n');
    const merged = await put(server.url, f, 'one\ntwo\nthree by Ana\n', { 'If-Match': f.etag });
    expect(merged.status).toBe(200);
    const body = (await merged.json()) as Document & { mergedFrom: number[] };
    expect(body).toMatchObject({ content: 'one by Bob\ntwo\nthree by Ana\n', version: 3, updatedBy: 'Ana', mergedFrom: [1, 2] });
    const stored = await fetch(`${server.url}/api/docs/${f.doc.id}`);
    expect(stored.headers.get('etag')).toBe(merged.headers.get('etag'));
  });

  it('a lock refusal names the holder and the expiry; a forced take breaks it, and the holder may release', async () => {
    const f = await docInMode(server.url, 'lock');
    const lockUrl = `${server.url}/api/docs/${f.doc.id}/lock`;
    const taken = await fetch(lockUrl, jsonInit('POST', { seconds: 120 }, { 'X-User': 'Bob' }));
    expect(taken.status).toBe(200);
    expect(taken.headers.get('lock-token')).toMatch(/^<urn:uuid:/);
    const lease = ((await taken.json()) as { lock: { holder: string; expires: string } }).lock;
    expect(lease.holder).toBe('Bob');

    const refused = await expectProblem(await fetch(lockUrl, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User': 'Ana' } }), 409, 'resource-locked');
    expect(refused).toMatchObject({ lock: { holder: 'Bob', expires: lease.expires } });
    const save = await expectProblem(await put(server.url, f, 'x\n', { 'If-Match': f.etag }), 409, 'resource-locked');
    expect(save.detail).toContain('Bob is editing');

    const renewed = await fetch(lockUrl, jsonInit('POST', { seconds: 300 }, { 'X-User': 'Bob' }));
    expect(((await renewed.json()) as { lock: { expires: string } }).lock.expires > lease.expires).toBe(true);

    const broken = await fetch(lockUrl, jsonInit('POST', { force: true }, { 'X-User': 'Ana' }));
    expect(broken.status).toBe(200);
    expect(await broken.json()).toMatchObject({ lock: { holder: 'Ana' }, broke: { holder: 'Bob' }, enforced: true });
    await expectProblem(await fetch(lockUrl, { method: 'DELETE', headers: { 'X-User': 'Bob' } }), 409, 'resource-locked');
    expect((await fetch(lockUrl, { method: 'DELETE', headers: { 'X-User': 'Ana' } })).status).toBe(204);
    expect(await (await fetch(lockUrl)).json()).toMatchObject({ lock: null });
  });

  it('a state refusal names the state and the transitions allowed from it', async () => {
    const f = await docInMode(server.url, 'etag');
    const refused = await expectProblem(
      await fetch(`${server.url}/api/docs/${f.doc.id}/transitions`, jsonInit('POST', { to: 'archived' }, { 'If-Match': f.etag })),
      409,
      'resource-state',
    );
    expect(refused).toMatchObject({ state: 'draft', allowedTransitions: ['published'] });
    const published = await fetch(`${server.url}/api/docs/${f.doc.id}/transitions`, jsonInit('POST', { to: 'published' }, { 'If-Match': f.etag }));
    expect(await published.json()).toMatchObject({ state: 'published', version: 2 });
  });

  it('PUT with If-None-Match: * creates under the client id once: 201 with Location, then 412', async () => {
    const id = `d_client_${Date.now()}`;
    const body = { title: uniqueTitle('Created by PUT'), content: 'hello' };
    const first = await fetch(`${server.url}/api/docs/${id}`, jsonInit('PUT', body, { 'If-None-Match': '*' }));
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/api/docs/${id}`);
    expect(first.headers.get('etag')).toBeTruthy();
    expect(await first.json()).toMatchObject({ id, version: 1, state: 'draft', content: 'hello' });
    const second = await fetch(`${server.url}/api/docs/${id}`, jsonInit('PUT', { ...body, content: 'other' }, { 'If-None-Match': '*' }));
    await expectProblem(second, 412, 'precondition-failed');
    expect(((await (await fetch(`${server.url}/api/docs/${id}`)).json()) as Document).content).toBe('hello');
    // Without If-None-Match a PUT to an unknown id is still a 404: it never creates by accident.
    await expectProblem(await fetch(`${server.url}/api/docs/d_nobody_${Date.now()}`, jsonInit('PUT', body, { 'If-Match': '*' })), 404, 'not-found');
  });

  it('PATCH other than merge patch answers 415 with Accept-Patch; a null title is refused', async () => {
    const f = await docInMode(server.url, 'etag');
    const wrong = await fetch(`${server.url}/api/docs/${f.doc.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json-patch+json', 'If-Match': f.etag },
      body: '[]',
    });
    await expectProblem(wrong, 415, 'unsupported-media-type');
    expect(wrong.headers.get('accept-patch')).toContain('application/merge-patch+json');
    const nulled = await fetch(`${server.url}/api/docs/${f.doc.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': f.etag },
      body: '{"title": null}',
    });
    await expectProblem(nulled, 422, 'validation-failed');
  });

  it('HEAD answers with the ETag, Last-Modified and length of GET, and a 304 carries ETag, Cache-Control and Last-Modified', async () => {
    const f = await docInMode(server.url, 'etag', 'héllo wörld ✓\n');
    const get = await fetch(`${server.url}/api/docs/${f.doc.id}`);
    const bytes = (await get.arrayBuffer()).byteLength;
    const head = await fetch(`${server.url}/api/docs/${f.doc.id}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    for (const name of ['etag', 'last-modified', 'cache-control']) expect(head.headers.get(name)).toBe(get.headers.get(name));
    expect(Number(head.headers.get('content-length'))).toBe(bytes);
    expect(get.headers.get('last-modified')).toBe(formatHttpDate(f.doc.updatedAt));

    const notModified = await fetch(`${server.url}/api/docs/${f.doc.id}`, { headers: { 'If-None-Match': f.etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(f.etag);
    expect(notModified.headers.get('cache-control')).toBe('no-cache');
    expect(notModified.headers.get('last-modified')).toBe(get.headers.get('last-modified'));
  });

  it('the server-wide mode is read and changed through the simulation settings; a document of its own keeps its mode', async () => {
    const own = await docInMode(server.url, 'lock');
    const following = await createDoc(server.url);
    try {
      const changed = await fetch(`${server.url}/api/simulation`, jsonInit('PATCH', { concurrency: 'none' }));
      expect(await changed.json()).toMatchObject({ concurrency: 'none', documentConcurrency: { [own.doc.id]: 'lock' } });
      expect(await (await fetch(`${server.url}/api/docs/${following.doc.id}/concurrency`)).json()).toEqual({
        id: following.doc.id,
        concurrency: 'none',
        own: null,
      });
      await expectProblem(await fetch(`${server.url}/api/simulation`, jsonInit('PATCH', { concurrency: 'optimistic' })), 422, 'validation-failed');
    } finally {
      server.app.settings.concurrency = 'etag';
    }
  });
});

describe('lost updates, told after the fact', () => {
  it('in none: the save that replaced a version unseen says which, the event and the revision list too', async () => {
    const f = await docInMode(server.url, 'none');
    await bobSaves(server.url, f, 'Bob was here\n');
    const alice = await put(server.url, f, 'Alice was here\n', { 'If-Match': f.etag }, 'Alice');
    expect(alice.status).toBe(200);
    expect(await alice.json()).toMatchObject({ version: 3, overwrote: [2] });
    const { revisions } = (await (await fetch(`${server.url}/api/docs/${f.doc.id}/revisions`)).json()) as RevisionList;
    expect(revisions.map((r) => [r.version, r.basedOn === f.etag, r.lost, r.overwrote])).toEqual([
      [1, false, false, []],
      [2, true, true, []],
      [3, true, false, [2]],
    ]);
    // Bringing Bob's change back is a normal save that starts from the version Alice made.
    const restored = await put(server.url, f, 'Alice was here\nBob was here\n', { 'If-Match': alice.headers.get('etag') ?? '' }, 'Bob');
    expect(await restored.json()).not.toHaveProperty('overwrote');
  });
});

describe('the same-second race that timestamps allow and strong ETags do not', () => {
  for (const mode of ['timestamp', 'etag'] as const) {
    it(`${mode}: two saves from the same version within one second`, async () => {
      let now = Date.parse('2026-11-30T10:00:00.100Z');
      const clock = () => new Date(now);
      const running = await startTestServer({ now: clock, settings: { concurrency: mode } });
      try {
        const { doc, etag, response } = await createDoc(running.url, uniqueTitle('Race'), 'count: 0\n');
        const lastModified = response.headers.get('last-modified') ?? '';
        expect(lastModified).toBe('Mon, 30 Nov 2026 10:00:00 GMT');
        // Alice and Bob both loaded version 1; each sends what the mode wants.
        const headers: Record<string, string> = mode === 'timestamp' ? { 'If-Unmodified-Since': lastModified, 'X-Based-On': etag } : { 'If-Match': etag };
        const save = (user: string, content: string) =>
          fetch(`${running.url}/api/docs/${doc.id}`, jsonInit('PUT', { title: doc.title, content }, { 'X-User': user, ...headers }));

        now = Date.parse('2026-11-30T10:00:00.400Z');
        const alice = await save('Alice', 'count: 1 (Alice)\n');
        expect(alice.status).toBe(200);
        now = Date.parse('2026-11-30T10:00:00.700Z');
        const bob = await save('Bob', 'count: 1 (Bob)\n');
        const state = (await (await fetch(`${running.url}/api/simulation`)).json()) as { lostUpdates: number };
        if (mode === 'timestamp') {
          // Version 2 was modified in the same second as version 1, so the date condition passes.
          expect(bob.status).toBe(200);
          expect(await bob.json()).toMatchObject({ version: 3, overwrote: [2] });
          expect(state.lostUpdates).toBe(1);
          // Once a save lands in a later second, the date tells versions apart: the condition fails.
          now = Date.parse('2026-11-30T10:00:01.200Z');
          const current = await fetch(`${running.url}/api/docs/${doc.id}`);
          const dave = await fetch(
            `${running.url}/api/docs/${doc.id}`,
            jsonInit('PUT', { title: doc.title, content: 'count: 2\n' }, { 'X-User': 'Dave', 'If-Match': current.headers.get('etag') ?? '' }),
          );
          expect(dave.status).toBe(200);
          const late = await save('Carol', 'count: 1 (Carol)\n');
          await expectProblem(late, 409, 'edit-conflict');
        } else {
          await expectProblem(bob, 409, 'edit-conflict');
          expect(state.lostUpdates).toBe(0);
        }
      } finally {
        await running.close();
      }
    });
  }
});
