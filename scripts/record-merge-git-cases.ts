/**
 * `npx tsx scripts/record-merge-git-cases.ts` writes src/merge/testdata/git-cases.json: what git
 * answers for the cases of src/merge/testdata/git-cases.ts, which src/merge/git-recorded.test.ts
 * compares with.
 * - two-way: the changes of `git diff --no-index -U0 --no-indent-heuristic --diff-algorithm=myers`
 *   (the diff `git merge-file` uses: myers, not minimal, no indent heuristic), as
 *   [aStart, aEnd, bStart, bEnd] with 0-based, end-exclusive line ranges;
 * - three-way: the output of `git merge-file -p --diff3` and its exit status (the number of
 *   conflicts).
 * For the families of large documents, only the answer's SHA-256 (of the changes as JSON, with
 * their number, or of the text): the small families' answers say where a difference lies.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { threeWayFamilies, twoWayFamilies } from '../src/merge/testdata/git-cases.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'git-cases-'));
const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};

function gitDiff(a: string[], b: string[]): number[][] {
  const run = spawnSync(
    'git',
    ['-c', 'core.quotePath=false', 'diff', '--no-index', '--no-color', '-U0', '--no-indent-heuristic', '--diff-algorithm=myers', file('a', a.join('')), file('b', b.join(''))],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  if (run.status !== 0 && run.status !== 1) throw new Error(`git diff failed: ${run.stderr}`);
  const changes: number[][] = [];
  for (const match of run.stdout.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)) {
    const [aLine, aCount, bLine, bCount] = [match[1], match[2] ?? '1', match[3], match[4] ?? '1'].map(Number) as [number, number, number, number];
    const aStart = aCount === 0 ? aLine : aLine - 1;
    const bStart = bCount === 0 ? bLine : bLine - 1;
    changes.push([aStart, aStart + aCount, bStart, bStart + bCount]);
  }
  return changes;
}

function gitMergeFile(base: string, mine: string, theirs: string): { text: string; conflicts: number } {
  const files = [file('mine', mine), file('base', base), file('theirs', theirs)];
  const run = spawnSync('git', ['merge-file', '-p', '--diff3', '-L', 'mine', '-L', 'base', '-L', 'theirs', ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (run.status === null || run.status < 0) throw new Error(`git merge-file failed: ${run.stderr}`);
  return { text: run.stdout, conflicts: run.status };
}

const version = spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** The families whose answers are long: their SHA-256 only (of the changes as JSON, or of the text). */
const large = new Set(['huge', 'huge, runs of 20', 'huge, lines slipped in at the end']);
const twoWay = Object.fromEntries(
  Object.entries(twoWayFamilies).map(([family, make]) => [
    family,
    make().map(({ seed, a, b }) => {
      const changes = gitDiff(a, b);
      return large.has(family) ? { seed, count: changes.length, sha256: sha256(JSON.stringify(changes)) } : { seed, changes };
    }),
  ]),
);
const threeWay = Object.fromEntries(
  Object.entries(threeWayFamilies).map(([family, make]) => [
    family,
    make().map(({ seed, base, mine, theirs }) => {
      const { text, conflicts } = gitMergeFile(base, mine, theirs);
      return large.has(family) ? { seed, conflicts, sha256: sha256(text) } : { seed, conflicts, text };
    }),
  ]),
);
const count = (families: Record<string, unknown[]>) => Object.values(families).reduce((n, cases) => n + cases.length, 0);
rmSync(dir, { recursive: true, force: true });
writeFileSync(new URL('../src/merge/testdata/git-cases.json', import.meta.url), `${JSON.stringify({ recordedWith: version, twoWay, threeWay })}\n`);
console.log(`${count(twoWay)} two-way and ${count(threeWay)} three-way cases recorded with ${version}.`);
