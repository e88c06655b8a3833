/**
 * The embedded store where things go wrong: a data folder it cannot use, a database another
 * program changed or holds, a log it cannot make durable, a store that is closed; and the
 * housekeeping that only shows after many writes (old idempotency keys). Real SQLite files in
 * temporary folders throughout; a second connection plays the other program.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseEntityTagCondition } from '../../src/protocol/etag.ts';
import { created, removeTempFolders, tempFolder } from './engines-under-test.ts';
import { LEGACY_FORMAT } from './legacy-json.ts';
import { DATABASE_FILE, LEGACY_FILE, LOCK_FILE, openSqliteStore, type SqliteStore } from './sqlite-store.ts';
import { IDEMPOTENCY_TTL_MS, StorageError, StoreOpenError } from './types.ts';

afterAll(removeTempFolders);

const ifMatch = parseEntityTagCondition;

/** What openSqliteStore throws, for a closer look than toThrow gives. */
function openError(folder: string): Error {
  try {
    openSqliteStore({ folder, seed: false }).close();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('the store opened');
}

/** The folder is free again: a store opens on it (after the obstacle is gone). */
async function opensAgain(folder: string): Promise<void> {
  const store = openSqliteStore({ folder, seed: false });
  expect(await store.list()).toEqual([]);
  await store.close();
}

describe('a data folder the store cannot use', () => {
  it('refuses a database that cannot be opened, naming it, and frees the folder', async () => {
    const folder = tempFolder();
    mkdirSync(join(folder, DATABASE_FILE));
    const error = openError(folder);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error.message).toMatch(new RegExp(`^The database ${join(folder, DATABASE_FILE)} cannot be opened: \\S`));
    // The lock was let go: once the obstacle is gone, a store opens.
    rmSync(join(folder, DATABASE_FILE), { recursive: true });
    await opensAgain(folder);
  });

  it('refuses a file that is no database, changes nothing and frees the folder', async () => {
    const folder = tempFolder();
    const file = join(folder, DATABASE_FILE);
    writeFileSync(file, 'not a database, but somebody’s notes\n'.repeat(200));
    const before = readFileSync(file);
    const error = openError(folder);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error.message).toBe(`The database ${file} cannot be used (SQLITE_NOTADB: file is not a database). It was not changed.`);
    expect(readFileSync(file).equals(before)).toBe(true);
    rmSync(file);
    await opensAgain(folder);
  });

  it('stops with "in use", naming the folder, when another program holds the database', async () => {
    const folder = tempFolder();
    const other = new Database(join(folder, DATABASE_FILE));
    other.exec('CREATE TABLE notes (text TEXT)');
    other.exec('BEGIN EXCLUSIVE');
    try {
      const error = openError(folder);
      expect(error).toBeInstanceOf(StoreOpenError);
      expect(error.message).toBe(`Another Conflict Lab server is using ${folder}. Stop it first, or give this one its own --data folder.`);
    } finally {
      other.exec('COMMIT');
      other.close();
    }
    const store = openSqliteStore({ folder, seed: false });
    expect(await store.list()).toEqual([]);
    await store.close();
  });

  it('refuses a lock file it cannot open or use, naming it', () => {
    const folder = tempFolder();
    const lock = join(folder, LOCK_FILE);
    mkdirSync(lock);
    const unopenable = openError(folder);
    expect(unopenable).toBeInstanceOf(StoreOpenError);
    expect(unopenable.message).toMatch(new RegExp(`^The lock file ${lock} cannot be opened: \\S`));
    expect(existsSync(join(folder, DATABASE_FILE))).toBe(false);

    const other = tempFolder();
    writeFileSync(join(other, LOCK_FILE), 'not a database\n'.repeat(400));
    const unusable = openError(other);
    expect(unusable).toBeInstanceOf(StoreOpenError);
    expect(unusable.message).toBe(`The lock file ${join(other, LOCK_FILE)} cannot be used: file is not a database`);
  });

  it('keeps an earlier imported file when it imports another, under a new name', async () => {
    const folder = tempFolder();
    const earlier = 'the file imported by an earlier database';
    writeFileSync(join(folder, `${LEGACY_FILE}.imported`), earlier);
    const revision = (version: number, extra: Record<string, unknown>) => ({
      document: { id: 'd_old', title: 'Old', content: `v${version}`, version, updatedAt: '2026-11-20T10:00:00.000Z', updatedBy: 'Ana' },
      etag: `"old.${version}"`,
      ...extra,
    });
    // Written by a version that knew states and basedOn: taken as they are, not derived.
    const revisions = [revision(1, {}), revision(2, { basedOn: null }), revision(3, { basedOn: '"old.1"' })];
    revisions[2]!.document = { ...revisions[2]!.document, state: 'published' } as (typeof revisions)[number]['document'];
    writeFileSync(join(folder, LEGACY_FILE), JSON.stringify({ format: LEGACY_FORMAT, documents: [{ id: 'd_old', revisions, deleted: null }] }));
    const store = openSqliteStore({ folder });
    try {
      expect((await store.list()).map((d) => [d.id, d.version, d.state])).toEqual([['d_old', 3, 'published']]);
      expect((await store.revisions('d_old'))?.map((r) => [r.version, r.basedOn, r.state])).toEqual([
        [1, null, 'draft'],
        [2, null, 'draft'],
        [3, '"old.1"', 'published'],
      ]);
    } finally {
      await store.close();
    }
    expect(readFileSync(join(folder, `${LEGACY_FILE}.imported`), 'utf8')).toBe(earlier);
    const renamed = readdirSync(folder).filter((name) => name.startsWith(`${LEGACY_FILE}.imported-`));
    expect(renamed).toHaveLength(1);
    expect(renamed[0]).toMatch(/^documents\.json\.imported-\d{13}$/);
    expect(existsSync(join(folder, LEGACY_FILE))).toBe(false);
  });
});

