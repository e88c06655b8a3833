// @ts-check
/**
 * A Stryker reporter that writes each mutant's result as it comes, one JSON line each, to
 * `progress.jsonl` beside the area's JSON report. A run stopped before its end (Stryker writes
 * its reports only at the end) then still says what was tested, and `npm run test:mutation --
 * --scores` reads it; while a run goes on, the survivors so far can be read and worked on.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PluginKind, commonTokens, declareClassPlugin } from '@stryker-mutator/api/plugin';

class MutationLog {
  static inject = /** @type {const} */ ([commonTokens.options]);

  /** @param {import('@stryker-mutator/api/core').StrykerOptions} options */
  constructor(options) {
    this.file = path.join(path.dirname(path.resolve(options.jsonReporter.fileName)), 'progress.jsonl');
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(this.file, '');
  }

  /** @param {import('@stryker-mutator/api/report').MutationTestingPlanReadyEvent} event */
  onMutationTestingPlanReady(event) {
    appendFileSync(this.file, `${JSON.stringify({ planned: event.mutantPlans.length })}\n`);
  }

  /** @param {Readonly<import('@stryker-mutator/api/core').MutantResult>} result */
  onMutantTested(result) {
    const { id, fileName, mutatorName, replacement, location, status, statusReason } = result;
    const line = { id, file: path.relative(process.cwd(), fileName), line: location.start.line, mutatorName, replacement, status, statusReason };
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'mutation-log', MutationLog)];
