/**
 * A setup file of the server's mutation configs (vitest.mutation-server.config.ts): leaves out the
 * load tests that share a file with tests the mutation run needs. The whole suite (`npm test`)
 * runs them; only the mutation run, where each would take minutes per mutant, does not.
 */
import { beforeEach } from 'vitest';

const LOAD_TESTS: RegExp[] = [
  // 50 writers × 200 increments against the embedded store.
  /counts 50 writers × 200 increments/,
];

beforeEach((context) => {
  if (LOAD_TESTS.some((pattern) => pattern.test(context.task.name))) context.skip('a load test: left out of mutation runs');
});
