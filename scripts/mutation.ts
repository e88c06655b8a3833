/**
 * `npm run test:mutation [-- <area>… ] [--concurrency N] [--force] [--scores]`
 *
 * Mutation testing with StrykerJS over the Vitest suite, one area at a time, each with its own
 * incremental file and HTML report under reports/mutation/<area>/. Ends with one line per area:
 * `Mutation score: N %`, read back from Stryker's JSON reports, and exits 1 when an area is under
 * its target. Without area names it runs them all (slow: see README); `--scores` only prints the
 * scores of the reports already there; `--force` re-tests every mutant instead of only the ones
 * whose code or tests changed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Stryker } from '@stryker-mutator/core';
import { startLocalCluster } from '../mock-server/storage/pg-cluster.ts';

interface Area {
  name: string;
  what: string;
  /** Stryker `mutate` globs, relative to the repository; `!` excludes. */
  mutate: string[];
  /** The lowest acceptable score, in percent; null when none is set. */
  target: number | null;
  /**
   * The test files that score the area (globs); without it, every test that imports its code.
   * The merge engine is imported by the server too, whose load tests (50 writers over HTTP, with
   * a two-minute limit) cannot finish under Stryker's instrumentation on a busy machine: the
   * engine is scored by its own tests.
   */
  testFiles?: string[];
  /**
   * A Vitest config of the area's own (instead of vitest.mutation.config.ts), run without
   * `related`: its `include` then chooses the tests when `testFiles` is not given.
   */
  vitestConfig?: string;
  /**
   * How long a mutant's tests may take before it counts as timed out (a mutant that loops):
   * `factor` × their time in the first run + `ms`, instead of stryker.config.mjs's 1.5 × + 10 s.
   */
  timeout?: { factor: number; ms: number };
  /**
   * Its tests need PostgreSQL: one throwaway cluster is started for the whole run (unless
   * TEST_DATABASE_URL names a server) and handed to every test runner Stryker starts. Without it
   * each runner's global setup started a cluster of its own, again after every timed-out mutant,
   * and left it running when Stryker killed the runner.
   */
  postgres?: true;
}

/**
 * The merge areas' limit: their first run counts which test reaches which mutant at every step
 * of the diff's inner loops, which makes it about twice as slow as a mutant's run, so its time
 * alone is already a margin; a mutant that loops then costs half as long.
 */
const mergeTimeout = { factor: 1, ms: 5000 };

const notTests = ['!**/*.test.ts', '!**/*.spec.ts', '!**/testdata/**'];

