/**
 * What only the embedded engine has: its data folder (the old JSON file imported once, kept
 * renamed), its lock (one server per folder), and a full disk.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEntityTagCondition } from '../../src/protocol/etag.ts';
import { removeTempFolders, tempFolder } from './engines-under-test.ts';
import { LEGACY_FORMAT } from './legacy-json.ts';
import { smallDisk } from './small-disk.ts';
import { DATABASE_FILE, LEGACY_FILE, LOCK_FILE, openSqliteStore } from './sqlite-store.ts';
import { StorageError, StoreOpenError } from './types.ts';

afterAll(removeTempFolders);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A data file as the earlier versions wrote it: one live document with two versions, one deleted. */
function legacyFile() {
  const doc = (id: string, version: number, content: string, etag: string) => ({
    document: { id, title: `Title of ${id}`, content, version, updatedAt: `2026-11-2${version}T10:00:00.000Z`, updatedBy: 'Ana' },
    etag,
  });
  return {
    format: LEGACY_FORMAT,
    documents: [
      { id: 'd_live', revisions: [doc('d_live', 1, 'one', '"old.1"'), doc('d_live', 2, 'two', '"old.2"')], deleted: null },
      { id: 'd_gone', revisions: [doc('d_gone', 1, 'bye', '"old.3"')], deleted: { at: '2026-11-25T10:00:00.000Z', by: 'Bob' } },
    ],
  };
}

