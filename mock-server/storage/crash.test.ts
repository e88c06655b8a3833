/**
 * A 200 means the save is on disk: writers doing read-modify-write increments against a server
 * in a child process, killed with SIGKILL at random moments and restarted on the same data
 * folder. Afterwards every acknowledged save is there, with the tag it was acknowledged with,
 * the versions run 1, 2, 3… without a gap, and no tag was handed out twice.
 */
import { readdirSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { removeTempFolders, tempFolder } from './engines-under-test.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { DATABASE_FILE, LOCK_FILE, openSqliteStore } from './sqlite-store.ts';

afterAll(removeTempFolders);

const WRITERS = 12;
const KILLS = 10;

interface Acknowledged {
  version: number;
  etag: string;
  content: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('loses no acknowledged save when the server is killed again and again', { timeout: 60_000 }, async () => {
  const folder = tempFolder();
  let server: ServerProcess = await startServerProcess(['--data', folder]);
  const created = await fetch(`${server.url}/api/docs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-User': 'Setup' },
    body: JSON.stringify({ title: 'Counter', content: '0' }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };

  const acknowledged: Acknowledged[] = [];
  let running = true;
  let failures = 0;

  async function writer(name: string): Promise<void> {
    while (running) {
      try {
        const read = await fetch(`${server.url}/api/docs/${id}`);
        const etag = read.headers.get('etag') ?? '';
        const { content } = (await read.json()) as { content: string };
        const next = String(Number(content) + 1);
        const saved = await fetch(`${server.url}/api/docs/${id}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json', 'If-Match': etag, 'X-User': name },
          body: JSON.stringify({ title: 'Counter', content: next }),
        });
        if (saved.status === 200) {
          const document = (await saved.json()) as { version: number; content: string };
          acknowledged.push({ version: document.version, etag: saved.headers.get('etag') ?? '', content: document.content });
        } else {
          await saved.arrayBuffer();
          if (saved.status !== 409) throw new Error(`unexpected ${saved.status}`);
        }
      } catch {
        // The server is down (or went down mid-request): no answer, so nothing was acknowledged.
        failures += 1;
        await pause(10);
      }
    }
  }

  const writers = Array.from({ length: WRITERS }, (_, i) => writer(`W${i}`));
  for (let kill = 0; kill < KILLS; kill++) {
    // Kill in the middle of the writing: after a few saves of this run, at a random moment.
    const before = acknowledged.length;
    while (acknowledged.length < before + 3) await pause(5);
    await pause(Math.random() * 50);
    await server.kill();
    server = await startServerProcess(['--data', folder]);
  }
  await pause(300);
  running = false;
  await Promise.all(writers);
  expect(await server.stop()).toBe(0);

  expect(acknowledged.length).toBeGreaterThanOrEqual(KILLS * 3);
  expect(failures).toBeGreaterThan(0);
  expect(readdirSync(folder).sort()).toEqual([LOCK_FILE, DATABASE_FILE]);

  const store = openSqliteStore({ folder });
  try {
    const history = (await store.revisions(id)) ?? [];
    // Versions 1, 2, 3… with no gap, each one more than the one before, and no tag twice.
    expect(history.map((r) => r.version)).toEqual(history.map((_, i) => i + 1));
    expect(new Set(history.map((r) => r.etag)).size).toBe(history.length);
    const contents = await Promise.all(history.map(async (r) => (await store.revision(id, r.version))?.document.content));
    expect(contents).toEqual(history.map((_, i) => String(i)));
    // Every acknowledged save is stored as it was acknowledged.
    const byVersion = new Map(history.map((r) => [r.version, r.etag]));
    const lost = acknowledged.filter((a) => byVersion.get(a.version) !== a.etag || a.content !== String(a.version - 1));
    expect(lost).toEqual([]);
    expect(new Set(acknowledged.map((a) => a.etag)).size).toBe(acknowledged.length);
  } finally {
    await store.close();
  }
});
