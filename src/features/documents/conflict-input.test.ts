import { describe, expect, it } from 'vitest';
import type { EditConflictProblem } from '../../protocol/problems.ts';
import type { Document } from '../../protocol/types.ts';
import { conflictAfterResolution, conflictFromLatest, conflictFromProblem, suggestTitle } from './conflict-input.ts';

const doc = (version: number, content: string, updatedBy = 'Bob'): Document => ({
  id: 'd_1',
  title: 'Notes',
  content,
  version,
  updatedAt: `2026-11-23T10:0${version}:00.000Z`,
  updatedBy,
  state: 'draft',
});

const problem = (current: Document, base: Document | null): EditConflictProblem => ({
  type: '/problems/edit-conflict',
  title: 'Edit conflict',
  status: 409,
  detail: `${current.updatedBy} saved version ${current.version}.`,
  yourEtag: '"a.1"',
  current,
  currentEtag: `"a.${current.version}"`,
  base,
  changesSince: [{ version: current.version, updatedBy: current.updatedBy, updatedAt: current.updatedAt }],
});

describe('conflictFromProblem', () => {
  const draftBase = { title: 'Notes', content: 'draft base\n', version: 1 };
  const mine = { title: 'Notes', content: 'mine\n' };

  it('takes the base from the 409 body when the server still knows it', () => {
    const input = conflictFromProblem(problem(doc(2, 'theirs\n'), doc(1, 'server base\n')), draftBase, mine);
    expect(input.base).toEqual({ title: 'Notes', content: 'server base\n', version: 1 });
    expect(input.mine).toEqual(mine);
    expect(input.theirs.content).toBe('theirs\n');
    expect(input.currentEtag).toBe('"a.2"');
    expect(input.arrivedDuringResolution).toBe(0);
  });

  it("falls back to the draft's own base when the body's base is null", () => {
    const input = conflictFromProblem(problem(doc(5, 'theirs\n'), null), draftBase, mine);
    expect(input.base).toEqual(draftBase);
  });
});

describe('conflictAfterResolution', () => {
  it('merges again against the newest version, from the one just merged against, with the result as mine', () => {
    const first = conflictFromProblem(problem(doc(2, 'theirs\n'), doc(1, 'base\n')), { title: 'Notes', content: 'base\n', version: 1 }, { title: 'Notes', content: 'mine\n' });
    const next = conflictAfterResolution(first, { title: 'Notes', content: 'merged\n' }, problem(doc(3, 'carol\n', 'Carol'), doc(2, 'theirs\n')));
    expect(next.base).toEqual({ title: 'Notes', content: 'theirs\n', version: 2 });
    expect(next.mine).toEqual({ title: 'Notes', content: 'merged\n' });
    expect(next.theirs).toMatchObject({ version: 3, updatedBy: 'Carol' });
    expect(next.currentEtag).toBe('"a.3"');
    expect(next.arrivedDuringResolution).toBe(1);
  });
});

describe('suggestTitle', () => {
  it.each([
    ['Notes', 'Notes (2)'],
    ['Notes (2)', 'Notes (3)'],
    ['  Notes  ', 'Notes (2)'],
    ['Plan (v2)', 'Plan (v2) (2)'],
  ])('%s → %s', (title, expected) => {
    expect(suggestTitle(title)).toBe(expected);
  });
});

describe('conflictFromLatest', () => {
  const draftBase = { title: 'Notes', content: 'base\n', version: 6 };
  const mine = { title: 'Notes', content: 'mine\n' };

  it('takes the draft as mine, its base as base, and the fetched version and tag as theirs', () => {
    const latest = { doc: doc(8, 'theirs\n'), etag: '"e.8"' };
    const input = conflictFromLatest(draftBase, mine, latest, null);
    expect(input.base).toEqual(draftBase);
    expect(input.mine).toEqual(mine);
    expect(input.theirs).toBe(latest.doc);
    expect(input.currentEtag).toBe('"e.8"');
    expect(input.arrivedDuringResolution).toBe(0);
    expect(input.changesSince).toEqual([{ version: 8, updatedBy: 'Bob', updatedAt: latest.doc.updatedAt }]);
  });

  it('lists each save after the base from the revisions, oldest first', () => {
    const latest = { doc: doc(8, 'theirs\n'), etag: '"e.8"' };
    const revisions = [5, 6, 7, 8].map((version) => ({
      version,
      updatedBy: version === 7 ? 'Carol' : 'Bob',
      updatedAt: `t${version}`,
      etag: `"e.${version}"`,
      basedOn: null,
      lost: false,
      overwrote: [],
    }));
    expect(conflictFromLatest(draftBase, mine, latest, revisions).changesSince.map((c) => [c.version, c.updatedBy])).toEqual([
      [7, 'Carol'],
      [8, 'Bob'],
    ]);
  });

  it('adds the fetched version when the revision list is older than it', () => {
    const latest = { doc: doc(9, 'theirs\n'), etag: '"e.9"' };
    const revisions = [{ version: 7, updatedBy: 'Carol', updatedAt: 't7', etag: '"e.7"', basedOn: null, lost: false, overwrote: [] }];
    expect(conflictFromLatest(draftBase, mine, latest, revisions).changesSince.map((c) => c.version)).toEqual([7, 9]);
  });

  it('compares a draft on no known base against nothing, an empty base of no version, naming no save as one since it', () => {
    const latest = { doc: doc(8, 'theirs\n'), etag: '"e.8"' };
    const revisions = [7, 8].map((version) => ({ version, updatedBy: 'Bob', updatedAt: `t${version}`, etag: `"e.${version}"`, basedOn: null, lost: false, overwrote: [] }));
    expect(conflictFromLatest(null, mine, latest, revisions)).toEqual({
      docId: 'd_1',
      base: { title: '', content: '', version: null },
      mine,
      theirs: latest.doc,
      currentEtag: '"e.8"',
      changesSince: [],
      arrivedDuringResolution: 0,
    });
  });
});
