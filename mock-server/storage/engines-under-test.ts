/**
 * For the tests: every engine the suite can run on here, each able to open a fresh, empty store
 * and to reopen it (a restart). The embedded engine always; PostgreSQL when the global setup
 * found or started a server (always in CI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createDatabase } from './pg-cluster.ts';
import { noteDatabase } from './test-databases.ts';
import { openStore, type StorageConfig } from './open.ts';
import type { Store, StoredRevision } from './types.ts';

export interface EngineUnderTest {
  name: 'sqlite' | 'postgres';
  /** A configuration for a new, empty store of this engine (a fresh folder or database). */
  freshConfig(options?: { seed?: boolean }): Promise<StorageConfig>;
}

const folders: string[] = [];

export function tempFolder(prefix = 'conflict-lab-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** Removes the folders tempFolder made (call in afterAll). */
export function removeTempFolders(): void {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

export const sqliteEngine: EngineUnderTest = {
  name: 'sqlite',
  freshConfig: async (options = {}) => ({ kind: 'folder', folder: tempFolder(), seed: options.seed ?? false }),
};

export function postgresEngine(): EngineUnderTest | null {
  const adminUrl = inject('postgresUrl');
  if (!adminUrl) return null;
  return {
    name: 'postgres',
    freshConfig: async (options = {}) => {
      const url = await createDatabase(adminUrl);
      noteDatabase(url);
      return { kind: 'postgres', url, seed: options.seed ?? false };
    },
  };
}

export function enginesUnderTest(): EngineUnderTest[] {
  const postgres = postgresEngine();
  return postgres ? [sqliteEngine, postgres] : [sqliteEngine];
}

export async function openFresh(engine: EngineUnderTest, options?: { seed?: boolean }): Promise<{ store: Store; config: StorageConfig }> {
  const config = await engine.freshConfig(options);
  return { store: await openStore(config), config };
}

/** A new document of Ana's in `store`, and its first revision. */
export async function created(store: Store, title = 'Notes', content = 'one'): Promise<StoredRevision> {
  const result = await store.create({ title, content }, 'Ana');
  if (result.kind !== 'created') throw new Error(`expected created, got ${result.kind}`);
  return result.revision;
}

/**
 * Waits, a bounded while (at most `ms`, looking every `every` ms), until `done` holds; says what
 * it waited for when it never does.
 */
export async function until(what: string, done: () => boolean | Promise<boolean>, ms = 10_000, every = 20): Promise<void> {
  for (let waited = 0; !(await done()); waited += every) {
    if (waited >= ms) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
