/**
 * Benchmark of the three-way merge: `npm run bench:merge`.
 *
 * For 1k, 10k and 100k-line documents with 1% of the lines edited on each side (apart, plus a
 * few lines both edited), the median wall time of merge3 + toText beside `git merge-file -p
 * --diff3` on the same files (process start included, as a user of git pays it) and node-diff3.
 * Then the word-level path on a 1 MB document of long paragraph lines. Every merge3 output is
 * checked against git's before it is timed. Last, the diff under the merge against the peer the
 * stack started from, diff-match-patch: its line mode (lines encoded as UTF-16 characters) with
 * the default 1 s `Diff_Timeout` and with none, and its character diff for word highlights.
 *
 * `--real DIR` adds a quality table on real merges (see real-merges.ts): agreement with git and
 * with what people committed, for the line level and the default word level, and a table of
 * the word-level rules, each left out in turn, per source repository.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { merge as nodeDiff3Merge } from 'node-diff3';
import { diff_match_patch, DIFF_EQUAL } from '@dmsnell/diff-match-patch';
import type { Diff } from '@dmsnell/diff-match-patch';
import { merge3, toText, wordDiff } from '../src/merge/index.ts';
import { InternTable } from '../src/merge/intern.ts';
import { diffSequences } from '../src/merge/sequence-diff.ts';
import { evaluateRealMerges, qualityRows, ruleRows } from './real-merges.ts';
import { median } from './stats.ts';
import { benchStrategies } from './strategies.ts';
import { seededRandom } from '../src/lib/seeded-random.ts';

// `--strategies <folder>`: the lab's merge strategies on committed merges, instead of the timings.
const strategiesFlag = process.argv.indexOf('--strategies');
if (strategiesFlag !== -1) {
  const folder = process.argv[strategiesFlag + 1];
  if (!folder) throw new Error('--strategies needs a folder of real merges (base, mine, theirs, result)');
  benchStrategies(folder);
  process.exit(0);
}

const WORDS = 'the of and to in is that for it as with was on be by this are from at or an have not which but'.split(' ');

function sentence(next: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
}

interface Documents {
  base: string;
  mine: string;
  theirs: string;
}

/** Numbered lines of prose: distinct, so node-diff3's LCS stays within reach at 100k lines. */
function lineDocuments(lines: number, seed: number): Documents {
  const next = seededRandom(seed);
  const base = Array.from({ length: lines }, (_, i) => `${i}: ${sentence(next, 8)}`);
  const mine = [...base];
  const theirs = [...base];
  const edits = Math.max(1, Math.round(lines / 100));
  for (let k = 0; k < edits; k++) {
    mine[Math.floor(next() * lines)] = `mine ${k}: ${sentence(next, 6)}`;
    theirs[Math.floor(next() * lines)] = `theirs ${k}: ${sentence(next, 6)}`;
  }
  // A few real clashes: both sides rewrite the same line.
  for (let k = 0; k < 3; k++) {
    const at = Math.floor(next() * lines);
    mine[at] = `mine clash ${k}`;
    theirs[at] = `theirs clash ${k}`;
  }
  const text = (l: string[]) => `${l.join('\n')}\n`;
  return { base: text(base), mine: text(mine), theirs: text(theirs) };
}

/**
 * About 1 MB of paragraph-long lines; each side rewrites one sentence in 1% of the paragraphs,
 * and in some of them both sides rewrite different sentences of the same paragraph.
 */
function paragraphDocuments(bytes: number, seed: number): Documents {
  const next = seededRandom(seed);
  const paragraphs: string[][] = [];
  let size = 0;
  while (size < bytes) {
    const sentences = Array.from({ length: 8 }, () => `${sentence(next, 12)}.`);
    paragraphs.push(sentences);
    size += sentences.join(' ').length + 1;
  }
  const mine = paragraphs.map((p) => [...p]);
  const theirs = paragraphs.map((p) => [...p]);
  const edits = Math.max(1, Math.round(paragraphs.length / 100));
  for (let k = 0; k < edits; k++) {
    const shared = Math.floor(next() * paragraphs.length);
    (mine[shared] as string[])[1] = `Mine rewrote sentence ${k}.`;
    (theirs[shared] as string[])[6] = `Theirs rewrote sentence ${k}.`;
    (mine[Math.floor(next() * paragraphs.length)] as string[])[3] = `Mine alone ${k}.`;
    (theirs[Math.floor(next() * paragraphs.length)] as string[])[4] = `Theirs alone ${k}.`;
  }
  const text = (ps: string[][]) => ps.map((p) => p.join(' ')).join('\n') + '\n';
  return { base: text(paragraphs), mine: text(mine), theirs: text(theirs) };
}

function time(runs: number, warmUp: number, work: () => void): number {
  return timeTogether(runs, warmUp, [work])[0] as number;
}

/**
 * Median times of several contenders, run in turns (a, b, c, a, b, c, …) so that load from
 * other processes on a shared machine falls on all of them alike.
 */