describe('reads and the disk', () => {
  it('answers a read made while a commit’s fsync is under way only after the save it would show', async () => {
    const store = openSqliteStore({ folder: tempFolder(), seed: false });
    try {
      const order: string[] = [];
      const saving = store.create({ title: 'Durable first', content: '' }, 'Ana').then((result) => order.push(`save ${result.kind}`));
      // After the store's own setImmediate: the group is committed and its fsync under way.
      await new Promise((resolve) => setImmediate(resolve));
      const reading = store.list().then((docs) => order.push(`read ${docs.map((d) => d.title).join()}`));
      await Promise.all([saving, reading]);
      expect(order).toEqual(['save created', 'read Durable first']);
    } finally {
      await store.close();
    }
  });
});

describe('a database another program changed', () => {
  it('refuses the reads and writes of a document that lost its current version, and only those', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    try {
      const broken = await created(store, 'Broken');
      const fine = await created(store, 'Fine');
      const id = broken.document.id;
      const other = new Database(join(folder, DATABASE_FILE));
      other.prepare('DELETE FROM revisions WHERE doc_id = ?').run(id);
      other.close();

      await expect(store.get(id)).rejects.toThrow(new Error(`Document ${id} has no revision 1.`));
      // Writes in the same group commit: the broken one is refused, the others are stored.
      const [save, other1, create] = await Promise.allSettled([
        store.update(id, { title: 'Broken', content: 'two' }, ifMatch(broken.etag), 'Bob'),
        store.update(fine.document.id, { title: 'Fine', content: 'two' }, ifMatch(fine.etag), 'Bob'),
        store.create({ title: 'New', content: 'x' }, 'Bob'),
      ]);
      expect(save).toEqual({ status: 'rejected', reason: new Error(`Document ${id} has no revision 1.`) });
      expect(other1).toMatchObject({ status: 'fulfilled', value: { kind: 'updated', revision: { document: { version: 2 } } } });
      expect(create).toMatchObject({ status: 'fulfilled', value: { kind: 'created' } });
      // The list shows documents with their current version: the broken one is not among them.
      expect((await store.list()).map((d) => d.title)).toEqual(['Fine', 'New']);
    } finally {
      await store.close();
    }
  });

  it('refuses only the write that breaks a constraint another program’s row holds, not its whole group', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    try {
      const blocked = await created(store, 'Blocked');
      const fine = await created(store, 'Fine');
      // A version 2 that this store never wrote: its own save of version 2 breaks the unique index.
      const other = new Database(join(folder, DATABASE_FILE));
      other
        .prepare("INSERT INTO revisions (doc_id, version, etag, title, content, updated_at, updated_by) VALUES (?, 2, ?, 'Blocked', '', '', 'Tool')")
        .run(blocked.document.id, '"foreign.2"');
      other.close();
      const [save, other1] = await Promise.allSettled([
        store.update(blocked.document.id, { title: 'Blocked', content: 'two' }, ifMatch(blocked.etag), 'Bob'),
        store.update(fine.document.id, { title: 'Fine', content: 'two' }, ifMatch(fine.etag), 'Bob'),
      ]);
      expect(save).toMatchObject({ status: 'rejected', reason: { name: 'SqliteError', code: 'SQLITE_CONSTRAINT_UNIQUE' } });
      expect((save as PromiseRejectedResult).reason).not.toBeInstanceOf(StorageError);
      expect(other1).toMatchObject({ status: 'fulfilled', value: { kind: 'updated', revision: { document: { version: 2 } } } });
      // The refused save left nothing: its document is still at version 1.
      expect(await store.get(blocked.document.id)).toEqual({ kind: 'found', revision: blocked });
    } finally {
      await store.close();
    }
  });

  it('refuses a retry whose first answer’s version is gone, instead of answering it with something else', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    try {
      const v1 = await created(store, 'Keyed');
      const id = v1.document.id;
      const request = { key: 'retry-1', fingerprint: 'PUT body' };
      const first = await store.update(id, { title: 'Keyed', content: 'two' }, ifMatch(v1.etag), 'Bob', request);
      expect(first.kind).toBe('updated');
      const other = new Database(join(folder, DATABASE_FILE));
      other.prepare('DELETE FROM revisions WHERE doc_id = ? AND version = 2').run(id);
      other.close();
      await expect(store.update(id, { title: 'Keyed', content: 'two' }, ifMatch(v1.etag), 'Bob', request)).rejects.toThrow(
        new Error('Idempotency key retry-1 names a revision that is not stored.'),
      );
    } finally {
      await store.close();
    }
  });
});