const areas: Area[] = [
  // Scored by the app's tests (the protocol's own and the client's that import it), not the
  // server's: the server's HTTP suites reach most of its code too, and ran at more than 30 s a
  // mutant on two busy cores (about five hours for the area).
  {
    name: 'protocol',
    what: "src/protocol, by the app's tests",
    mutate: ['src/protocol/**/*.ts', ...notTests],
    testFiles: ['src/**/*.test.ts'],
    target: 90,
  },
  // src/merge in two parts, each with its own incremental file, so that a run stopped on a busy
  // machine keeps the results of the part it finished: git's diff (xdiff.ts, about 740 mutants)
  // and the rest. Both are scored by the engine's own tests, quickest files first, without
  // PostgreSQL (vitest.mutation-merge.config.ts).
  {
    name: 'merge',
    what: 'src/merge without xdiff.ts',
    mutate: ['src/merge/**/*.ts', '!src/merge/xdiff.ts', '!src/merge/test-documents.ts', ...notTests],
    testFiles: ['src/merge/**/*.test.ts'],
    vitestConfig: 'vitest.mutation-merge.config.ts',
    timeout: mergeTimeout,
    target: 90,
  },
  {
    name: 'merge-xdiff',
    what: "src/merge/xdiff.ts, git's two-way diff",
    mutate: ['src/merge/xdiff.ts'],
    testFiles: ['src/merge/**/*.test.ts'],
    vitestConfig: 'vitest.mutation-merge.config.ts',
    timeout: mergeTimeout,
    target: 90,
  },
  {
    name: 'lib',
    what: 'src/lib',
    mutate: ['src/lib/**/*.ts', 'src/lib/**/*.tsx', ...notTests],
    target: null,
  },
  // The server in six areas, each small enough for one run of about an hour on two busy cores
  // (a server mutant runs HTTP suites, seconds each); each config names the test files, without
  // the load, crash and child-process tests. The store's shared parts and its embedded engine are
  // two areas: a mutant that stops the embedded store's group commit makes every test wait for
  // the timeout, so sqlite-store.ts alone takes most of an hour.
  {
    name: 'server-store',
    what: "what both of the server's engines share, the old data file, and opening a store",
    mutate: ['mock-server/storage/{common,legacy-json,open,types}.ts'],
    // On both engines: opening a PostgreSQL store is part of it. See the file.
    vitestConfig: 'vitest.mutation-store.config.ts',
    postgres: true,
    target: 90,
  },
  {
    name: 'server-sqlite',
    what: "the server's embedded store (SQLite)",
    mutate: ['mock-server/storage/sqlite-store.ts'],
    vitestConfig: 'vitest.mutation-sqlite.config.ts',
    target: 90,
  },
  // The PostgreSQL engine in two parts, each with its own report (`server-postgres` runs both):
  // a run stopped in the store keeps the feed's results. Both by the contract and HTTP suites on
  // a throwaway PostgreSQL cluster: see the file.
  {
    name: 'server-postgres-feed',
    what: "the PostgreSQL store's event feed",
    mutate: ['mock-server/storage/postgres-feed.ts'],
    vitestConfig: 'vitest.mutation-postgres.config.ts',
    postgres: true,
    target: 90,
  },
  {
    name: 'server-postgres-store',
    what: "the server's PostgreSQL store",
    mutate: ['mock-server/storage/postgres-store.ts'],
    vitestConfig: 'vitest.mutation-postgres.config.ts',
    postgres: true,
    target: 90,
  },
  {
    name: 'server-routes',
    what: "the server's routes",
    mutate: ['mock-server/routes/**/*.ts', ...notTests],
    vitestConfig: 'vitest.mutation-routes.config.ts',
    target: 90,
  },
  // The app around the routes and the write path behind them, in parts of a few hundred mutants:
  // each finished part keeps its results when a later one is stopped. `server-http` and
  // `server-writes` name each group (see `groups` below).
  {
    name: 'server-http-app',
    what: 'the app the routes are mounted in, its answers and idempotency keys',
    mutate: ['mock-server/{app,idempotency,responses}.ts'],
    vitestConfig: 'vitest.mutation-routes.config.ts',
    target: 90,
  },
  {
    name: 'server-http-bodies',
    what: 'request bodies: media types, the size limit, reading the Node stream, validation',
    mutate: ['mock-server/request-body.ts'],
    vitestConfig: 'vitest.mutation-routes.config.ts',
    target: 90,
  },
  {
    name: 'server-http-events',
    what: 'the event stream: ids, replay after Last-Event-ID, slow readers',
    mutate: ['mock-server/events.ts'],
    vitestConfig: 'vitest.mutation-routes.config.ts',
    target: 90,
  },
  {
    name: 'server-writes-modes',
    what: 'the write path behind the routes: what each concurrency mode decides',
    mutate: ['mock-server/concurrency/writes.ts'],
    vitestConfig: 'vitest.mutation-routes.config.ts',
    target: 90,
  },
  {
    name: 'server-writes-checks',
    what: 'the write path behind the routes: preconditions, locks, history, conflict answers',
    mutate: ['mock-server/concurrency/**/*.ts', '!mock-server/concurrency/writes.ts', ...notTests],
    vitestConfig: 'vitest.mutation-routes.config.ts',
    target: 90,
  },
  {
    name: 'save-path',
    what: "the app's save path (documents api, hooks, drafts, save flow)",
    mutate: [
      'src/features/documents/{api,hooks,drafts}/**/*.ts',
      'src/features/documents/save-flow.ts',
      ...notTests,
    ],
    target: 80,
  },
  // Scored by the state's own unit tests: the two that render the dialog (the server-side markup
  // and the clicked Merge guard) load React and every component for each mutant, seconds each.
  {
    name: 'dialog',
    what: "the conflict dialog's state (src/features/conflict, no components), by its own tests",
    mutate: ['src/features/conflict/*.ts', ...notTests],
    testFiles: ['src/features/conflict/!(ConflictDialog.render|merge-guard).test.ts'],
    target: 80,
  },
];