function timeTogether(runs: number, warmUp: number, contenders: (() => void)[]): number[] {
  for (let i = 0; i < warmUp; i++) for (const work of contenders) work();
  const samples = contenders.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    contenders.forEach((work, c) => {
      const start = performance.now();
      work();
      samples[c]?.push(performance.now() - start);
    });
  }
  return samples.map(median);
}

const dir = mkdtempSync(path.join(tmpdir(), 'bench-merge-'));

function gitMerge(docs: Documents): () => string {
  const files = ['mine', 'base', 'theirs'].map((name) => path.join(dir, name));
  writeFileSync(files[0] as string, docs.mine);
  writeFileSync(files[1] as string, docs.base);
  writeFileSync(files[2] as string, docs.theirs);
  return () => {
    const run = spawnSync('git', ['merge-file', '-p', '--diff3', '-L', 'mine', '-L', 'base', '-L', 'theirs', ...files], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    if (run.status === null || run.status < 0 || run.error) throw new Error(`git merge-file failed: ${run.stderr}`);
    return run.stdout;
  };
}

/**
 * Median CPU time (user + system) of one run of this process's own work: unlike wall time it
 * hardly moves when other processes share the machine, so it shows how the cost grows.
 */
function cpuTime(runs: number, work: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  return median(samples);
}

const format = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

function table(rows: string[][]): void {
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padStart(widths[c] as number)).join('  '));
}

const quick = process.argv.includes('--quick');
const realIndex = process.argv.indexOf('--real');
const realDir = realIndex === -1 ? undefined : process.argv[realIndex + 1];
if (realIndex !== -1 && !realDir) throw new Error('--real needs a folder of real merges (base, mine, theirs, result per merge)');
const gitPresent = spawnSync('git', ['--version']).status === 0;