describe('idempotency keys', () => {
  it('forgets a key after a day: the same request is then a new one', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    try {
      const v1 = await created(store, 'Day old');
      const id = v1.document.id;
      const request = { key: 'old-key', fingerprint: 'PUT body' };
      const first = await store.update(id, { title: 'Day old', content: 'two' }, ifMatch(v1.etag), 'Bob', request);
      if (first.kind !== 'updated') throw new Error(first.kind);
      const other = new Database(join(folder, DATABASE_FILE));
      other.prepare('UPDATE idempotency_keys SET created_at = ? WHERE key = ?').run(Date.now() - IDEMPOTENCY_TTL_MS - 60_000, 'old-key');
      other.close();
      // Forgotten: a write of its own, here a conflict (its tag is stale), not the first answer.
      const again = await store.update(id, { title: 'Day old', content: 'two' }, ifMatch(v1.etag), 'Bob', request);
      expect(again).toMatchObject({ kind: 'conflict', current: { etag: first.revision.etag } });
      const fresh = await store.update(id, { title: 'Day old', content: 'three' }, ifMatch(first.revision.etag), 'Bob', request);
      expect(fresh).toMatchObject({ kind: 'updated', revision: { document: { version: 3 } } });
      // Remembered again, with the new answer.
      expect(await store.update(id, { title: 'Day old', content: 'three' }, ifMatch(first.revision.etag), 'Bob', request)).toMatchObject({
        kind: 'replayed',
        revision: { document: { version: 3 } },
      });
    } finally {
      await store.close();
    }
  });

  it('keeps a key for exactly a day, to the millisecond', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.parse('2026-03-01T12:00:00.000Z');
    vi.setSystemTime(start);
    const store = openSqliteStore({ folder: null, seed: false });
    try {
      const v1 = await created(store, 'A day');
      const id = v1.document.id;
      const request = { key: 'a-day', fingerprint: 'PUT body' };
      const retry = () => store.update(id, { title: 'A day', content: 'two' }, ifMatch(v1.etag), 'Bob', request);
      const first = await retry();
      if (first.kind !== 'updated') throw new Error(first.kind);
      vi.setSystemTime(start + IDEMPOTENCY_TTL_MS);
      expect(await retry()).toMatchObject({ kind: 'replayed', revision: { etag: first.revision.etag } });
      vi.setSystemTime(start + IDEMPOTENCY_TTL_MS + 1);
      expect(await retry()).toMatchObject({ kind: 'conflict', current: { etag: first.revision.etag } });
    } finally {
      vi.useRealTimers();
      await store.close();
    }
  });

  it('prunes the keys older than a day every thousand writes, and keeps the younger ones', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    const database = join(folder, DATABASE_FILE);
    const keys = () => {
      const reader = new Database(database, { readonly: true });
      try {
        return reader.prepare<[], { key: string }>('SELECT key FROM idempotency_keys ORDER BY key').all().map((row) => row.key);
      } finally {
        reader.close();
      }
    };
    try {
      const made = await store.create({ title: 'Keyed', content: 'x' }, 'Ana', { idempotency: { key: 'young', fingerprint: 'a' } });
      expect(made.kind).toBe('created');
      const other = new Database(database);
      other
        .prepare('INSERT INTO idempotency_keys (key, fingerprint, doc_id, version, created_at) VALUES (?, ?, ?, ?, ?)')
        .run('old', 'b', 'd_gone', 1, Date.now() - IDEMPOTENCY_TTL_MS - 60_000);
      other.close();
      // 998 more writes (the create above was the first): not yet.
      await Promise.all(Array.from({ length: 998 }, (_, i) => store.create({ title: `Filler ${i}`, content: '' }, 'Ana')));
      expect(keys()).toEqual(['old', 'young']);
      await store.create({ title: 'The thousandth', content: '' }, 'Ana');
      expect(keys()).toEqual(['young']);
    } finally {
      await store.close();
    }
  });
});