/** Names that stand for several areas run one after the other. */
const groups: Record<string, string[]> = {
  'server-http': ['server-http-app', 'server-http-bodies', 'server-http-events'],
  'server-writes': ['server-writes-modes', 'server-writes-checks'],
  'server-postgres': ['server-postgres-feed', 'server-postgres-store'],
};

const reportRoot = path.resolve('reports', 'mutation');
const reportDir = (area: Area) => path.join(reportRoot, area.name);

interface Options {
  selected: Area[];
  concurrency: number | undefined;
  force: boolean;
  scoresOnly: boolean;
}

function parseArgs(argv: string[]): Options {
  const names: string[] = [];
  let concurrency: number | undefined;
  let force = false;
  let scoresOnly = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--force') force = true;
    else if (arg === '--scores') scoresOnly = true;
    else if (arg === '--concurrency') {
      concurrency = Number(argv[(i += 1)]);
      if (!Number.isInteger(concurrency) || concurrency < 1) fail('--concurrency needs a whole number of at least 1.');
    } else if (arg.startsWith('-')) fail(`Unknown option ${arg}.`);
    else names.push(...(groups[arg] ?? [arg]));
  }
  const unknown = names.filter((name) => !areas.some((area) => area.name === name));
  if (unknown.length > 0) {
    fail(`Unknown area ${unknown.join(', ')}. Areas: ${areas.map((a) => a.name).join(', ')}; groups: ${Object.keys(groups).join(', ')}.`);
  }
  const selected = names.length === 0 ? areas : areas.filter((area) => names.includes(area.name));
  return { selected, concurrency, force, scoresOnly };
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function run(area: Area, options: Options): Promise<void> {
  console.log(`\n=== Mutation testing: ${area.name} (${area.what})\n`);
  if (area.postgres && !process.env.TEST_DATABASE_URL) {
    const cluster = await startLocalCluster({ durable: false });
    // Stopped however the run ends: a cluster left behind keeps its port and memory.
    const stop = () => cluster.stop();
    const interrupted = () => {
      stop();
      process.exit(130);
    };
    process.once('exit', stop).once('SIGINT', interrupted).once('SIGTERM', interrupted);
    process.env.TEST_DATABASE_URL = cluster.url;
    try {
      await runStryker(area, options);
    } finally {
      delete process.env.TEST_DATABASE_URL;
      stop();
      process.off('exit', stop).off('SIGINT', interrupted).off('SIGTERM', interrupted);
    }
    return;
  }
  await runStryker(area, options);
}

async function runStryker(area: Area, options: Options): Promise<void> {
  const dir = reportDir(area);
  const stryker = new Stryker({
    mutate: area.mutate,
    incrementalFile: path.join(dir, 'incremental.json'),
    htmlReporter: { fileName: path.join(dir, 'index.html') },
    jsonReporter: { fileName: path.join(dir, 'mutation.json') },
    force: options.force,
    ...(area.testFiles === undefined ? {} : { testFiles: area.testFiles }),
    ...(area.vitestConfig === undefined ? {} : { vitest: { configFile: area.vitestConfig, related: false } }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(area.timeout === undefined ? {} : { timeoutFactor: area.timeout.factor, timeoutMS: area.timeout.ms }),
  });
  await stryker.runMutationTest();
}

/** The part of Stryker's JSON report (mutation-testing-report-schema) read here. */
interface ReportMutant {
  status: string;
  mutatorName: string;
  statusReason?: string;
  location: { start: { line: number } };
}

interface JsonReport {
  files: Record<string, { mutants: ReportMutant[] }>;
}

interface Score {
  killed: number;
  timedOut: number;
  survived: number;
  noCoverage: number;
  detected: number;
  undetected: number;
  /** null when no mutant counts (nothing to score). */
  percent: number | null;
}

/** Stryker's "mutation score": detected / (detected + undetected), over valid mutants only. */
function score(mutants: Array<{ status: string }>): Score {
  const count = (status: string) => mutants.filter((m) => m.status === status).length;
  const killed = count('Killed');
  const timedOut = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  // Ignored, CompileError, RuntimeError and Pending count for neither side, as in Stryker.
  const detected = killed + timedOut;
  const undetected = survived + noCoverage;
  const total = detected + undetected;
  return { killed, timedOut, survived, noCoverage, detected, undetected, percent: total === 0 ? null : (100 * detected) / total };
}

/**
 * The area's last results: Stryker's JSON report, or, when the last run stopped before writing it
 * (its progress log is newer), what that run's log holds, with `planned` the number it meant to test.
 */
function readReport(area: Area): (JsonReport & { planned: number | null }) | null {
  const file = path.join(reportDir(area), 'mutation.json');
  const log = path.join(reportDir(area), 'progress.jsonl');
  const finished = existsSync(file) ? statSync(file).mtimeMs : null;
  if (existsSync(log) && (finished === null || statSync(log).mtimeMs > finished + 1000)) {
    const lines = readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Partial<ReportMutant & { file: string; line: number; planned: number }>);
    const files: JsonReport['files'] = {};
    let planned = 0;
    for (const entry of lines) {
      if (entry.planned !== undefined) planned = entry.planned;
      else if (entry.file !== undefined && entry.status !== undefined) {
        (files[entry.file] ??= { mutants: [] }).mutants.push({
          status: entry.status,
          mutatorName: entry.mutatorName ?? '',
          statusReason: entry.statusReason,
          location: { start: { line: entry.line ?? 0 } },
        });
      }
    }
    return { files, planned };
  }
  if (finished === null) return null;
  return { ...(JSON.parse(readFileSync(file, 'utf8')) as JsonReport), planned: null };
}

