/**
 * The embedded store when the disk's fsync fails or is slow. `node:fs` is the real one, with
 * `fsync` and `fsyncSync` wrapped so that a test can make the next ones fail with the error a full
 * disk (ENOSPC), a quota (EDQUOT) or a failing disk (EIO) gives, or hold them until it lets them
 * go, as a busy disk would. SQLite and its files are real, in temporary folders.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { parseEntityTagCondition } from '../../src/protocol/etag.ts';
import { created, removeTempFolders, tempFolder } from './engines-under-test.ts';
import { DATABASE_FILE, openSqliteStore } from './sqlite-store.ts';
import { StorageError, StoreOpenError } from './types.ts';

const disk = vi.hoisted(() => ({
  /** The error code the next fsyncs fail with, or null. */
  fsyncFails: null as string | null,
  /** The error code the next fsyncSync calls fail with, or null. */
  fsyncSyncFails: null as string | null,
  /** While true, fsyncs wait in `held` until the test lets them go. */
  hold: false,
  held: [] as Array<() => void>,
}));

vi.mock(import('node:fs'), async (importOriginal) => {
  const actual = await importOriginal();
  const failure = (code: string, call: string) => Object.assign(new Error(`${code}: failed, ${call}`), { code, syscall: call });
  // The wrapped calls lack the promisified variants, which the store does not use.
  return {
    ...actual,
    fsync: (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      const code = disk.fsyncFails;
      if (code !== null) setImmediate(() => callback(failure(code, 'fsync')));
      else if (disk.hold) disk.held.push(() => actual.fsync(fd, callback));
      else actual.fsync(fd, callback);
    },
    fsyncSync: (fd: number) => {
      if (disk.fsyncSyncFails !== null) throw failure(disk.fsyncSyncFails, 'fsync');
      actual.fsyncSync(fd);
    },
  } as typeof actual;
});

/** Lets every held fsync go, and the next ones through. */
function releaseDisk(): void {
  disk.hold = false;
  for (const release of disk.held.splice(0)) release();
}

afterEach(() => {
  disk.fsyncFails = null;
  disk.fsyncSyncFails = null;
  releaseDisk();
});
afterAll(removeTempFolders);

/** Turns of the event loop until `done` holds, at most `turns`. */
async function turnsUntil(what: string, done: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!done()) throw new Error(`gave up waiting for ${what}`);
}

/** What another connection sees in the database right now (committed, whether or not it is on the disk yet). */
function titlesSeenBy(folder: string): string[] {
  const other = new Database(join(folder, DATABASE_FILE), { readonly: true });
  try {
    return other.prepare<[], { title: string }>('SELECT title FROM documents ORDER BY seq').all().map((row) => row.title);
  } finally {
    other.close();
  }
}

/** The answer, or a failure after `ms` (a bounded wait: a write that never ends fails the test). */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${what} after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

describe('a log that cannot be made durable', () => {
  it.each([
    ['ENOSPC', 507],
    ['EDQUOT', 507],
    ['EIO', 503],
  ])('refuses the save and everything after it when the fsync fails with %s, with a %i', async (code, status) => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const doc = await created(store, 'On a failing disk');
      disk.fsyncFails = code;
      const refused = await store.update(doc.document.id, { title: 'On a failing disk', content: 'two' }, parseEntityTagCondition(doc.etag), 'Bob').then(
        () => null,
        (error: unknown) => error,
      );
      const message = `The database could not make its log durable (${code}): nothing more is stored until the server is restarted.`;
      expect(refused).toBeInstanceOf(StorageError);
      expect(refused).toMatchObject({ status, retryAfter: 30, message, cause: { code } });
      disk.fsyncFails = null;
      await expect(store.get(doc.document.id)).rejects.toMatchObject({ status, message });
    } finally {
      errors.mockRestore();
      await store.close();
    }
  });
});

describe('group commit while an fsync is under way', () => {
  it('commits no write of the next group before the fsync ends, then commits and answers it', async () => {
    const folder = tempFolder();
    const store = openSqliteStore({ folder, seed: false });
    try {
      disk.hold = true;
      const first = store.create({ title: 'First group', content: '' }, 'Ana');
      await turnsUntil("the first group's fsync", () => disk.held.length === 1);
      const second = store.create({ title: 'Second group', content: '' }, 'Bob');
      // Several turns of the loop: the second group's flush has come and gone.
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(titlesSeenBy(folder)).toEqual(['First group']);

      releaseDisk();
      expect(await within(5000, 'the first save', first)).toMatchObject({ kind: 'created' });
      expect(await within(5000, 'the save queued behind it', second)).toMatchObject({ kind: 'created' });
      expect(titlesSeenBy(folder)).toEqual(['First group', 'Second group']);
    } finally {
      // A store waits for its fsyncs before it closes.
      releaseDisk();
      await store.close();
    }
  });
});

describe('a data folder that cannot be synced', () => {
  it('refuses to open, naming the folder and the error, and leaves the folder free', async () => {
    const folder = tempFolder();
    disk.fsyncSyncFails = 'EIO';
    let error: unknown = null;
    try {
      openSqliteStore({ folder, seed: false });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toBe(`The data folder ${folder} cannot be synced to the disk: EIO: failed, fsync`);
    disk.fsyncSyncFails = null;
    const store = openSqliteStore({ folder, seed: false });
    try {
      expect(await store.list()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