describe('a store that cannot write', () => {
  it('refuses saves once closed, with a 503', async () => {
    const store = openSqliteStore({ folder: null, seed: false });
    const doc = await created(store, 'Closing');
    await store.close();
    await store.close();
    const refused = store.update(doc.document.id, { title: 'Closing', content: 'two' }, ifMatch(doc.etag), 'Bob');
    await expect(refused).rejects.toThrow(new StorageError('The store is closed.', 503));
    await expect(refused).rejects.toMatchObject({ status: 503 });
  });

  it('closes every file it opened, the log’s own handle too, and may be closed twice', async () => {
    const folder = tempFolder();
    // Linux shows a process's open files in /proc/self/fd; elsewhere there is nothing to count.
    const openInFolder = () => {
      if (!existsSync('/proc/self/fd')) return [];
      return readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          const target = readlinkSync(join('/proc/self/fd', fd));
          return target.startsWith(folder) ? [target] : [];
        } catch {
          return [];
        }
      });
    };
    const store = openSqliteStore({ folder, seed: false });
    await created(store, 'Open files');
    if (existsSync('/proc/self/fd')) expect(openInFolder()).toContain(join(folder, `${DATABASE_FILE}-wal`));
    await store.close();
    await store.close();
    expect(openInFolder()).toEqual([]);
  });

  it('writes every queued save before it closes', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    const saves = Array.from({ length: 5 }, (_, i) => store.create({ title: `Queued ${i}`, content: '' }, 'Ana'));
    await store.close();
    expect((await Promise.all(saves)).map((r) => r.kind)).toEqual(['created', 'created', 'created', 'created', 'created']);
    const again = openSqliteStore({ folder, seed: false });
    try {
      expect((await again.list()).map((d) => d.title)).toEqual(['Queued 0', 'Queued 1', 'Queued 2', 'Queued 3', 'Queued 4']);
    } finally {
      await again.close();
    }
  });

  it('refuses a save that would grow the database past its page limit with a 507, and saves again without one', async () => {
    const store = openSqliteStore({ folder: tempFolder(), seed: false });
    try {
      const doc = await created(store, 'Limited');
      const big = await store.update(doc.document.id, { title: 'Limited', content: 'b'.repeat(100_000) }, ifMatch(doc.etag), 'Ana');
      if (big.kind !== 'updated') throw new Error(big.kind);
      // Room for 20 more pages (80 KB) past the 30 or so it now has: a save of 40 KB fits.
      store.limitPagesForTesting(20);
      const roomy = await store.update(doc.document.id, { title: 'Limited', content: 'r'.repeat(40_000) }, ifMatch(big.revision.etag), 'Ana');
      if (roomy.kind !== 'updated') throw new Error(roomy.kind);
      store.limitPagesForTesting(1);
      let refused: unknown = null;
      let etag = roomy.revision.etag;
      for (let i = 0; i < 50 && refused === null; i++) {
        try {
          const saved = await store.update(doc.document.id, { title: 'Limited', content: `${i}`.repeat(20_000) }, ifMatch(etag), 'Ana');
          if (saved.kind === 'updated') etag = saved.revision.etag;
        } catch (error) {
          refused = error;
        }
      }
      expect(refused).toBeInstanceOf(StorageError);
      expect(refused).toMatchObject({ status: 507, retryAfter: 30, message: 'The data folder is full: the save was not stored.' });
      expect((refused as Error).cause).toMatchObject({ name: 'SqliteError', code: 'SQLITE_FULL' });
      store.limitPagesForTesting(null);
      expect(await store.update(doc.document.id, { title: 'Limited', content: 'y'.repeat(100_000) }, ifMatch(etag), 'Ana')).toMatchObject({ kind: 'updated' });
    } finally {
      await store.close();
    }
  });

  it('refuses a save with a 503 when another program holds the write lock for longer than five seconds', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    try {
      const doc = await created(store, 'Held');
      const other = new Database(join(folder, DATABASE_FILE));
      other.exec('BEGIN IMMEDIATE');
      const started = Date.now();
      const saving = store.update(doc.document.id, { title: 'Held', content: 'two' }, ifMatch(doc.etag), 'Bob');
      const outcome = await saving.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      const waited = Date.now() - started;
      other.exec('ROLLBACK');
      other.close();
      expect(outcome).toEqual({ error: expect.any(StorageError) });
      expect((outcome as { error: StorageError }).error).toMatchObject({ status: 503, retryAfter: 5, message: 'The database could not store the change (SQLITE_BUSY).' });
      expect((outcome as { error: StorageError }).error.cause).toMatchObject({ name: 'SqliteError', code: 'SQLITE_BUSY' });
      // It waited, rather than refusing at once.
      expect(waited).toBeGreaterThanOrEqual(4900);
      // Free again: the next save goes through, and the refused one left nothing.
      expect(await store.update(doc.document.id, { title: 'Held', content: 'three' }, ifMatch(doc.etag), 'Bob')).toMatchObject({
        kind: 'updated',
        revision: { document: { version: 2, content: 'three' } },
      });
    } finally {
      await store.close();
    }
  });

  it('refuses everything, reads too, once its log could not be made durable', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    // The log's descriptor, swapped for one that is not open, so the fsync after the next commit
    // fails (EBADF) as a failing disk's would.
    const walFd = Reflect.get(store, 'walFd') as number;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const doc = await created(store, 'Durable');
      Reflect.set(store, 'walFd', 2 ** 30);
      const [first, second] = await Promise.allSettled([
        store.update(doc.document.id, { title: 'Durable', content: 'two' }, ifMatch(doc.etag), 'Bob'),
        store.create({ title: 'Also in the group', content: '' }, 'Bob'),
      ]);
      const message = 'The database could not make its log durable (EBADF): nothing more is stored until the server is restarted.';
      expect(first).toMatchObject({ status: 'rejected', reason: { name: 'StorageError', status: 503, retryAfter: 30, message } });
      expect((first as PromiseRejectedResult).reason.cause).toMatchObject({ code: 'EBADF' });
      expect(second).toMatchObject({ status: 'rejected', reason: { message } });
      expect(errors).toHaveBeenCalledWith(`conflict-lab: ${message}`);
      await expect(store.get(doc.document.id)).rejects.toThrow(message);
      await expect(store.create({ title: 'Later', content: '' }, 'Bob')).rejects.toThrow(message);
    } finally {
      errors.mockRestore();
      Reflect.set(store, 'walFd', walFd);
      await store.close();
    }
    // After a restart SQLite recovers the log: the group whose fsync failed may or may not be
    // there, the create before it is, and a write refused after the failure never ran.
    const again = openSqliteStore({ folder, seed: false });
    try {
      const titles = (await again.list()).map((d) => d.title);
      expect(titles).toContain('Durable');
      expect(titles).not.toContain('Later');
    } finally {
      await again.close();
    }
  });

  it('goes on saving when its checkpoint thread stops, and says so once', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const worker = Reflect.get(Reflect.get(store, 'checkpointer') as object, 'worker') as { terminate(): Promise<number> };
      await worker.terminate();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(warnings.mock.calls).toEqual([[expect.stringMatching(/^conflict-lab: the checkpoint thread stopped \(it exited with code \d+\); checkpoints run on the main thread again\.$/)]]);
      const doc = await created(store, 'After the thread');
      expect(await store.get(doc.document.id)).toEqual({ kind: 'found', revision: doc });
    } finally {
      await store.close();
      warnings.mockRestore();
    }
    expect(readdirSync(folder).sort()).toEqual([LOCK_FILE, DATABASE_FILE]);
  });
});