/** Set by ignoreStatic, not by a person: not listed among the mutants marked equivalent. */
const STATIC_REASON = 'Static mutant';

function printScores(selected: Area[]): boolean {
  console.log('');
  let allMet = true;
  const equivalent: string[] = [];
  for (const area of selected) {
    const report = readReport(area);
    if (!report) {
      console.log(`Mutation score: – (${area.name}: no report yet; run \`npm run test:mutation -- ${area.name}\`)`);
      continue;
    }
    const all = score(Object.values(report.files).flatMap((f) => f.mutants));
    const shown = all.percent === null ? '–' : all.percent.toFixed(2);
    // A run stopped before its end has no score, only figures so far.
    const met = report.planned === null && (area.target === null || (all.percent !== null && all.percent >= area.target));
    allMet &&= met;
    const verdict =
      report.planned !== null
        ? `UNFINISHED: ${Object.values(report.files).reduce((n, f) => n + f.mutants.length, 0)} of ${report.planned} mutants done when the run stopped`
        : area.target === null
          ? 'no target'
          : `target ${area.target} %${met ? '' : ', NOT MET'}`;
    console.log(
      `Mutation score: ${shown} % (${area.name}: ${all.detected + all.undetected} tested, ${all.killed} killed, ` +
        `${all.timedOut} timed out, ${all.survived} survived, ${all.noCoverage} not covered; ${verdict})`,
    );
    // Where the undetected ones are, most first: where a new test pays off.
    const files = Object.entries(report.files)
      .map(([name, { mutants }]) => ({ name, ...score(mutants) }))
      .filter((f) => f.undetected > 0)
      .sort((a, b) => b.undetected - a.undetected);
    for (const f of files) {
      console.log(`    ${String(f.undetected).padStart(4)} undetected in ${f.name} (${f.percent?.toFixed(2) ?? '–'} %)`);
    }
    for (const [name, { mutants }] of Object.entries(report.files)) {
      for (const m of mutants) {
        if (m.status !== 'Ignored' || m.statusReason?.startsWith(STATIC_REASON)) continue;
        equivalent.push(`    ${name}:${m.location.start.line} ${m.mutatorName}: ${m.statusReason ?? ''}`);
      }
    }
  }
  if (equivalent.length > 0) console.log(`\nMarked equivalent (// Stryker disable, with the reason):\n${equivalent.join('\n')}`);
  console.log(`\nHTML reports: ${path.relative(process.cwd(), reportRoot)}/<area>/index.html`);
  return allMet;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (!options.scoresOnly) {
    for (const area of options.selected) await run(area, options);
  }
  if (!printScores(options.selected)) process.exitCode = 1;
}

await main();
