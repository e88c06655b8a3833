import { configDefaults, defineConfig } from 'vitest/config';
import { QuickestFirst } from './scripts/quickest-first.ts';

/**
 * Vitest for mutation testing of src/merge with its own tests (StrykerJS: `vitest: { configFile:
 * 'vitest.mutation-merge.config.ts', related: false }`). Stryker runs one mutant at a time and
 * stops at the first failing test, so the quickest test files go first: most mutants die before
 * the slow ones (the git comparison, the property tests, the 200k-line document) start. Vitest's
 * own order, longest first, suits parallel workers, not a search for one failure. A file that
 * failed last time still goes first: the file that killed a mutant usually kills its
 * neighbours. No PostgreSQL global setup: the merge tests do not use the server.
 *
 * Left out, as `npm test` runs them: the comparison with git by running git for each random case
 * (git-differential.test.ts), here made on git's recorded answers instead (git-recorded.test.ts,
 * whose large cases also grow the intern table and the diff's search as far), and the
 * 200,000-line document (large.test.ts). Together they were most of the time of a mutant that
 * survived, and of the time limit of one that loops.
 */
export default defineConfig({
  test: {
    include: ['src/merge/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'src/merge/git-differential.test.ts', 'src/merge/large.test.ts'],
    environment: 'node',
    // As in vitest.mutation.config.ts: instrumentation makes every test several times slower.
    testTimeout: 120_000,
    // Property tests try at most this many random cases each (test-documents.ts, propertyRuns):
    // every mutant reached runs them, and the fixed cases beside them kill most mutants already.
    env: { MERGE_PROPERTY_RUNS: '50' },
    // One module graph for all the files of a run: the merge code is pure, and loading it afresh
    // for each test file took about half of a quick run's CPU time.
    isolate: false,
    sequence: { sequencer: QuickestFirst },
  },
});
