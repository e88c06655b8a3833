/**
 * The PostgreSQL databases a test file was given (engines-under-test.ts notes each), emptied for
 * the next test files after it ends (postgres-recycle.ts). Nothing is imported up front: the setup
 * file that uses this runs before each test file's own `vi.mock` calls, so a module it loaded
 * would escape them.
 */
import { inject } from 'vitest';

const databases: string[] = [];

export function noteDatabase(url: string): void {
  databases.push(url);
}

/** Empties the databases this test file was given, for the next ones (see recycleDatabase). */
export async function recycleDatabases(): Promise<void> {
  const adminUrl = inject('postgresUrl');
  const urls = databases.splice(0);
  if (!adminUrl || urls.length === 0) return;
  const { recycleDatabase } = await import('./pg-cluster.ts');
  for (const url of urls) await recycleDatabase(adminUrl, url);
}
