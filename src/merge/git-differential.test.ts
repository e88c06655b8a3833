// This test reads files and runs git: Node types, unlike the module it tests.
/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { merge3, toText } from './index.ts';

const gitVersion = spawnSync('git', ['--version'], { encoding: 'utf8' });
const gitPresent = gitVersion.status === 0;

type Edit = { op: 'keep' | 'delete' | 'replace' | 'insert'; shared: boolean };
interface Scenario {
  size: number;
  mine: Edit[];
  theirs: Edit[];
  ending: string;
  finalNewline: boolean;
}

/**
 * Documents whose lines are all distinct within each version, so the two-way alignments are
 * unambiguous and any difference from git is a difference in the merge itself. An edit may be
 * `shared`: then mine and theirs make it identically, which must merge clean.
 */
const scenario: fc.Arbitrary<Scenario> = fc.record({
  size: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 40 })),
  mine: fc.array(fc.record({ op: fc.constantFrom('keep', 'keep', 'keep', 'delete', 'replace', 'insert'), shared: fc.boolean() }), { maxLength: 45 }),
  theirs: fc.array(fc.record({ op: fc.constantFrom('keep', 'keep', 'keep', 'delete', 'replace', 'insert'), shared: fc.constant(false) }), { maxLength: 45 }),
  ending: fc.constantFrom('\n', '\r\n'),
  finalNewline: fc.boolean(),
});

function build(s: Scenario) {
  const base = Array.from({ length: s.size }, (_, i) => `base line ${i}`);
  const sideOf = (name: string, edits: readonly Edit[], other: readonly Edit[]) => {
    const lines: string[] = [];
    for (let i = 0; i <= base.length; i++) {
      const own = edits[i] ?? { op: 'keep', shared: false };
      // A shared edit of mine is also made by theirs at the same place.
      const edit = own.shared || !other[i]?.shared ? own : (other[i] as Edit);
      const label = edit.shared ? 'shared' : name;
      const original = base[i];
      if (edit.op === 'insert') lines.push(`${label} inserted before ${i}`);
      if (original === undefined) continue;
      if (edit.op === 'replace') lines.push(`${label} replaced ${i}`);
      else if (edit.op !== 'delete') lines.push(original);
    }
    return lines;
  };
  const write = (lines: string[]) => {
    const text = lines.join(s.ending);
    return lines.length > 0 && s.finalNewline ? text + s.ending : text;
  };
  return {
    base: write(base),
    mine: write(sideOf('mine', s.mine, s.theirs)),
    theirs: write(sideOf('theirs', s.theirs, s.mine)),
  };
}

const dir = gitPresent ? mkdtempSync(path.join(tmpdir(), 'merge-differential-')) : '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function gitMergeFile(base: string, mine: string, theirs: string): { text: string; conflicts: number } {
  const files = ['mine', 'base', 'theirs'].map((name) => path.join(dir, name));
  writeFileSync(files[0] as string, mine);
  writeFileSync(files[1] as string, base);
  writeFileSync(files[2] as string, theirs);
  const run = spawnSync('git', ['merge-file', '-p', '--diff3', '-L', 'mine', '-L', 'base', '-L', 'theirs', ...files], {
    encoding: 'utf8',
  });
  if (run.status === null || run.status < 0) throw new Error(`git merge-file failed: ${run.stderr}`);
  return { text: run.stdout, conflicts: run.status };
}

describe.skipIf(!gitPresent)(`differential test against git merge-file --diff3${gitPresent ? '' : ' (git not on PATH: skipped)'}`, () => {
  it('writes what git writes, verdict and conflict count included, on unique-line documents', () => {
    let conflicted = 0;
    let clean = 0;
    fc.assert(
      fc.property(scenario, (s) => {
        const { base, mine, theirs } = build(s);
        const git = gitMergeFile(base, mine, theirs);
        const result = merge3(base, mine, theirs, { wordLevel: false });
        expect(toText(result)).toBe(git.text);
        expect(result.hunks.filter((h) => h.kind === 'conflict').length).toBe(git.conflicts);
        expect(result.clean).toBe(git.conflicts === 0);
        if (result.clean) clean++;
        else conflicted++;
      }),
      { numRuns: 400 },
    );
    // Both verdicts must have been exercised for the comparison to mean anything.
    expect(clean).toBeGreaterThan(10);
    expect(conflicted).toBeGreaterThan(10);
  });
});
