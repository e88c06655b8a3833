/**
 * A setup file of the server's mutation configs (vitest.mutation-server.config.ts): leaves out the
 * tests that share a file with tests the mutation run needs but cannot help it. The whole suite
 * (`npm test`) runs them; only the mutation run, where each would take minutes per mutant or could
 * not see the mutant at all, does not.
 */
import { beforeEach } from 'vitest';

const LEFT_OUT: Array<{ pattern: RegExp; why: string }> = [
  { pattern: /counts 50 writers × 200 increments/, why: 'a load test (10,000 increments)' },
  { pattern: /keeps its log bounded under a steady stream of saves/, why: 'a load test (1,000 saves, 30 MiB through the log)' },
  // A server started as its own process runs without the mutant switched on.
  { pattern: / > the CLI > /, why: 'the server runs in a child process' },
];

beforeEach((context) => {
  // fullName: "<file> > <describe> > <test>".
  const left = LEFT_OUT.find(({ pattern }) => pattern.test(context.task.fullName));
  if (left) context.skip(`left out of mutation runs: ${left.why}`);
});
