import { defineConfig, type ViteUserConfig } from 'vitest/config';
import { QuickestFirst } from './scripts/quickest-first.ts';

/**
 * Vitest for mutation testing of the server (StrykerJS: `vitest: { configFile, related: false }`
 * with vitest.mutation-store.config.ts or vitest.mutation-routes.config.ts, which call this).
 *
 * Each area names its test files; the load, crash and child-process tests are left out: 50
 * writers over HTTP, 10,000 increments, servers killed again and again. Under Stryker's
 * instrumentation they take many minutes, a mutant in the write path would run them each time,
 * and what they check (no lost update under load, no acknowledged save lost in a crash) the
 * contract and route tests check one save at a time. A server in a child process is not
 * instrumented either, so its tests could not kill a mutant anyway. Tests inside a selected file
 * that are load tests are left out by name (scripts/mutation-skip-load.ts).
 *
 * Quickest files first, as in vitest.mutation-merge.config.ts: Stryker stops at the first failing
 * test, so most mutants die before the slow files start.
 */
export function serverMutationConfig({ include, postgres }: { include: string[]; postgres: boolean }): ViteUserConfig {
  return defineConfig({
    test: {
      include,
      environment: 'node',
      // PostgreSQL only where its engine is mutated: without the global setup the suites that
      // run on both engines run on the embedded one alone.
      globalSetup: postgres ? ['mock-server/storage/postgres-setup.ts'] : [],
      // With PostgreSQL, each test file's databases are emptied for the next file's tests.
      setupFiles: ['scripts/mutation-skip-load.ts', ...(postgres ? ['mock-server/storage/postgres-recycle.ts'] : [])],
      // The suite's own limits. A mutant that stops an event or an answer makes a test wait: it
      // fails at the limit as killed, sooner than Stryker's own timeout (one and a half times all
      // the tests that reach the mutant), which also restarts the test runner.
      testTimeout: 30_000,
      hookTimeout: 60_000,
      sequence: { sequencer: QuickestFirst },
    },
  });
}
