/**
 * Quality of the merge on real merges: `npm run bench:merge -- --real DIR`.
 *
 * DIR holds one folder per merged file (or a `triples` folder of them), each with `base`,
 * `mine`, `theirs` (the merge base and the two parents' versions) and `result` (what the person
 * who merged committed). For each, git merge-file, the line level and the default (word level)
 * are run; the table compares them with each other and with the committed file.
 *
 * A second table leaves out each word-level safety rule in turn (WORD_RULES), so the evidence
 * for every rule can be checked again, per source repository when a merge's `meta.json` names one
 * (`"repo"`): a rule that only one repository supports is a rule to doubt.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { merge3, toText, type Hunk, type MergeResult } from '../src/merge/index.ts';
import { mergeLines } from '../src/merge/line-merge.ts';
import { resolveAtWordLevel, WORD_RULES, type WordRule } from '../src/merge/word-merge.ts';

/** Clean results and how many equal the committed file, under one set of word-level rules. */
export interface RuleScore {
  clean: number;
  cleanEqualsCommitted: number;
  /** Of those, merges git leaves conflicting. */
  resolved: number;
  resolvedEqualsCommitted: number;
}

/** 'all rules' is the default merge; the others leave that one rule out. */
export type RuleSet = 'all rules' | WordRule;

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
  /** Per rule set, per repository ('all' = every merge): the default without that rule. */
  rules: Map<RuleSet, Map<string, RuleScore>>;
  /** git's clean results and how many equal the committed file, per repository. */
  gitByRepo: Map<string, { clean: number; equalsCommitted: number }>;
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
    rules: new Map(),
    gitByRepo: new Map(),
  };
  const ruleSets: [RuleSet, ReadonlySet<WordRule>][] = [
    ['all rules', WORD_RULES],
    ...[...WORD_RULES].map((rule): [RuleSet, ReadonlySet<WordRule>] => [rule, new Set([...WORD_RULES].filter((r) => r !== rule))]),
  ];
  const scoreOf = (set: RuleSet, repo: string) => {
    let byRepo = q.rules.get(set);
    if (!byRepo) q.rules.set(set, (byRepo = new Map()));
    let score = byRepo.get(repo);
    if (!score) byRepo.set(repo, (score = { clean: 0, cleanEqualsCommitted: 0, resolved: 0, resolvedEqualsCommitted: 0 }));
    return score;
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
      const repo = repoOf(folder);

      for (const key of [repo, 'all']) {
        const gitScore = q.gitByRepo.get(key) ?? { clean: 0, equalsCommitted: 0 };
        q.gitByRepo.set(key, gitScore);
        if (gitClean) gitScore.clean++;
        if (gitClean && git.stdout === committed) gitScore.equalsCommitted++;
      }
      // Each rule set on this merge: only line conflicts depend on the rules.
      const lineHunks = mergeLines(base, mine, theirs);
      for (const [set, rules] of ruleSets) {
        const hunks: Hunk[] = lineHunks.map((hunk) => (hunk.kind === 'conflict' ? resolveAtWordLevel(hunk, rules) : hunk));
        if (hunks.some((hunk) => hunk.kind === 'conflict')) continue;
        const equal = toText({ clean: true, hunks }) === committed;
        for (const key of [repo, 'all']) {
          const score = scoreOf(set, key);
          score.clean++;
          if (equal) score.cleanEqualsCommitted++;
          if (!gitClean) {
            score.resolved++;
            if (equal) score.resolvedEqualsCommitted++;
          }
        }
      }

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

/** The source repository a merge's meta.json names, or '' when it has none. */
function repoOf(folder: string): string {
  const meta = path.join(folder, 'meta.json');
  if (!existsSync(meta)) return '';
  try {
    const repo: unknown = (JSON.parse(readFileSync(meta, 'utf8')) as { repo?: unknown }).repo;
    return typeof repo === 'string' ? repo : '';
  } catch {
    return '';
  }
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

/**
 * The rule table: for the default and for the default without each rule, the share of clean
 * results equal to the committed file and the git conflicts resolved (as committed / all), over
 * all merges and per repository, beside git's own share.
 */
export function ruleRows(q: Quality): string[][] {
  const repos = [...q.gitByRepo.keys()].filter((repo) => repo !== 'all' && repo !== '').sort();
  const columns = ['all', ...(repos.length > 1 ? repos : [])];
  const cell = (clean: number, equal: number, extra = '') => `${pct(equal, clean)}${extra}`;
  const rows = [['rules', ...columns]];
  rows.push([
    'git merge-file',
    ...columns.map((repo) => {
      const git = q.gitByRepo.get(repo);
      return git ? cell(git.clean, git.equalsCommitted) : 'n/a';
    }),
  ]);
  for (const [set, byRepo] of q.rules) {
    rows.push([
      set === 'all rules' ? 'default (all rules)' : `without ${set}`,
      ...columns.map((repo) => {
        const score = byRepo.get(repo) ?? { clean: 0, cleanEqualsCommitted: 0, resolved: 0, resolvedEqualsCommitted: 0 };
        return cell(score.clean, score.cleanEqualsCommitted, ` (${score.resolvedEqualsCommitted}/${score.resolved})`);
      }),
    ]);
  }
  return rows;
}
