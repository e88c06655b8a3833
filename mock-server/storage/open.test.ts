/**
 * Opening the store a server is configured with, and the words its start-up line uses for it.
 * The PostgreSQL part runs where the global setup has a server (always in CI).
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresEngine, removeTempFolders, sqliteEngine, type EngineUnderTest } from './engines-under-test.ts';
import { describeStorage, openStore, type StorageConfig } from './open.ts';
import type { Store } from './types.ts';

afterAll(removeTempFolders);

describe('describeStorage', () => {
  it('says where the documents are, without a password', () => {
    expect(describeStorage({ kind: 'memory' })).toBe('in memory (nothing is saved)');
    expect(describeStorage({ kind: 'folder', folder: '/var/lib/conflict-lab' })).toBe('/var/lib/conflict-lab');
    expect(describeStorage({ kind: 'postgres', url: 'postgres://ana:secret@db.example:6543/lab' })).toBe('PostgreSQL db.example:6543/lab');
    expect(describeStorage({ kind: 'postgres', url: 'postgresql://db.example/lab' })).toBe('PostgreSQL db.example:5432/lab');
    expect(describeStorage({ kind: 'postgres', url: 'not a url' })).toBe('PostgreSQL');
  });
});

const at = new Date('2026-11-20T10:00:00.000Z');

async function withStore<T>(config: StorageConfig, use: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(config);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

const engines: Array<[string, () => Promise<StorageConfig>]> = [
  ['memory', async () => ({ kind: 'memory' })],
  ['a folder', async () => sqliteEngine.freshConfig()],
];
const postgres: EngineUnderTest | null = postgresEngine();
if (postgres) engines.push(['PostgreSQL', async () => postgres.freshConfig()]);

describe.each(engines)('openStore in %s', (_name, config) => {
  it('seeds the sample documents unless told not to', async () => {
    const { seed: _seed, ...base } = await config();
    expect((await withStore(base, (store) => store.list())).map((d) => d.title)).toEqual([
      'Team meeting notes',
      'Why saves conflict',
      'Retry with backoff (snippet)',
    ]);
    expect(await withStore({ ...(await config()), seed: false }, (store) => store.list())).toEqual([]);
  });

  it('dates saves and deletions by the clock it is given', async () => {
    await withStore({ ...(await config()), seed: false, now: () => at }, async (store) => {
      const made = await store.create({ title: 'Clocked', content: '' }, 'Ana');
      expect(made).toMatchObject({ kind: 'created', revision: { document: { updatedAt: at.toISOString() } } });
    });
  });
});

describe.runIf(postgres)('openStore on PostgreSQL', () => {
  it('keeps changes for the event streams as long as it is told', async () => {
    if (!postgres) return;
    const config = await postgres.freshConfig();
    if (config.kind !== 'postgres') throw new Error(config.kind);
    const pruned = async (): Promise<boolean> => {
      const client = new pg.Client({ connectionString: config.url });
      await client.connect();
      try {
        const { rows } = await client.query("SELECT value FROM meta WHERE key = 'changes_pruned_through'");
        return rows.length > 0;
      } finally {
        await client.end();
      }
    };
    // A whole hour by default: a change a moment old stays.
    await withStore(config, async (store) => {
      await store.create({ title: 'Kept an hour', content: '' }, 'Ana');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await store.create({ title: 'And another', content: '' }, 'Ana');
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    expect(await pruned()).toBe(false);
    // A millisecond: the next read after a change is older than that prunes it.
    await withStore({ ...config, changeRetentionMs: 1 }, async (store) => {
      await store.create({ title: 'Kept a millisecond', content: '' }, 'Ana');
      for (let waited = 0; waited < 5000 && !(await pruned()); waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await store.create({ title: `Wake-up ${waited}`, content: '' }, 'Ana');
      }
    });
    expect(await pruned()).toBe(true);
  });
});
