/** Opens the store a server is configured with: in memory, a data folder, or a PostgreSQL database. */
import { openSqliteStore } from './sqlite-store.ts';
import { PostgresStore } from './postgres-store.ts';
import type { Store } from './types.ts';

/** What every engine may be given beside where its data is. */
interface StoreTuning {
  seed?: boolean;
  /** The clock of saves and deletions (a test's, for same-second races); the system's by default. */
  now?: () => Date;
}

export type StorageConfig =
  /** Throwaway: an in-memory SQLite database, gone when the server stops. */
  | ({ kind: 'memory' } & StoreTuning)
  /** The embedded default: a SQLite database in this folder. */
  | ({ kind: 'folder'; folder: string } & StoreTuning)
  /** `changeRetentionMs`: how long changes are kept for the servers' event streams (an hour unless set). */
  | ({ kind: 'postgres'; url: string; changeRetentionMs?: number } & StoreTuning);

/** Throws StoreOpenError with a message for people when the store cannot be used. */
export async function openStore(config: StorageConfig): Promise<Store> {
  // Stryker disable next-line LogicalOperator: each engine defaults seed to true itself.
  const seed = config.seed ?? true;
  const clock = config.now ? { now: config.now } : {};
  switch (config.kind) {
    case 'memory':
      return openSqliteStore({ folder: null, seed, ...clock });
    case 'folder':
      return openSqliteStore({ folder: config.folder, seed, ...clock });
    case 'postgres':
      return PostgresStore.open({
        url: config.url,
        seed,
        ...clock,
        ...(config.changeRetentionMs !== undefined && { changeRetentionMs: config.changeRetentionMs }),
      });
  }
}

/** Where the documents are, in words, for the start-up line. */
export function describeStorage(config: StorageConfig): string {
  switch (config.kind) {
    case 'memory':
      return 'in memory (nothing is saved)';
    case 'folder':
      return config.folder;
    case 'postgres': {
      try {
        const url = new URL(config.url);
        return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
      } catch {
        return 'PostgreSQL';
      }
    }
  }
}
