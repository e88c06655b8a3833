/**
 * Documents survive a restart with the same tags, on either engine; no tag is ever reused; a
 * damaged old data file is refused without touching it; the real CLI stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentList, RevisionList } from '../src/protocol/types.ts';
import { enginesUnderTest } from './storage/engines-under-test.ts';
import type { StorageConfig } from './storage/open.ts';
import { DATABASE_FILE, LOCK_FILE } from './storage/sqlite-store.ts';
import { StoreOpenError } from './storage/types.ts';
import { changeInit, createDoc, saveDoc, startTestServer } from './test-server.ts';

let dir: string;
let dataFolder: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conflict-lab-'));
  dataFolder = join(dir, 'nested', 'data');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function allTags(base: string): Promise<string[]> {
  const list = (await (await fetch(`${base}/api/docs`)).json()) as DocumentList;
  const tags: string[] = [];
  for (const doc of list.docs) {
    const revisions = (await (await fetch(`${base}/api/docs/${doc.id}/revisions`)).json()) as RevisionList;
    tags.push(...revisions.revisions.map((r) => r.etag));
  }
  return tags;
}

describe.each(enginesUnderTest())('persistence on $name', (engine) => {
  let storage: StorageConfig;
  beforeEach(async () => {
    storage = engine.name === 'sqlite' ? { kind: 'folder', folder: dataFolder } : await engine.freshConfig({ seed: true });
  });

  it('keeps documents, history and tags across a restart, and mints tags that never match old ones', async () => {
    const first = await startTestServer({ storage });
    const { doc, etag: v1 } = await createDoc(first.url, 'Survives', 'one');
    const saved = await saveDoc(first.url, doc.id, { title: 'Survives', content: 'two' }, v1, 'Bob');
    const v2 = saved.headers.get('etag') ?? '';
    const doomed = await createDoc(first.url, 'Doomed', 'x');
    await fetch(`${first.url}/api/docs/${doomed.doc.id}`, changeInit('DELETE', { 'If-Match': doomed.etag }));
    const tagsBefore = [...(await allTags(first.url)), doomed.etag];
    await first.close();

    const second = await startTestServer({ storage });
    try {
      const current = await fetch(`${second.url}/api/docs/${doc.id}`);
      expect(current.status).toBe(200);
      expect(current.headers.get('etag')).toBe(v2);
      expect(await current.json()).toMatchObject({ content: 'two', version: 2, updatedBy: 'Bob' });
      const revisions = (await (await fetch(`${second.url}/api/docs/${doc.id}/revisions`)).json()) as RevisionList;
      expect(revisions.revisions.map((r) => r.etag)).toEqual([v1, v2]);
      expect((await fetch(`${second.url}/api/docs/${doomed.doc.id}`)).status).toBe(410);

      // The stale tag from before the restart still conflicts, and the current one still saves.
      expect((await saveDoc(second.url, doc.id, { title: 'Survives', content: 'x' }, v1)).status).toBe(409);

      // A re-created namesake of the deleted document gets a tag no old tag matches.
      const reborn = await createDoc(second.url, 'Doomed', 'x');
      expect(tagsBefore).not.toContain(reborn.etag);
      for (const old of tagsBefore) {
        const attempt = await saveDoc(second.url, reborn.doc.id, { title: 'Doomed', content: `with ${old}` }, old);
        expect(attempt.status).toBe(409);
      }
      expect((await saveDoc(second.url, doc.id, { title: 'Survives', content: 'three' }, v2)).status).toBe(200);
    } finally {
      await second.close();
    }
    // Closed cleanly: the database and its (empty) lock file, no log, journal or temp files left behind.
    if (engine.name === 'sqlite') expect(readdirSync(dataFolder).sort()).toEqual([LOCK_FILE, DATABASE_FILE]);
  });

  it('writes the sample documents on first start, so their ids survive a restart', async () => {
    const first = await startTestServer({ storage });
    const ids = ((await (await fetch(`${first.url}/api/docs`)).json()) as DocumentList).docs.map((d) => d.id);
    await first.close();
    expect(ids).toHaveLength(3);
    const second = await startTestServer({ storage });
    try {
      const again = ((await (await fetch(`${second.url}/api/docs`)).json()) as DocumentList).docs.map((d) => d.id);
      expect(again).toEqual(ids);
    } finally {
      await second.close();
    }
  });
});

describe('the old data file', () => {
  it.each([
    ['not JSON', '{"format": "conflict-lab-store/1", "documents": ['],
    ['another format', '{"format": "something-else", "documents": []}'],
    ['a revision out of order', '{"format":"conflict-lab-store/1","documents":[{"id":"d_1","deleted":null,"revisions":[{"etag":"\\"t\\"","document":{"id":"d_1","title":"x","content":"","version":2,"updatedAt":"","updatedBy":""}}]}]}'],
    ['an empty file', ''],
  ])('is refused when damaged (%s), and left untouched', async (_name, text) => {
    const file = join(dir, 'documents.json');
    writeFileSync(file, text);
    await expect(startTestServer({ storage: { kind: 'folder', folder: dir } })).rejects.toThrow(StoreOpenError);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});

const MAIN = resolve(import.meta.dirname, 'main.ts');

function runCli(args: string[], env: Record<string, string> = {}) {
  // Node itself, not the tsx launcher: the launcher relays a signal to its child and may exit on it
  // first (143), so the server's own exit code would be lost.
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (part: string) => (stdout += part));
  child.stderr.setEncoding('utf8').on('data', (part: string) => (stderr += part));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout} ${stderr}`)), 20_000);
    child.stdout.on('data', () => {
      const match = /on (http:\/\/[^/\s]+)\//.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited before listening: ${stderr}`));
    });
  });
  return { child, exited, url, output: () => ({ stdout, stderr }) };
}

describe('the CLI', () => {
  it('stops with a clear message on a damaged old data file and does not overwrite it', async () => {
    const file = join(dir, 'documents.json');
    writeFileSync(file, '{ broken');
    const cli = runCli(['--data', dir, '--port', '0', '--quiet']);
    cli.url.catch(() => undefined);
    expect(await cli.exited).toBe(1);
    expect(cli.output().stderr).toMatch(/^conflict-lab: The old data file .* cannot be imported/);
    expect(readFileSync(file, 'utf8')).toBe('{ broken');
  });

  it('stops with a clear message when another server uses the data folder', async () => {
    const first = runCli(['--data', dataFolder, '--port', '0', '--quiet']);
    await first.url;
    const second = runCli(['--data', dataFolder, '--port', '0', '--quiet']);
    second.url.catch(() => undefined);
    expect(await second.exited).toBe(1);
    expect(second.output().stderr).toMatch(/^conflict-lab: Another Conflict Lab server is using .*Stop it first/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('on SIGTERM closes event streams and the store, with every save in it', async () => {
    const cli = runCli(['--data', dataFolder, '--port', '0', '--host', '127.0.0.1']);
    const base = await cli.url;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const events = await fetch(`${base}/api/events`);
    const { doc, etag } = await createDoc(base, 'Written on shutdown', 'one');
    const saved = await saveDoc(base, doc.id, { title: doc.title, content: 'two' }, etag);
    expect(saved.status).toBe(200);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    // The event stream ended instead of hanging.
    await expect(events.text()).resolves.toContain('event: updated');
    const again = await startTestServer({ storage: { kind: 'folder', folder: dataFolder } });
    try {
      const stored = await fetch(`${again.url}/api/docs/${doc.id}`);
      expect(stored.headers.get('etag')).toBe(saved.headers.get('etag'));
      expect(await stored.json()).toMatchObject({ title: 'Written on shutdown', content: 'two' });
    } finally {
      await again.close();
    }
    // The log has one line per request, with the status.
    expect(cli.output().stdout).toMatch(/PUT \/api\/docs\/d_\w+ If-Match="[^"]+" → 200 ETag="[^"]+" [\d.]+ms/);
  });

  it('takes the conflict status and latency from flags, and from the environment', async () => {
    const viaFlags = runCli(['--memory', '--port', '0', '--quiet', '--conflict-status', '412', '--latency', '80']);
    const viaEnv = runCli(['--memory', '--port', '0', '--quiet'], { CONFLICT_STATUS: '412', LATENCY_MS: '80' });
    for (const cli of [viaFlags, viaEnv]) {
      const base = await cli.url;
      const { doc, etag } = await createDoc(base, 'Flags', 'one');
      expect((await saveDoc(base, doc.id, { title: doc.title, content: 'two' }, etag, 'Bob')).status).toBe(200);
      const started = performance.now();
      const stale = await saveDoc(base, doc.id, { title: doc.title, content: 'three' }, etag, 'Ana');
      expect(performance.now() - started).toBeGreaterThanOrEqual(75);
      expect(stale.status).toBe(412);
      expect(((await stale.json()) as { type: string }).type).toMatch(/edit-conflict$/);
      const state = (await (await fetch(`${base}/api/simulation`)).json()) as { conflictStatus: number; latencyMs: number };
      expect(state).toMatchObject({ conflictStatus: 412, latencyMs: 80 });
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
    }
  });

  it('refuses a bad flag value with a clear message and does not start', async () => {
    const cases = [
      ['--memory', '--port', '0', '--conflict-status', '500'],
      ['--memory', '--port', '0', '--latency', 'lots'],
      ['--memory', '--port', '70000'],
      ['--memory', '--data', join(dir, 'unused'), '--port', '0'],
      ['--data', join(dir, 'unused'), '--database', 'postgres://127.0.0.1:1/x', '--port', '0'],
      ['--database', 'mysql://127.0.0.1/x', '--port', '0'],
    ];
    for (const args of cases) {
      const cli = runCli([...args, '--quiet']);
      cli.url.catch(() => undefined);
      expect(await cli.exited, args.join(' ')).toBe(1);
      expect(cli.output().stderr).toMatch(/^conflict-lab: /);
    }
  });
});
