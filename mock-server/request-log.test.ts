/**
 * The request log's line (docs/protocol.md §1.9), over real HTTP: what each part says, the colours
 * a terminal gets, and the time it gives. The escaping of what a request carries is in logs.test.ts.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createApp } from './app.ts';
import { removeTempFolders, tempFolder } from './storage/engines-under-test.ts';
import { openSqliteStore, SqliteStore } from './storage/sqlite-store.ts';
import { createDoc, saveDoc, startTestServer } from './test-server.ts';

afterAll(removeTempFolders);

const YELLOW = '\u001b[1;33m';
const RED = '\u001b[1;31m';
const RESET = '\u001b[0m';

/** A server that logs into `lines`, and closes at the end of the test that started it. */
async function loggingServer(color: boolean, folder?: string) {
  const lines: string[] = [];
  const server = await startTestServer({
    log: (line) => lines.push(line),
    color,
    ...(folder !== undefined && { storage: { kind: 'folder', folder, seed: false } }),
  });
  return { server, lines };
}

describe('a log line', () => {
  it('gives "-" for a missing If-Match and a missing ETag, and the status between them', async () => {
    const { server, lines } = await loggingServer(false);
    try {
      await fetch(`${server.url}/api/docs/d_nothing_here`);
      expect(lines).toEqual([expect.stringMatching(/^GET \/api\/docs\/d_nothing_here If-Match=- → 404 ETag=- [\d.]+ms by anonymous$/)]);
    } finally {
      await server.close();
    }
  });

  it('marks a 409 and a 412 as conflicts, and nothing else', async () => {
    const { server, lines } = await loggingServer(false);
    try {
      const { doc, etag } = await createDoc(server.url);
      expect((await saveDoc(server.url, doc.id, { title: doc.title, content: 'second' }, etag)).status).toBe(200);
      expect((await saveDoc(server.url, doc.id, { title: doc.title, content: 'stale' }, etag)).status).toBe(409);
      server.app.settings.conflictStatus = 412;
      expect((await saveDoc(server.url, doc.id, { title: doc.title, content: 'stale' }, etag)).status).toBe(412);
      const [created, saved, conflict, failed] = lines;
      expect(created).toMatch(/ → 201 .*by Ana$/);
      expect(saved).toMatch(/ → 200 .*by Ana$/);
      expect(conflict).toMatch(/^PUT \/api\/docs\/\S+ If-Match="[^"]+" → 409 ETag=- [\d.]+ms by Ana {2}\(conflict\)$/);
      expect(failed).toMatch(/ → 412 .*by Ana {2}\(conflict\)$/);
      for (const line of lines) expect(line).not.toContain('\u001b');
    } finally {
      await server.close();
    }
  });

  it('gives the time the server took, never more than the client waited', async () => {
    const { server, lines } = await loggingServer(false);
    try {
      const started = performance.now();
      await createDoc(server.url);
      const waited = performance.now() - started;
      const ms = Number(/ ([\d.]+)ms by /.exec(lines[0] ?? '')?.[1]);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(waited);
    } finally {
      await server.close();
    }
  });
});

describe('a user the server cannot read', () => {
  it('is logged as sent, beside the 400 that refuses it', async () => {
    const { server, lines } = await loggingServer(false);
    try {
      const response = await fetch(`${server.url}/api/docs`, { headers: { 'X-User': "UTF-8''%C5" } });
      expect(response.status).toBe(400);
      expect(lines).toEqual([expect.stringMatching(/^GET \/api\/docs If-Match=- → 400 ETag=- [\d.]+ms by UTF-8''%C5$/)]);
    } finally {
      await server.close();
    }
  });
});

describe('in colour', () => {
  it('shows a conflict in yellow with its mark, a server failure in red, and the rest plain', async () => {
    const { server, lines } = await loggingServer(true, tempFolder());
    const store = server.app.store;
    if (!(store instanceof SqliteStore)) throw new Error('expected the embedded store');
    try {
      const { doc, etag } = await createDoc(server.url, undefined, 'x'.repeat(10_000));
      expect((await saveDoc(server.url, doc.id, { title: doc.title, content: 'stale' }, '"not-the-tag"')).status).toBe(409);
      // A full disk: the save is refused with 507, a failure of the server.
      store.limitPagesForTesting(0);
      let tag = etag;
      let refused = 0;
      for (let i = 0; i < 200 && refused === 0; i++) {
        const response = await saveDoc(server.url, doc.id, { title: doc.title, content: `${i}`.repeat(10_000) }, tag);
        if (response.status === 200) tag = response.headers.get('etag') ?? '';
        else refused = response.status;
      }
      expect(refused).toBe(507);
      const [created, conflict] = lines;
      expect(created).toMatch(/^POST \/api\/docs If-Match=- → 201 ETag="[^"]+" [\d.]+ms by Ana$/);
      expect(colouredAs(YELLOW, conflict)).toMatch(/^PUT .* → 409 .*by Ana {2}\(conflict\)$/);
      expect(colouredAs(RED, lines.at(-1))).toMatch(/^PUT .* → 507 ETag=- [\d.]+ms by Ana$/);
      for (const line of lines.slice(2, -1)) expect(line).toMatch(/^PUT .* → 200 .*by Ana$/);
    } finally {
      store.limitPagesForTesting(null);
      await server.close();
    }
  });
});

describe('a failure of the server', () => {
  it('is a 500 problem for the client, red in the log, and the error with the request in the server log', async () => {
    const { server, lines } = await loggingServer(true);
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      // A store that can no longer answer: every read now throws.
      await server.app.store.close();
      const response = await fetch(`${server.url}/api/docs`);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ type: '/problems/internal-error' });
      expect(colouredAs(RED, lines[0])).toMatch(/^GET \/api\/docs If-Match=- → 500 ETag=- [\d.]+ms by anonymous$/);
      expect(consoleError).toHaveBeenCalledWith('GET /api/docs failed:', expect.any(Error));
    } finally {
      consoleError.mockRestore();
      await server.close().catch(() => {});
    }
  });
});

describe('the app without a Node server', () => {
  it('answers and logs a request made with app.request(), which has no Node request behind it', async () => {
    const lines: string[] = [];
    const store = openSqliteStore({ folder: null, seed: false });
    const app = createApp(store, { log: (line) => lines.push(line), settings: { allowedHosts: ['localhost'] } });
    try {
      const response = await app.request('http://localhost/api/docs');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ docs: [] });
      expect(lines).toEqual([expect.stringMatching(/^GET \/api\/docs If-Match=- → 200 ETag=- [\d.]+ms by anonymous$/)]);
    } finally {
      app.shutdown();
      await store.close();
    }
  });
});

/** The text of a line shown in `colour`; fails when the line is not in it. */
function colouredAs(colour: string, line: string | undefined): string {
  expect(line?.startsWith(colour), `${JSON.stringify(line)} starts with ${JSON.stringify(colour)}`).toBe(true);
  expect(line?.endsWith(RESET), `${JSON.stringify(line)} ends with the reset`).toBe(true);
  return (line ?? '').slice(colour.length, -RESET.length);
}
