/**
 * What the app around the routes does at its edges: the log of an app given no colour setting, a
 * client that went away mid-body, the event stream untouched by the simulated latency, a client
 * route with a dot in it, and the words of a bad client id. Over real HTTP where a socket matters;
 * through `app.fetch` with a Node stream as its env where the moment the client leaves must be exact.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { SseReader } from './sse-client.ts';
import { removeTempFolders, tempFolder } from './storage/engines-under-test.ts';
import { openSqliteStore } from './storage/sqlite-store.ts';
import { expectProblem, jsonInit, startTestServer, useTestServer } from './test-server.ts';

afterAll(removeTempFolders);

const server = useTestServer();

/** An app over a store in memory, with what it logged; closed by the returned function. */
function appInMemory(options: Parameters<typeof createApp>[1] = {}) {
  const lines: string[] = [];
  const store = openSqliteStore({ folder: null, seed: false });
  const app = createApp(store, { log: (line) => lines.push(line), settings: { allowedHosts: ['localhost'] }, ...options });
  const close = async () => {
    app.shutdown();
    await store.close();
  };
  return { app, lines, close };
}

describe('the request log of an app given no colour setting', () => {
  it('marks a conflict in words only, with no terminal colours', async () => {
    const { app, lines, close } = appInMemory();
    try {
      const created = await app.request('http://localhost/api/docs', jsonInit('POST', { title: 'Plain', content: 'one' }, { 'X-User': 'Ana' }));
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const stale = await app.request(`http://localhost/api/docs/${id}`, jsonInit('PUT', { title: 'Plain', content: 'two' }, { 'If-Match': '"stale"', 'X-User': 'Ana' }));
      expect(stale.status).toBe(409);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/^PUT \/api\/docs\/\S+ If-Match="stale" → 409 ETag=- [\d.]+ms by Ana {2}\(conflict\)$/);
      for (const line of lines) expect(line).not.toContain('\u001b');
    } finally {
      await close();
    }
  });
});

describe('a client that went away before its body was complete', () => {
  it('gets a 400 no one reads, the log says it went away, and nothing is saved', async () => {
    const { app, lines, close } = appInMemory();
    try {
      // The Node request stream behind the request, as @hono/node-server hands it to the app.
      const incoming = Object.assign(new Readable({ read() {} }), { complete: false });
      const answer = app.fetch(
        new Request('http://localhost/api/docs', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User': 'Ana' } }),
        { incoming, outgoing: null },
      );
      incoming.push(Buffer.from('{"title":"Cut off'));
      incoming.destroy();
      const response = await answer;
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        type: '/problems/bad-request',
        detail: 'The client closed the connection before the request body was complete.',
      });
      expect(lines).toEqual([expect.stringMatching(/^POST \/api\/docs: the client went away before the request was complete \([\d.]+ms\)$/)]);
      const list = (await (await app.request('http://localhost/api/docs')).json()) as { docs: unknown[] };
      expect(list.docs).toEqual([]);
    } finally {
      await close();
    }
  });

  it('is told apart from one whose whole request arrived', async () => {
    const { app, lines, close } = appInMemory();
    try {
      const incoming = Object.assign(new Readable({ read() {} }), { complete: true });
      const answer = app.fetch(
        new Request('http://localhost/api/docs', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User': 'Ana' } }),
        { incoming, outgoing: null },
      );
      incoming.push(Buffer.from('{"title":"Whole","content":""}'));
      // The client sent everything and closed its side at once.
      incoming.destroy();
      expect((await answer).status).toBe(201);
      expect(lines).toEqual([expect.stringMatching(/^POST \/api\/docs If-Match=- → 201 ETag="[^"]+" [\d.]+ms by Ana$/)]);
    } finally {
      await close();
    }
  });
});

describe('the simulated latency', () => {
  it('delays the API but never the event stream', async () => {
    const { app, close } = appInMemory({ settings: { allowedHosts: ['localhost'], latencyMs: 60_000 } });
    try {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('The event stream did not open within 5 s.')), 5_000);
      });
      const response = await Promise.race([app.request('http://localhost/api/events'), late]).finally(() => clearTimeout(timer));
      const reader = new SseReader(response);
      expect((await reader.next())?.comments).toContain('connected');
      await reader.cancel();
    } finally {
      await close();
    }
  });
});

describe('a client-side route', () => {
  it('with a dot inside the path, not at its end, still gets the app shell', async () => {
    const root = tempFolder();
    const shell = '<!doctype html><title>Conflict Lab</title>';
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'index.html'), shell);
    const withApp = await startTestServer({ staticRoot: root });
    try {
      for (const route of ['/docs/v1.2/history', '/notes.d/today']) {
        const page = await fetch(`${withApp.url}${route}`);
        expect([route, page.status, await page.text()]).toEqual([route, 200, shell]);
      }
      const file = await fetch(`${withApp.url}/docs/v1.2`);
      expect(file.status).toBe(404);
    } finally {
      await withApp.close();
    }
  });
});

describe('a bad client id', () => {
  it('on the event stream and on presence: a 400 that says what a client id is', async () => {
    const detail = 'A client id is 1 to 100 letters, digits, "-" or "_".';
    const stream = await expectProblem(await fetch(`${server.url}/api/events?client=${encodeURIComponent('a b')}`), 400, 'bad-request');
    expect(stream.detail).toBe(detail);
    const put = await fetch(`${server.url}/api/presence/${encodeURIComponent('a b')}`, jsonInit('PUT', { user: 'Ana', color: '#000000', docId: null, token: 't' }));
    expect((await expectProblem(put, 400, 'bad-request')).detail).toBe(detail);
  });
});