describe('a data folder over restarts', () => {
  it('gets the sample documents once: a sample deleted stays deleted after a restart', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder });
    const samples = await store.list();
    expect(samples).toHaveLength(3);
    const [gone, ...kept] = samples;
    if (!gone) throw new Error('no sample');
    expect(await store.remove(gone.id, ifMatch(gone.etag), 'Ana')).toMatchObject({ kind: 'deleted' });
    await store.close();
    const again = openSqliteStore({ folder });
    try {
      expect((await again.list()).map((d) => [d.id, d.title])).toEqual(kept.map((d) => [d.id, d.title]));
    } finally {
      await again.close();
    }
  });
});

describe('a save waiting for the write lock', () => {
  it('keeps the event loop turning: timers run while it waits, and one of them lets the lock go', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    try {
      const doc = await created(store, 'Waiting');
      const other = new Database(join(folder, DATABASE_FILE));
      other.exec('BEGIN IMMEDIATE');
      const saving = store.update(doc.document.id, { title: 'Waiting', content: 'two' }, ifMatch(doc.etag), 'Bob');
      // The lock is let go on the third tick of a 10 ms timer: a loop blocked on the lock (a busy
      // timeout in SQLite) would tick once between two five-second waits, and refuse the save.
      await new Promise<void>((resolve) => {
        let ticks = 0;
        const timer = setInterval(() => {
          ticks += 1;
          if (ticks < 3) return;
          clearInterval(timer);
          other.exec('COMMIT');
          other.close();
          resolve();
        }, 10);
      });
      expect(await saving).toMatchObject({ kind: 'updated', revision: { document: { version: 2, content: 'two' } } });
    } finally {
      await store.close();
    }
  });
});

