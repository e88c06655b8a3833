/**
 * Quality of the merge on real merges: `npm run bench:merge -- --real DIR`.
 *
 * DIR holds one folder per merged file (or a `triples` folder of them), each with `base`,
 * `mine`, `theirs` (the merge base and the two parents' versions) and `result` (what the person
 * who merged committed). For each, git merge-file, the line level and the default (word level)
 * are run; the table compares them with each other and with the committed file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { merge3, toText, type MergeResult } from '../src/merge/index.ts';

export interface Quality {
  merges: number;
  gitClean: number;
  verdictAgrees: number;
  byteIdentical: number;
  gitCleanEqualsCommitted: number;
  lineClean: number;
  lineCleanEqualsCommitted: number;
  wordClean: number;
  wordCleanEqualsCommitted: number;
  /** git conflicts the default merge resolves, and how many of those equal the committed file. */
  resolved: number;
  resolvedEqualsCommitted: number;
  /** Line conflicts on git-conflicting files, and how many the word level resolved. */
  lineConflicts: number;
  wordMergedHunks: number;
  /** Merges whose line-level output differs from git's, for a closer look. */
  differsFromGit: string[];
  /** Resolved git conflicts whose result differs from the committed file. */
  resolvedDiffers: string[];
}

/** The folders of merged files under `root`: itself a set of them, or with a `triples` folder. */
function mergeFolders(root: string): string[] {
  const dir = existsSync(path.join(root, 'triples')) ? path.join(root, 'triples') : root;
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'result')))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

const conflicts = (result: MergeResult) => result.hunks.filter((hunk) => hunk.kind === 'conflict').length;

export function evaluateRealMerges(root: string): Quality {
  const folders = mergeFolders(root);
  if (folders.length === 0) throw new Error(`no merges (folders with base, mine, theirs, result) under ${root}`);
  const scratch = mkdtempSync(path.join(tmpdir(), 'bench-real-'));
  const q: Quality = {
    merges: 0,
    gitClean: 0,
    verdictAgrees: 0,
    byteIdentical: 0,
    gitCleanEqualsCommitted: 0,
    lineClean: 0,
    lineCleanEqualsCommitted: 0,
    wordClean: 0,
    wordCleanEqualsCommitted: 0,
    resolved: 0,
    resolvedEqualsCommitted: 0,
    lineConflicts: 0,
    wordMergedHunks: 0,
    differsFromGit: [],
    resolvedDiffers: [],
  };
  try {
    for (const folder of folders) {
      const read = (name: string) => readFileSync(path.join(folder, name), 'utf8');
      const [base, mine, theirs, committed] = [read('base'), read('mine'), read('theirs'), read('result')];
      const files = ['mine', 'base', 'theirs'].map((name) => path.join(scratch, name));
      writeFileSync(files[0] as string, mine);
      writeFileSync(files[1] as string, base);
      writeFileSync(files[2] as string, theirs);
      // No user or system configuration: merge.conflictStyle and the like must not change git's output.
      const git = spawnSync('git', ['merge-file', '-p', '--diff3', '-L', 'mine', '-L', 'base', '-L', 'theirs', ...files], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
      });
      if (git.status === null || git.status < 0 || git.error) throw new Error(`git merge-file failed on ${folder}: ${git.stderr}`);
      const gitClean = git.status === 0;
      const line = merge3(base, mine, theirs, { wordLevel: false });
      const word = merge3(base, mine, theirs);
      const lineText = toText(line);
      const wordText = toText(word);
      const name = path.basename(folder);

      q.merges++;
      if (gitClean) q.gitClean++;
      if (line.clean === gitClean) q.verdictAgrees++;
      if (lineText === git.stdout) q.byteIdentical++;
      else q.differsFromGit.push(name);
      if (gitClean && git.stdout === committed) q.gitCleanEqualsCommitted++;
      if (line.clean) {
        q.lineClean++;
        if (lineText === committed) q.lineCleanEqualsCommitted++;
      }
      if (word.clean) {
        q.wordClean++;
        if (wordText === committed) q.wordCleanEqualsCommitted++;
      }
      if (!gitClean) {
        q.lineConflicts += conflicts(line);
        q.wordMergedHunks += word.hunks.filter((hunk) => hunk.kind !== 'conflict' && hunk.kind !== 'stable' && hunk.wordMerged).length;
        if (word.clean) {
          q.resolved++;
          if (wordText === committed) q.resolvedEqualsCommitted++;
          else q.resolvedDiffers.push(name);
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return q;
}

const pct = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(2)} %`);

/** The quality table, as rows of cells. */
export function qualityRows(q: Quality): string[][] {
  const gitConflicting = q.merges - q.gitClean;
  return [
    ['measure', 'count', 'share'],
    ['merges (git clean / git conflicting)', `${q.merges} (${q.gitClean} / ${gitConflicting})`, ''],
    ['line level: same clean/conflict verdict as git', `${q.verdictAgrees} / ${q.merges}`, pct(q.verdictAgrees, q.merges)],
    ['line level: byte-identical with git merge-file -p --diff3', `${q.byteIdentical} / ${q.merges}`, pct(q.byteIdentical, q.merges)],
    ['git: clean results equal to the committed file', `${q.gitCleanEqualsCommitted} / ${q.gitClean}`, pct(q.gitCleanEqualsCommitted, q.gitClean)],
    ['line level: clean results equal to the committed file', `${q.lineCleanEqualsCommitted} / ${q.lineClean}`, pct(q.lineCleanEqualsCommitted, q.lineClean)],
    ['default (word level): clean results equal to the committed file', `${q.wordCleanEqualsCommitted} / ${q.wordClean}`, pct(q.wordCleanEqualsCommitted, q.wordClean)],
    ['default: git conflicts it resolves', `${q.resolved} / ${gitConflicting}`, pct(q.resolved, gitConflicting)],
    ['... of which equal to the committed file', `${q.resolvedEqualsCommitted} / ${q.resolved}`, pct(q.resolvedEqualsCommitted, q.resolved)],
    ['default: line conflicts merged word by word (git-conflicting files)', `${q.wordMergedHunks} / ${q.lineConflicts}`, pct(q.wordMergedHunks, q.lineConflicts)],
  ];
}
