// This test reads a file: Node types, unlike the module it tests.
/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { merge3, toText, type Hunk } from './index.ts';

// Cases from other merge tools' test suites, vendored with their sources and licences
// (testdata/README.md). Read without a fallback: a missing file fails the run, never shrinks it.
const corpusUrl = new URL('./testdata/merge-cases.json', import.meta.url);

interface ExpectedConflict {
  mine: string;
  base: string | null;
  theirs: string;
}

interface CorpusCase {
  id: number;
  name: string;
  source: string;
  license: string;
  granularity: string;
  base: string;
  mine: string;
  theirs: string;
  expect_clean: boolean;
  expected?: string;
  expected_conflicts?: ExpectedConflict[];
  expected_with_markers?: string;
  expected_conflict_count?: number;
  marker_style?: string;
  algorithm_dependent?: boolean;
  reprocess?: boolean;
}

const cases = JSON.parse(readFileSync(corpusUrl, 'utf8')) as CorpusCase[];

const conflictsOf = (hunks: Hunk[]) => hunks.filter((hunk) => hunk.kind === 'conflict');

/** The text the hunks rebuild, conflicts left out: what the contract says hunks concatenate to. */
const concatenated = (hunks: Hunk[]) => hunks.map((hunk) => (hunk.kind === 'conflict' ? '' : hunk.text)).join('');

const MARKER = /^(<{7}|\|{7}|={7}|>{7})(?: .*)?(\r\n|\n|\r|)$/;
const LABELS: Record<string, string> = { '<': '<<<<<<< mine', '|': '||||||| base', '=': '=======', '>': '>>>>>>> theirs' };

/**
 * Writes a marker text with this module's labels, whatever the source named its files. A
 * closing marker without a line ending (node-diff3 leaves it open at the end of a file) gets
 * one, as git and `toText` write it (docs/protocol.md, "The merge module").
 */
function withOurLabels(text: string, ending: string): string {
  const lines = text.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];
  return lines
    .map((line) => {
      const marker = MARKER.exec(line);
      if (!marker) return line;
      const kind = (marker[1] as string)[0] as string;
      return `${LABELS[kind]}${marker[2] || ending}`;
    })
    .join('');
}

/** breezy's custom markers (`<< a`, `--`, `>> b`) as git's. */
function fromBreezyMarkers(text: string): string {
  return text.replace(/^<< .*$/gm, '<<<<<<< mine').replace(/^--$/gm, '=======').replace(/^>> .*$/gm, '>>>>>>> theirs');
}

/** diff3-style output without its base sections: git's plain "merge" style. */
function withoutBase(text: string): string {
  return text.replace(/\|{7} base(\r\n|\n|\r)[\s\S]*?(?=={7}(\r\n|\n|\r))/g, '');
}

const lineCases = cases.filter((c) => c.granularity === 'line' || c.granularity === 'token-as-line');
const wordCases = cases.filter((c) => c.granularity.startsWith('word'));

describe('outside merge corpus: the vendored cases', () => {
  it('are all there: 48 line and token-as-line cases, 2 word cases', () => {
    expect(lineCases).toHaveLength(48);
    expect(wordCases).toHaveLength(2);
    expect(cases).toHaveLength(50);
  });

  it('each name their source and its licence', () => {
    for (const c of cases) {
      expect(c.source, `#${c.id}`).not.toBe('');
      expect(c.license, `#${c.id}`).not.toBe('');
    }
  });
});

