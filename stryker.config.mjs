// @ts-check
/**
 * StrykerJS over the Vitest suite: `npm run test:mutation` (scripts/mutation.ts) runs it one area
 * at a time and prints a score per area. These are the options every area shares.
 *
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  // mutation-log: each result as it comes, so a run stopped early still has its figures.
  plugins: ['@stryker-mutator/vitest-runner', './scripts/mutation-log.mjs'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  // Each mutant runs only the tests that reached it in the first (dry) run.
  coverageAnalysis: 'perTest',
  // A static mutant (a module-level constant) is only reached while modules load, so Stryker would
  // have to reload and run every related test for each one: the server's integration tests made
  // that several times slower than all the other mutants together. The constants that matter
  // (problem slugs, header names, paths) are asserted by name in the server's and client's tests.
  ignoreStatic: true,
  // Results are kept in reports/mutation/<area>/incremental.json (git-ignored): a re-run tests
  // only the mutants in code or tests that changed since.
  incremental: true,
  reporters: ['progress', 'html', 'json', 'mutation-log'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Two cores shared with the editor, the dev server and the browser: one test runner unless told.
  concurrency: 1,
  timeoutMS: 10_000,
  // The first run (every test once, instrumented, to learn which tests reach which mutant) takes
  // minutes on two busy cores; Stryker's default limit of 5 minutes stopped it.
  dryRunTimeoutMinutes: 30,
  thresholds: { high: 90, low: 80, break: null },
};
