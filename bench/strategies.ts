/**
 * `npm run bench:merge -- --strategies <folder of real merges>`: every merge strategy of the
 * lab's strategies page, run on three-way merges people committed, against what they committed.
 *
 * The folder holds one folder per merge with `base`, `mine`, `theirs` and `result` (the file the
 * person who merged committed), as the project's corpus of real merges is laid out. For each
 * strategy it prints how many results are clean (nothing left for a person), how many of those
 * equal the committed file, and how many clean results differ from it: a merge that never
 * conflicts pays there. git's own `git merge-file` on the same files is the peer, measured in the
 * same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RUN_SYNC, STRATEGIES } from '../src/features/lab/strategies/all.ts';
import { crdtMerge } from '../src/features/lab/strategies/crdt.ts';
import type { StrategyId, StrategyOutcome, Triple } from '../src/features/lab/strategies/types.ts';

export interface Merge extends Triple {
  id: string;
  committed: string;
}

export function readMerges(folder: string): Merge[] {
  // Names, not dirents: a merge's folder may be a symbolic link.
  return readdirSync(folder)
    .filter((name) => existsSync(path.join(folder, name, 'result')))
    .map((name) => {
      const read = (file: string) => readFileSync(path.join(folder, name, file), 'utf8');
      return { id: name, base: read('base'), mine: read('mine'), theirs: read('theirs'), committed: read('result') };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

export interface Tally {
  clean: number;
  /** Clean and byte for byte the file that was committed. */
  cleanEqual: number;
  ms: number;
}

const RUN: Record<StrategyId, (triple: Triple) => StrategyOutcome> = { ...RUN_SYNC, crdt: crdtMerge };

/** git merge-file on the same three files: the reference every other row is read against. */
function gitMerge(dir: string, merge: Merge): { clean: boolean; text: string } {
  const files = ['mine', 'base', 'theirs'].map((name) => path.join(dir, name));
  writeFileSync(files[0] as string, merge.mine);
  writeFileSync(files[1] as string, merge.base);
  writeFileSync(files[2] as string, merge.theirs);
  const run = spawnSync('git', ['merge-file', '-p', '--diff3', '-L', 'mine', '-L', 'base', '-L', 'theirs', ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: dir },
  });
  if (run.status === null || run.status < 0 || run.error) throw new Error(`git merge-file failed: ${run.stderr}`);
  return { clean: run.status === 0, text: run.stdout };
}

/** Every strategy of the page on every merge: how many clean results, and how many equal the commit. */
export function tallyStrategies(merges: Merge[]): { name: string; tally: Tally }[] {
  return STRATEGIES.map((strategy) => {
    const tally: Tally = { clean: 0, cleanEqual: 0, ms: 0 };
    const start = performance.now();
    for (const merge of merges) {
      const outcome = RUN[strategy.id](merge);
      if (!outcome.clean) continue;
      tally.clean++;
      if (outcome.text === merge.committed) tally.cleanEqual++;
    }
    tally.ms = performance.now() - start;
    return { name: strategy.name, tally };
  });
}

const percent = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)} %` : 'n/a');

export function benchStrategies(folder: string): void {
  const merges = readMerges(folder);
  if (!merges.length) throw new Error(`no merges (folders with base, mine, theirs and result) in ${folder}`);
  console.log(`${merges.length} committed merges from ${folder}\n`);

  const rows: { name: string; tally: Tally }[] = [];
  const gitPresent = spawnSync('git', ['--version']).status === 0;
  if (gitPresent) {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-strategies-'));
    try {
      const tally: Tally = { clean: 0, cleanEqual: 0, ms: 0 };
      const start = performance.now();
      for (const merge of merges) {
        const result = gitMerge(dir, merge);
        if (result.clean) tally.clean++;
        if (result.clean && result.text === merge.committed) tally.cleanEqual++;
      }
      tally.ms = performance.now() - start;
      rows.push({ name: 'peer: git merge-file (process start included)', tally });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  rows.push(...tallyStrategies(merges));

  const table = [['strategy', 'clean', 'clean = committed', 'share of clean', 'clean ≠ committed', 'all = committed', 'ms']];
  for (const { name, tally } of rows) {
    table.push([
      name,
      String(tally.clean),
      String(tally.cleanEqual),
      percent(tally.cleanEqual, tally.clean),
      String(tally.clean - tally.cleanEqual),
      percent(tally.cleanEqual, merges.length),
      tally.ms.toFixed(0),
    ]);
  }
  const widths = (table[0] as string[]).map((_, c) => Math.max(...table.map((r) => (r[c] as string).length)));
  for (const row of table) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join('  '));
  console.log('\n"clean": nothing left for a person (diff-match-patch: every patch reported applied; last writer wins and the CRDT are always clean).');
}

const self = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (self) {
  const folder = process.argv[2];
  if (!folder) throw new Error('usage: tsx bench/strategies.ts <folder of real merges>');
  benchStrategies(folder);
}