describe('outside merge corpus: line cases with wordLevel false', () => {
  for (const c of lineCases) {
    const title = `#${c.id} ${c.name}`;
    if (c.algorithm_dependent && c.id !== 10) continue;
    it(title, () => {
      const result = merge3(c.base, c.mine, c.theirs, { wordLevel: false });
      expect(result.clean).toBe(c.expect_clean);
      if (c.expect_clean) {
        expect(toText(result)).toBe(c.expected);
        expect(concatenated(result.hunks)).toBe(c.expected);
        return;
      }
      const conflicts = conflictsOf(result.hunks);
      expect(conflicts.length).toBeGreaterThan(0);

      if (c.reprocess) {
        // breezy's reprocess splits a conflict where both sides share lines; plain diff3 (and
        // git --diff3) keeps the larger conflict, which must still hold every expected side.
        const markers = c.expected_with_markers ?? '';
        for (const line of markers.split('\n')) {
          if (line && !MARKER.test(line)) expect(toText(result)).toContain(line);
        }
        return;
      }

      if (c.expected_conflicts) {
        expect(conflicts).toHaveLength(c.expected_conflicts.length);
        c.expected_conflicts.forEach((expected, i) => {
          const actual = conflicts[i] as Extract<Hunk, { kind: 'conflict' }>;
          if (c.marker_style === 'zdiff3') {
            // zdiff3 moves lines both sides share out of the conflict; diff3 keeps them inside.
            expect(actual.mine).toContain(expected.mine);
            expect(actual.theirs).toContain(expected.theirs);
            if (expected.base !== null) expect(actual.base).toContain(expected.base);
          } else {
            expect(actual.mine).toBe(expected.mine);
            expect(actual.theirs).toBe(expected.theirs);
            if (expected.base !== null) expect(actual.base).toBe(expected.base);
          }
        });
      }

      if (c.expected_conflict_count !== undefined && c.marker_style === 'diff3') {
        expect(conflicts).toHaveLength(c.expected_conflict_count);
      }
      if (c.expected_conflict_count !== undefined && c.marker_style === undefined) {
        // Counted in git's default (zealous) mode, which coalesces nearby conflicts; --diff3
        // style keeps them apart, so at least that many are reported.
        expect(conflicts.length).toBeGreaterThanOrEqual(c.expected_conflict_count);
      }

      if (c.expected_with_markers !== undefined && c.marker_style !== 'zdiff3') {
        const ours = toText(result);
        const ending = /\r\n/.test(c.base) ? '\r\n' : /\r/.test(c.base) ? '\r' : '\n';
        if (c.marker_style === 'diff3') {
          expect(ours).toBe(withOurLabels(c.expected_with_markers, ending));
        } else if (c.marker_style === 'merge') {
          expect(withoutBase(ours)).toBe(withOurLabels(c.expected_with_markers, ending));
        } else if (c.marker_style?.startsWith('custom')) {
          expect(withoutBase(ours)).toBe(fromBreezyMarkers(c.expected_with_markers));
        } else {
          throw new Error(`unknown marker style ${c.marker_style}`);
        }
      }
    });
  }
});

describe('outside merge corpus: word cases with the default word level', () => {
  for (const c of wordCases) {
    it(`#${c.id} ${c.name}`, () => {
      const result = merge3(c.base, c.mine, c.theirs);
      expect(result.clean).toBe(c.expect_clean);
      if (c.expect_clean) expect(toText(result)).toBe(c.expected);
      else {
        const [conflict] = conflictsOf(result.hunks);
        const [expected] = c.expected_conflicts ?? [];
        expect(conflict).toBeDefined();
        expect(expected).toBeDefined();
        expect(conflict).toMatchObject({ mine: expected?.mine, theirs: expected?.theirs });
      }
    });
  }
});

/**
 * Cases whose verdict depends on how a two-way diff breaks ties. This module aligns as Myers
 * does, like git by default, and these tests pin what that gives instead of the source's
 * expectation.
 */
describe('outside merge corpus: algorithm-dependent cases', () => {
  const byId = (id: number) => cases.find((c) => c.id === id) as CorpusCase;

  it('#11 (clean only with git --diff-algorithm=histogram) gives the conflicts of its myers twin #10', () => {
    const histogram = byId(11);
    const myers = byId(10);
    expect([histogram.base, histogram.mine, histogram.theirs]).toEqual([myers.base, myers.mine, myers.theirs]);
    const result = merge3(histogram.base, histogram.mine, histogram.theirs, { wordLevel: false });
    expect(result.clean).toBe(false);
    expect(toText(result)).toBe(withOurLabels(myers.expected_with_markers ?? '', '\n'));
  });

  it('#50 (GNU diff3 tie-breaking) is a conflict here too, aligned on 4 5 as git 2.39 does', () => {
    const c = byId(50);
    const result = merge3(c.base, c.mine, c.theirs, { wordLevel: false });
    expect(result.clean).toBe(c.expect_clean);
    // Where GNU diff3 keeps 2 in place, git keeps 4 5 and conflicts over where 2 and 3 went.
    expect(result.hunks.map((h) => h.kind)).toEqual(['stable', 'conflict', 'stable', 'conflict', 'stable']);
    expect(conflictsOf(result.hunks)).toEqual([
      { kind: 'conflict', base: '2\n3\n', mine: '', theirs: '2\n' },
      { kind: 'conflict', base: '', mine: '2\n3\n', theirs: '3\n' },
    ]);
  });
});
