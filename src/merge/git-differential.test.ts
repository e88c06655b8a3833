// This test reads files and runs git: Node types, unlike the module it tests.
/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { merge3, toText } from './index.ts';
import { seededRandom } from '../lib/seeded-random.ts';

// git is the reference: without it this file fails rather than passing on nothing.
const gitVersion = spawnSync('git', ['--version'], { encoding: 'utf8' });
if (gitVersion.status !== 0) {
  throw new Error('The differential test compares the merge with `git merge-file`: install git (apt-get install git).');
}

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

/**
 * Each case runs git once, which makes this file most of the merge tests' time. Under mutation
 * testing (StrykerJS runs it once per mutant it reaches; its workers have STRYKER_MUTATOR_WORKER
 * set) it compares fewer random cases, the same comparison, and stops at the first difference
 * instead of shrinking it: a mutant needs a failure, not its smallest example. The fewer cases
 * still leave each verdict well over the ten each test asserts it saw.
 */
const underMutation = process.env.STRYKER_MUTATOR_WORKER !== undefined;
const runs = (numRuns: number, underMutationRuns: number) =>
  underMutation ? { numRuns: underMutationRuns, endOnFailure: true } : { numRuns };

const dir = mkdtempSync(path.join(tmpdir(), 'merge-differential-'));
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

/**
 * Lines that repeat in real documents: blank lines, braces, Markdown rules and fences, list
 * items, a few code lines. With them a change can sit in several places, and which one a diff
 * picks decides whether two edits touch: exactly where implementations differ from git.
 */
const REPEATED = ['\n', '\n', '\n', '}\n', '{\n', '  }\n', '====\n', '----\n', '```\n', '- item\n', '  return x;\n', 'end\n', '# Title\n', '</div>\n', 'x\n'];

const repeatedLine = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...REPEATED) },
  { weight: 1, arbitrary: fc.nat({ max: 9 }).map((n) => `text ${n}\n`) },
);

type LineEdit = { at: number; op: 'delete' | 'insert' | 'replace'; line: string };
const lineEdits = fc.array(
  fc.record({ at: fc.nat({ max: 60 }), op: fc.constantFrom('delete', 'insert', 'replace') as fc.Arbitrary<LineEdit['op']>, line: repeatedLine }),
  { maxLength: 6 },
);

function edited(lines: readonly string[], edits: readonly LineEdit[]): string[] {
  const out = [...lines];
  for (const edit of edits) {
    const at = edit.at % (out.length + 1);
    if (edit.op === 'insert' || at === out.length) out.splice(at, 0, edit.line);
    else if (edit.op === 'delete') out.splice(at, 1);
    else out.splice(at, 1, edit.line);
  }
  return out;
}

/** base, mine, theirs made of repeated lines; sometimes both sides share their first edits. */
const repeatedScenario = fc
  .record({ base: fc.array(repeatedLine, { maxLength: 40 }), mine: lineEdits, theirs: lineEdits, shared: lineEdits })
  .map(({ base, mine, theirs, shared }) => {
    const common = edited(base, shared);
    return { base: base.join(''), mine: edited(common, mine).join(''), theirs: edited(common, theirs).join('') };
  });

describe('differential test against git merge-file --diff3', () => {
  it('writes what git writes on documents of repeated lines (blank lines, braces, Markdown rules)', () => {
    let conflicted = 0;
    let clean = 0;
    fc.assert(
      fc.property(repeatedScenario, ({ base, mine, theirs }) => {
        const git = gitMergeFile(base, mine, theirs);
        const result = merge3(base, mine, theirs, { wordLevel: false });
        expect(toText(result)).toBe(git.text);
        expect(result.clean).toBe(git.conflicts === 0);
        if (result.clean) clean++;
        else conflicted++;
      }),
      // About one case in seven merges clean.
      runs(400, 200),
    );
    expect(clean).toBeGreaterThan(10);
    expect(conflicted).toBeGreaterThan(10);
  });

  it('writes what git writes on large documents of repeated lines, where its diff cuts the search short', () => {
    // Thousands of edits over a few dozen distinct lines: the diff cost passes the point where
    // git settles for a good-enough split, so this compares those heuristics too.
    for (const seed of [1, 2, 3]) {
      const next = seededRandom(seed);
      const pick = () => REPEATED[Math.floor(next() * REPEATED.length)] as string;
      const base = Array.from({ length: 3000 }, pick);
      const side = () => {
        const lines = [...base];
        for (let k = 0; k < 600; k++) {
          const at = Math.floor(next() * lines.length);
          const op = next();
          if (op < 0.4) lines.splice(at, 0, pick());
          else if (op < 0.7) lines.splice(at, 1);
          else lines[at] = pick();
        }
        return lines.join('');
      };
      const mine = side();
      const theirs = side();
      const git = gitMergeFile(base.join(''), mine, theirs);
      const result = merge3(base.join(''), mine, theirs, { wordLevel: false });
      expect(toText(result)).toBe(git.text);
      // git's exit status counts conflicts up to 127.
      expect(Math.min(result.hunks.filter((h) => h.kind === 'conflict').length, 127)).toBe(git.conflicts);
    }
  });

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
      // About two cases in three merge clean.
      runs(400, 100),
    );
    // Both verdicts must have been exercised for the comparison to mean anything.
    expect(clean).toBeGreaterThan(10);
    expect(conflicted).toBeGreaterThan(10);
  });
});