describe('the embedded store', () => {
  it('imports the old data file once, with its history, tags and deletions, and keeps it renamed', async () => {
    const folder = tempFolder();
    const original = JSON.stringify(legacyFile());
    writeFileSync(join(folder, LEGACY_FILE), original);
    const store = openSqliteStore({ folder });
    try {
      expect(await store.list()).toEqual([
        { id: 'd_live', title: 'Title of d_live', version: 2, updatedAt: '2026-11-22T10:00:00.000Z', updatedBy: 'Ana', state: 'draft', etag: '"old.2"' },
      ]);
      // Files from before states and basedOn: drafts, each version based on the one before.
      expect((await store.revisions('d_live'))?.map(({ etag, basedOn, state }) => ({ etag, basedOn, state }))).toEqual([
        { etag: '"old.1"', basedOn: null, state: 'draft' },
        { etag: '"old.2"', basedOn: '"old.1"', state: 'draft' },
      ]);
      expect(await store.get('d_gone')).toEqual({ kind: 'gone', at: '2026-11-25T10:00:00.000Z', by: 'Bob' });
      // A tag from the old file still works as If-Match, and a stale one is still a conflict.
      expect(await store.update('d_live', { title: 'Title of d_live', content: 'x' }, parseEntityTagCondition('"old.1"'), 'Bob')).toMatchObject({
        kind: 'conflict',
        base: { etag: '"old.1"' },
      });
      const saved = await store.update('d_live', { title: 'Title of d_live', content: 'three' }, parseEntityTagCondition('"old.2"'), 'Bob');
      expect(saved).toMatchObject({ kind: 'updated', revision: { document: { version: 3 } } });
    } finally {
      await store.close();
    }
    expect(readdirSync(folder).sort()).toEqual([LOCK_FILE, DATABASE_FILE, `${LEGACY_FILE}.imported`]);
    expect(readFileSync(join(folder, `${LEGACY_FILE}.imported`), 'utf8')).toBe(original);

    // Started again: nothing is imported twice, the save after the import is still there.
    const again = openSqliteStore({ folder });
    try {
      expect((await again.revisions('d_live'))?.map((r) => r.version)).toEqual([1, 2, 3]);
    } finally {
      await again.close();
    }
  });

  it('refuses a damaged old data file, changes nothing and creates no database', () => {
    const folder = tempFolder();
    const broken = JSON.stringify({ ...legacyFile(), documents: [{ id: 'd_x', revisions: [], deleted: null }] });
    writeFileSync(join(folder, LEGACY_FILE), broken);
    expect(() => openSqliteStore({ folder })).toThrow(/cannot be imported.*d_x|documents\[0\] has no revisions/);
    expect(readFileSync(join(folder, LEGACY_FILE), 'utf8')).toBe(broken);
  });

  it('holds its folder: a second store on the same folder stops with a clear message', async () => {
    const folder = tempFolder();
    const first = openSqliteStore({ folder });
    try {
      expect(() => openSqliteStore({ folder })).toThrow(StoreOpenError);
      expect(() => openSqliteStore({ folder })).toThrow(/Another Conflict Lab server is using/);
      // From another process too (the lock is SQLite's, held by the operating system).
      const script = `import { openSqliteStore } from ${JSON.stringify(join(import.meta.dirname, 'sqlite-store.ts'))};
        try { await openSqliteStore({ folder: ${JSON.stringify(folder)} }).close(); console.log('opened'); } catch (e) { console.log(e.message); }`;
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: process.cwd() });
      expect(out.trim()).toMatch(/^Another Conflict Lab server is using/);
      // The checkpoint thread's second connection to the database is this server's own: it works.
      const made = await first.create({ title: 'While held', content: 'x' }, 'Ana');
      expect(made.kind).toBe('created');
      expect((await first.list()).length).toBe(4);
    } finally {
      await first.close();
    }
    const second = openSqliteStore({ folder });
    await second.close();
  });

  it('copies its log into the database in a worker thread while it runs, and the thread ends with the store', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    const database = join(folder, DATABASE_FILE);
    try {
      const before = statSync(database).size;
      const content = 'x'.repeat(10_000);
      await Promise.all(Array.from({ length: 100 }, (_, i) => store.create({ title: `Doc ${i}`, content }, 'Ana')));
      // SQLite's own checkpoints are off on the store's connection: only the thread copies pages.
      for (let waited = 0; statSync(database).size < before + 100 * content.length && waited < 10_000; waited += 50) await pause(50);
      expect(statSync(database).size).toBeGreaterThanOrEqual(before + 100 * content.length);
      expect((await store.list()).length).toBe(100);
    } finally {
      await store.close();
    }
    // The thread's connection closed before the store's, which removed the log as the last one.
    expect(readdirSync(folder).sort()).toEqual([LOCK_FILE, DATABASE_FILE]);
  });

  it('keeps its log bounded under a steady stream of saves, whose writes wait out the checkpoint’s lock', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    const wal = join(folder, `${DATABASE_FILE}-wal`);
    try {
      const made = await store.create({ title: 'Busy', content: '' }, 'Ana');
      if (made.kind !== 'created') throw new Error(made.kind);
      let etag = made.revision.etag;
      // About 30 MiB through the log, one save after another with no pause for a checkpoint to
      // catch up: without the thread's RESTART the log would hold all of it.
      for (let i = 0; i < 1000; i++) {
        const saved = await store.update(made.revision.document.id, { title: 'Busy', content: `${i}`.padEnd(10_000, '.') }, parseEntityTagCondition(etag), 'Ana');
        if (saved.kind !== 'updated') throw new Error(saved.kind);
        etag = saved.revision.etag;
      }
      expect(statSync(wal).size).toBeLessThan(16 * 1024 * 1024);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('lets a save wait while another connection holds the write lock, instead of refusing it', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    try {
      const made = await store.create({ title: 'Held', content: 'one' }, 'Ana');
      if (made.kind !== 'created') throw new Error(made.kind);
      // As the checkpoint thread's RESTART does, for longer.
      const other = new Database(join(folder, DATABASE_FILE));
      other.exec('BEGIN IMMEDIATE');
      const saving = store.update(made.revision.document.id, { title: 'Held', content: 'two' }, parseEntityTagCondition(made.revision.etag), 'Bob');
      await pause(300);
      other.exec('COMMIT');
      other.close();
      expect(await saving).toMatchObject({ kind: 'updated', revision: { document: { version: 2, content: 'two' } } });
    } finally {
      await store.close();
    }
  });

  it('does not keep the process alive when nobody closes it', () => {
    const folder = tempFolder();
    const script = `import { openSqliteStore } from ${JSON.stringify(join(import.meta.dirname, 'sqlite-store.ts'))};
      const store = openSqliteStore({ folder: ${JSON.stringify(folder)} });
      await store.create({ title: 'Left open', content: 'x' }, 'Ana');
      console.log('saved');`;
    // execFileSync throws if the child is still running when the timeout ends.
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(out.trim()).toBe('saved');
    // Ended without closing: the save is durable all the same, and the next store finds it.
    const again = openSqliteStore({ folder });
    return again
      .list()
      .then((docs) => expect(docs.map((d) => d.title)).toContain('Left open'))
      .finally(() => again.close());
  });

  it('refuses to use a file as its folder', () => {
    const folder = tempFolder();
    const file = join(folder, 'documents.json');
    writeFileSync(file, '{}');
    expect(() => openSqliteStore({ folder: file })).toThrow(/--data names a folder/);
  });

  it('counts 50 writers × 200 increments under one user name to exactly 10,000: a stale tag is never a retry', async () => {
    const store = openSqliteStore({ folder: null, seed: false });
    try {
      const made = await store.create({ title: 'Shared counter', content: '0' }, 'anonymous');
      if (made.kind !== 'created') throw new Error(made.kind);
      const id = made.revision.document.id;
      let conflicts = 0;
      await Promise.all(
        Array.from({ length: 50 }, async () => {
          let current = made.revision;
          for (let done = 0; done < 200; ) {
            const next = String(Number(current.document.content) + 1);
            const result = await store.update(id, { title: 'Shared counter', content: next }, parseEntityTagCondition(current.etag), 'anonymous');
            if (result.kind === 'updated') {
              done += 1;
              current = result.revision;
            } else if (result.kind === 'conflict') {
              conflicts += 1;
              current = result.current;
              // A moment's random pause, so the writers do not all land in the same commit again.
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
            } else {
              throw new Error(result.kind);
            }
          }
        }),
      );
      expect(await store.get(id)).toMatchObject({ kind: 'found', revision: { document: { content: '10000', version: 10_001 } } });
      expect(conflicts).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('keeps data in memory when it has no folder', async () => {
    const store = openSqliteStore({ folder: null, seed: false });
    expect(await store.list()).toEqual([]);
    await store.close();
  });
});

/**
 * A full disk, for real: the store on a 1 MiB tmpfs (mounting needs root; elsewhere SQLite's own
 * page limit makes the database full instead, which takes the same path through the engine).
 */
describe('the embedded store on a full disk', () => {
  it('refuses saves it cannot write with a 507 StorageError, keeps serving reads, and saves again once there is space', async () => {
    const disk = smallDisk();
    const folder = disk?.folder ?? tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    try {
      const made = await store.create({ title: 'Kept', content: 'x'.repeat(10_000) }, 'Ana');
      if (made.kind !== 'created') throw new Error(made.kind);
      const id = made.revision.document.id;
      if (disk) disk.fill();
      else store.limitPagesForTesting(0);

      let etag = made.revision.etag;
      let refused: unknown = null;
      // Saves of 10 KB each until the disk refuses one (the WAL may have room for a few).
      for (let i = 0; i < 200 && refused === null; i++) {
        try {
          const saved = await store.update(id, { title: 'Kept', content: `${i}`.repeat(10_000) }, parseEntityTagCondition(etag), 'Ana');
          if (saved.kind !== 'updated') throw new Error(saved.kind);
          etag = saved.revision.etag;
        } catch (error) {
          refused = error;
        }
      }
      expect(refused).toBeInstanceOf(StorageError);
      expect(refused).toMatchObject({ status: 507 });
      const versions = (await store.revisions(id))?.length ?? 0;
      // Nothing of the refused save is there; reads work.
      expect(await store.get(id)).toMatchObject({ kind: 'found', revision: { etag } });
      expect((await store.list()).map((d) => d.etag)).toEqual([etag]);

      if (disk) disk.free();
      else store.limitPagesForTesting(null);
      const after = await store.update(id, { title: 'Kept', content: 'after' }, parseEntityTagCondition(etag), 'Ana');
      expect(after).toMatchObject({ kind: 'updated', revision: { document: { version: versions + 1, content: 'after' } } });
    } finally {
      await store.close();
      disk?.release();
    }
    if (!disk) expect(existsSync(join(folder, DATABASE_FILE))).toBe(true);
  });
});
