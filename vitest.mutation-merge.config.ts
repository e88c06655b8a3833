import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * Vitest for mutation testing of src/merge with its own tests (StrykerJS: `vitest: { configFile:
 * 'vitest.mutation-merge.config.ts', related: false }`). Stryker runs one mutant at a time and
 * stops at the first failing test, so the quickest test files go first: most mutants die before
 * the slow ones (the git comparison, the property tests, the 200k-line document) start. Vitest's
 * own order, longest first, suits parallel workers, not a search for one failure. A file that
 * failed last time still goes first: the file that killed a mutant usually kills its
 * neighbours. No PostgreSQL global setup: the merge tests do not use the server.
 */
class QuickestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const longestFirst = await super.sort(files);
    const cache = this.ctx.cache;
    const failed = (file: TestSpecification) =>
      cache.getFileTestResults(`${file.project.name}:${file.moduleId.slice(this.ctx.config.root.length + 1)}`)?.failed === true;
    return [...longestFirst.filter(failed), ...longestFirst.filter((file) => !failed(file)).reverse()];
  }
}

export default defineConfig({
  test: {
    include: ['src/merge/**/*.test.ts'],
    environment: 'node',
    // As in vitest.mutation.config.ts: instrumentation makes every test several times slower.
    testTimeout: 120_000,
    sequence: { sequencer: QuickestFirst },
  },
});
