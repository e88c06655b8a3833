/**
 * Vitest global setup: a PostgreSQL server for the suites that run on both engines.
 *
 * `TEST_DATABASE_URL` names an existing server (a role that may create databases); otherwise a
 * throwaway cluster (not durable: see ClusterOptions) is started here and stopped when the run ends. When neither works the
 * PostgreSQL suites cannot run: with `CI` set that fails the run, elsewhere it is said loudly
 * and only the embedded engine is tested.
 */
import type { TestProject } from 'vitest/node';
import { startLocalCluster } from './pg-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin connection string to a PostgreSQL server, or null when none could be had. */
    postgresUrl: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const existing = process.env.TEST_DATABASE_URL;
  if (existing) {
    project.provide('postgresUrl', existing);
    return () => {};
  }
  try {
    const cluster = await startLocalCluster({ durable: false });
    project.provide('postgresUrl', cluster.url);
    return () => cluster.stop();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.CI) throw new Error(`PostgreSQL is required in CI and could not be started: ${reason}`);
    console.warn(`\n*** PostgreSQL could not be started (${reason}).\n*** Only the embedded engine is tested in this run.\n`);
    project.provide('postgresUrl', null);
    return () => {};
  }
}
