// This test reads a file and hashes text: Node types, unlike the module it tests.
/// <reference types="node" />
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { merge3, toText } from './index.ts';
import { InternTable } from './intern.ts';
import { splitLines } from './lines.ts';
import { diffSequences } from './sequence-diff.ts';
import { threeWayFamilies, twoWayFamilies } from './testdata/git-cases.ts';

/**
 * git's answers for the cases of testdata/git-cases.ts, recorded by scripts/record-merge-git-cases.ts:
 * the comparison of git-differential.test.ts on fixed cases, without running git, so that it is
 * quick enough to run for every mutant under mutation testing. It also compares the two-way diff
 * on its own, with documents large enough to reach each of git's shortcuts. Read without a
 * fallback: a missing file fails the run.
 */
interface Answer {
  seed: number;
  /** Large documents: the SHA-256 of the changes as JSON, or of the merged text. */
  sha256?: string;
}

interface Recorded {
  recordedWith: string;
  twoWay: Record<string, Array<Answer & { changes?: number[][]; count?: number }>>;
  threeWay: Record<string, Array<Answer & { conflicts: number; text?: string }>>;
}

const recorded = JSON.parse(readFileSync(new URL('./testdata/git-cases.json', import.meta.url), 'utf8')) as Recorded;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The recorded answers of a family, in the order of its cases, checked to be for the same seeds. */
function answersFor<T extends Answer>(answers: Record<string, T[]>, family: string, seeds: number[]): T[] {
  const list = answers[family] ?? [];
  expect(list.map((a) => a.seed), `the recorded ${family} cases`).toEqual(seeds);
  return list;
}

describe('two-way diff: the changes git diff finds (myers, no indent heuristic)', () => {
  it('has answers for exactly the families there are', () => {
    expect(Object.keys(recorded.twoWay)).toEqual(Object.keys(twoWayFamilies));
  });

  it.each(Object.keys(twoWayFamilies))('finds the same changes as git on the %s cases', (family) => {
    const cases = (twoWayFamilies[family] as () => ReturnType<(typeof twoWayFamilies)[string]>)();
    const answers = answersFor(recorded.twoWay, family, cases.map((c) => c.seed));
    cases.forEach((c, i) => {
      const git = answers[i] as Recorded['twoWay'][string][number];
      const table = new InternTable();
      const changes = diffSequences(table.intern(c.a), table.intern(c.b)).map((x) => [x.aStart, x.aEnd, x.bStart, x.bEnd]);
      if (git.changes !== undefined) expect(changes, `${family} case ${c.seed}`).toEqual(git.changes);
      else {
        expect(changes.length, `${family} case ${c.seed}: changes`).toBe(git.count);
        expect(sha256(JSON.stringify(changes)), `${family} case ${c.seed}`).toBe(git.sha256);
      }
    });
  });
});

describe('three-way merge: what git merge-file --diff3 writes', () => {
  it('has answers for exactly the families there are, some clean and some with conflicts', () => {
    expect(Object.keys(recorded.threeWay)).toEqual(Object.keys(threeWayFamilies));
    const all = Object.values(recorded.threeWay).flat();
    expect(all.filter((c) => c.conflicts === 0).length).toBeGreaterThan(50);
    expect(all.filter((c) => c.conflicts > 0).length).toBeGreaterThan(50);
  });

  it.each(Object.keys(threeWayFamilies))('writes what git writes, with as many conflicts, on the %s cases', (family) => {
    const cases = (threeWayFamilies[family] as () => ReturnType<(typeof threeWayFamilies)[string]>)();
    const answers = answersFor(recorded.threeWay, family, cases.map((c) => c.seed));
    cases.forEach((c, i) => {
      const git = answers[i] as Recorded['threeWay'][string][number];
      const result = merge3(c.base, c.mine, c.theirs, { wordLevel: false });
      const text = toText(result);
      if (git.text !== undefined) expect(text, `${family} case ${c.seed}`).toBe(git.text);
      else expect(sha256(text), `${family} case ${c.seed}`).toBe(git.sha256);
      // git's exit status counts conflicts up to 127.
      expect(Math.min(result.hunks.filter((h) => h.kind === 'conflict').length, 127), `${family} case ${c.seed}: conflicts`).toBe(git.conflicts);
      expect(result.clean, `${family} case ${c.seed}: clean`).toBe(git.conflicts === 0);
    });
  });

  it('holds CRLF lines and unterminated last lines among its inputs', () => {
    const all = Object.values(threeWayFamilies).flatMap((make) => make().flatMap((c) => [c.base, c.mine, c.theirs]));
    expect(all.some((text) => text.includes('\r\n'))).toBe(true);
    expect(all.some((text) => text !== '' && !splitLines(text).at(-1)?.endsWith('\n'))).toBe(true);
  });
});