try {
  console.log(`node ${process.version}${gitPresent ? `, ${spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim()}` : ', git not found'}`);
  console.log('\nLine merge: median wall time in ms (merge3 = merge3 + toText, default options)\n');
  const rows = [['lines', 'conflicts', 'same as git', 'merge3', 'line only', 'git', 'node-diff3', 'merge3/git', 'node-diff3/merge3', 'merge3 CPU ms', 'CPU ms per 1k lines']];
  for (const [lines, runs] of [
    [1_000, 41],
    [10_000, 21],
    [100_000, 11],
  ] as const) {
    const docs = lineDocuments(lines, lines);
    const ours = () => toText(merge3(docs.base, docs.mine, docs.theirs));
    const oursLines = () => toText(merge3(docs.base, docs.mine, docs.theirs, { wordLevel: false }));
    const result = merge3(docs.base, docs.mine, docs.theirs, { wordLevel: false });
    const conflicts = result.hunks.filter((h) => h.kind === 'conflict').length;
    const git = gitPresent ? gitMerge(docs) : undefined;
    const same = git ? (git() === oursLines() ? 'yes' : 'NO') : 'n/a';

    const [oursMs, linesMs, gitMs] = timeTogether(runs, 3, git ? [ours, oursLines, git] : [ours, oursLines]) as [number, number, number?];
    const oursCpu = cpuTime(runs, ours);
    // node-diff3's LCS is quadratic: at 100k lines one run takes tens of seconds.
    const a = docs.mine.split('\n');
    const o = docs.base.split('\n');
    const b = docs.theirs.split('\n');
    const diff3Runs = lines >= 100_000 ? (quick ? 0 : 1) : lines >= 10_000 ? 3 : 9;
    const diff3Ms = diff3Runs ? time(diff3Runs, lines >= 10_000 ? 0 : 2, () => nodeDiff3Merge(a, o, b)) : NaN;
    rows.push([
      String(lines),
      String(conflicts),
      same,
      format(oursMs),
      format(linesMs),
      gitMs !== undefined ? format(gitMs) : 'n/a',
      diff3Runs ? format(diff3Ms) + (diff3Runs === 1 ? ' (1 run)' : '') : 'skipped',
      gitMs !== undefined ? ratio(oursMs, gitMs) : 'n/a',
      diff3Runs ? ratio(diff3Ms, oursMs) : 'n/a',
      format(oursCpu),
      ((oursCpu / lines) * 1000).toFixed(2),
    ]);
  }
  table(rows);

  console.log('\nWord-level path: ~1 MB of paragraph lines, both sides editing different sentences of 1% of the paragraphs\n');
  const prose = paragraphDocuments(1_000_000, 7);
  const lineLevel = merge3(prose.base, prose.mine, prose.theirs, { wordLevel: false });
  const wordLevel = merge3(prose.base, prose.mine, prose.theirs);
  const count = (r: typeof lineLevel) => r.hunks.filter((h) => h.kind === 'conflict').length;
  const proseGit = gitPresent ? gitMerge(prose) : undefined;
  const [wordMs, lineMs, proseGitMs] = timeTogether(15, 2, [
    () => toText(merge3(prose.base, prose.mine, prose.theirs)),
    () => toText(merge3(prose.base, prose.mine, prose.theirs, { wordLevel: false })),
    ...(proseGit ? [proseGit] : []),
  ]) as [number, number, number?];
  table([
    ['bytes', 'lines', 'line conflicts', 'left after word level', 'word level', 'line only', 'git (lines)', 'word level/git'],
    [
      String(prose.base.length),
      String(prose.base.split('\n').length - 1),
      String(count(lineLevel)),
      String(count(wordLevel)),
      format(wordMs),
      format(lineMs),
      proseGitMs !== undefined ? format(proseGitMs) : 'n/a',
      proseGitMs !== undefined ? ratio(wordMs, proseGitMs) : 'n/a',
    ],
  ]);

  diffEngines();

  if (realDir) {
    if (!gitPresent) throw new Error('--real compares with git merge-file: git is not on the PATH');
    console.log(`\nQuality on real merges in ${realDir} (committed file = what the person who merged committed)\n`);
    const quality = evaluateRealMerges(realDir);
    table(qualityRows(quality));
    console.log('\nEach word-level rule left out in turn: clean results equal to the committed file (git conflicts resolved: as committed / all)\n');
    table(ruleRows(quality));
    if (quality.differsFromGit.length > 0) console.log(`\nline level differs from git on: ${quality.differsFromGit.join(', ')}`);
    if (quality.resolvedDiffers.length > 0) console.log(`\nresolved git conflicts that differ from the committed file: ${quality.resolvedDiffers.join(', ')}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Lines as single UTF-16 characters, as diff-match-patch's line mode does; null past 65,535. */
function linesToChars(a: string[], b: string[]): [string, string] | null {
  const codes = new Map<string, number>();
  const encode = (lines: string[]) => {
    let out = '';
    for (const line of lines) {
      let code = codes.get(line);
      if (code === undefined) {
        code = codes.size + 1;
        if (code > 0xffff) return null;
        codes.set(line, code);
      }
      out += String.fromCharCode(code);
    }
    return out;
  };
  const x = encode(a);
  const y = x === null ? null : encode(b);
  return x === null || y === null ? null : [x, y];
}

/** Lines left unchanged by a diff: the bigger, the closer to the least edit (a degraded diff keeps few). */
function keptByDmp(diffs: Diff[]): number {
  return diffs.filter((d) => d[0] === DIFF_EQUAL).reduce((n, d) => n + d[1].length, 0);
}

function diffEngines(): void {
  console.log('\nThe line diff under the merge (base → mine, median ms) against diff-match-patch line mode\n');
  const rows = [['lines', 'ours', 'lines kept', 'dmp, 1 s timeout', 'lines kept', 'dmp, no timeout', 'dmp (no timeout)/ours']];
  for (const [lines, runs] of [
    [1_000, 21],
    [10_000, 5],
    [100_000, 1],
  ] as const) {
    const docs = lineDocuments(lines, lines);
    const a = docs.base.split('\n');
    const b = docs.mine.split('\n');
    let kept = 0;
    const oursMs = time(runs, 1, () => {
      const table = new InternTable();
      const changes = diffSequences(table.intern(a), table.intern(b));
      kept = a.length - changes.reduce((n, c) => n + (c.aEnd - c.aStart), 0);
    });
    const encoded = linesToChars(a, b);
    if (!encoded) {
      rows.push([String(lines), format(oursMs), String(kept), 'over 65,535 distinct lines: cannot encode', '', '', '']);
      continue;
    }
    const dmp = new diff_match_patch();
    let keptDefault = 0;
    const defaultMs = time(runs, 0, () => {
      dmp.Diff_Timeout = 1;
      keptDefault = keptByDmp(dmp.diff_main(encoded[0], encoded[1], false));
    });
    const exactMs = quick && lines >= 10_000 ? NaN : time(runs, 0, () => {
      dmp.Diff_Timeout = 0;
      dmp.diff_main(encoded[0], encoded[1], false);
    });
    rows.push([
      String(lines),
      format(oursMs),
      String(kept),
      format(defaultMs),
      String(keptDefault) + (keptDefault < kept ? ' (degraded)' : ''),
      Number.isNaN(exactMs) ? 'skipped' : format(exactMs),
      Number.isNaN(exactMs) ? 'n/a' : ratio(exactMs, oursMs),
    ]);
  }
  table(rows);

  console.log('\nWord highlights of the changed paragraphs of a 200 kB document (wordDiff) against diff-match-patch characters + semantic clean-up\n');
  const prose = paragraphDocuments(200_000, 11);
  const baseParagraphs = prose.base.split('\n');
  const mineParagraphs = prose.mine.split('\n');
  const pairs = baseParagraphs.map((p, i) => [p, mineParagraphs[i] ?? ''] as const).filter(([x, y]) => x !== y);
  const dmp = new diff_match_patch();
  const [oursMs, dmpMs] = timeTogether(21, 2, [
    () => pairs.forEach(([x, y]) => wordDiff(x, y)),
    () =>
      pairs.forEach(([x, y]) => {
        const diffs = dmp.diff_main(x, y);
        dmp.diff_cleanupSemantic(diffs);
      }),
  ]) as [number, number];
  table([
    ['changed paragraphs', 'wordDiff', 'dmp + cleanupSemantic', 'dmp/ours'],
    [String(pairs.length), format(oursMs), format(dmpMs), ratio(dmpMs, oursMs)],
  ]);
}
