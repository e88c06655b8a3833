import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * A Vitest sequencer for mutation testing: StrykerJS runs one mutant at a time and stops at the
 * first failing test, so the quickest test files go first and most mutants die before the slow
 * ones start. Vitest's own order, longest first, suits parallel workers, not a search for one
 * failure. A file that failed last time still goes first: the file that killed a mutant usually
 * kills its neighbours. Used by vitest.mutation-merge.config.ts and vitest.mutation-server.config.ts.
 */
export class QuickestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const longestFirst = await super.sort(files);
    const cache = this.ctx.cache;
    const failed = (file: TestSpecification) =>
      cache.getFileTestResults(`${file.project.name}:${file.moduleId.slice(this.ctx.config.root.length + 1)}`)?.failed === true;
    return [...longestFirst.filter(failed), ...longestFirst.filter((file) => !failed(file)).reverse()];
  }
}