describe('the checkpoint thread', () => {
  const autocheckpoint = (store: SqliteStore) => (Reflect.get(store, 'db') as Database.Database).pragma('wal_autocheckpoint', { simple: true });

  it('says once, with its reason, that a thread that failed is gone, and checkpoints on the main connection again', async () => {
    // An in-memory store has no thread of its own; this one is given one that cannot open its database.
    const store = openSqliteStore({ folder: null, seed: false });
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      store.checkpointInWorker(join(tempFolder(), 'gone', DATABASE_FILE));
      expect(autocheckpoint(store)).toBe(0);
      // The thread's error comes first, then its exit: told once, with the error.
      await (Reflect.get(Reflect.get(store, 'checkpointer') as object, 'exited') as Promise<void>);
      expect(warnings.mock.calls).toEqual([
        [expect.stringMatching(/^conflict-lab: the checkpoint thread stopped \((?!it exited).+\); checkpoints run on the main thread again\.$/)],
      ]);
      expect(warnings.mock.calls[0]?.[0]).toContain('directory does not exist');
      expect(autocheckpoint(store)).toBe(1000);
      expect(await created(store, 'Still saving')).toMatchObject({ document: { version: 1 } });
    } finally {
      await store.close();
      warnings.mockRestore();
    }
  });

  it('says why a thread that cannot use its database stopped', async () => {
    const notes = join(tempFolder(), 'notes.txt');
    writeFileSync(notes, 'not a database, but somebody’s notes\n'.repeat(200));
    const store = openSqliteStore({ folder: null, seed: false });
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      store.checkpointInWorker(notes);
      await (Reflect.get(Reflect.get(store, 'checkpointer') as object, 'exited') as Promise<void>);
      expect(warnings.mock.calls).toEqual([
        ['conflict-lab: the checkpoint thread stopped (file is not a database); checkpoints run on the main thread again.'],
      ]);
      expect(await created(store, 'Still saving')).toMatchObject({ document: { version: 1 } });
    } finally {
      await store.close();
      warnings.mockRestore();
    }
  });

  it('stops with the store, without a word', async () => {
    const folder = tempFolder();
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const store = openSqliteStore({ folder, seed: false });
      await created(store, 'Closed quietly');
      await store.close();
      expect(warnings).not.toHaveBeenCalled();
    } finally {
      warnings.mockRestore();
    }
  });
});
