import { describe, expect, it } from 'vitest';
import { isDuplicateTitle, isEditConflict, isProblem, isResourceLocked, isResourceState, isValidationProblem, problemType } from './problems.ts';
import type { Problem } from './problems.ts';

describe('isProblem', () => {
  it('accepts an object with a string type and title and a numeric status', () => {
    expect(isProblem({ type: '/problems/gone', title: 'Gone', status: 410 })).toBe(true);
    expect(isProblem({ type: 'about:blank', title: 'Bad gateway', status: 502, detail: '', extra: [1] })).toBe(true);
  });

  it.each<[unknown, string]>([
    [null, 'null'],
    [undefined, 'undefined'],
    ['{"type":"x","title":"y","status":1}', 'JSON text, not parsed'],
    [42, 'a number'],
    [{ title: 'Gone', status: 410 }, 'no type'],
    [{ type: 7, title: 'Gone', status: 410 }, 'a numeric type'],
    [{ type: '/problems/gone', status: 410 }, 'no title'],
    [{ type: '/problems/gone', title: null, status: 410 }, 'a null title'],
    [{ type: '/problems/gone', title: 'Gone' }, 'no status'],
    [{ type: '/problems/gone', title: 'Gone', status: '410' }, 'a string status'],
  ])('refuses %j (%s)', (value) => {
    expect(isProblem(value)).toBe(false);
  });
});

const doc = (version: number, updatedBy: string) => ({
  id: 'd_1',
  title: 'Notes',
  content: `by ${updatedBy}\n`,
  version,
  updatedAt: '2026-11-30T10:00:00.000Z',
  updatedBy,
  state: 'draft',
});

/** An edit-conflict as the server sends it: Bob saved version 2 after the version 1 Alice edited. */
const conflict = (): Problem => ({
  type: problemType('edit-conflict'),
  title: 'Edit conflict',
  status: 409,
  detail: 'Bob saved version 2 after the version 1 you edited.',
  yourEtag: '"e1"',
  current: doc(2, 'Bob'),
  currentEtag: '"e2"',
  base: doc(1, 'Alice'),
  changesSince: [{ version: 2, updatedBy: 'Bob', updatedAt: '2026-11-30T10:00:00.000Z' }],
});

describe('isEditConflict', () => {
  it('accepts a conflict with all the dialog is built from, the base known or not', () => {
    expect(isEditConflict(conflict())).toBe(true);
    expect(isEditConflict({ ...conflict(), base: null, changesSince: [] })).toBe(true);
  });

  it('refuses a problem of another type that carries all the fields of a conflict', () => {
    expect(isEditConflict({ ...conflict(), type: problemType('duplicate-title') })).toBe(false);
    expect(isEditConflict({ ...conflict(), type: 'about:blank' })).toBe(false);
  });

  it.each<[string, (body: Problem) => Problem]>([
    ['no currentEtag', ({ currentEtag: _, ...rest }) => rest as Problem],
    ['a currentEtag that is not text', (body) => ({ ...body, currentEtag: 2 })],
    ['an empty currentEtag', (body) => ({ ...body, currentEtag: '' })],
    ['no current version', ({ current: _, ...rest }) => rest as Problem],
    ['a current version that is not an object', (body) => ({ ...body, current: 'v2' })],
    ['a current version without content', (body) => ({ ...body, current: { ...doc(2, 'Bob'), content: undefined } })],
    ['a current version without a number', (body) => ({ ...body, current: { ...doc(2, 'Bob'), version: '2' } })],
    ['a current version without an id', (body) => ({ ...body, current: { ...doc(2, 'Bob'), id: null } })],
    ['a current version without a title', (body) => ({ ...body, current: { ...doc(2, 'Bob'), title: 7 } })],
    ['a current version without a date', (body) => ({ ...body, current: { ...doc(2, 'Bob'), updatedAt: 0 } })],
    ['a current version without an author', (body) => ({ ...body, current: { ...doc(2, 'Bob'), updatedBy: null } })],
    ['a current version in no known state', (body) => ({ ...body, current: { ...doc(2, 'Bob'), state: 'lost' } })],
    ['no base (not even null)', ({ base: _, ...rest }) => rest as Problem],
    ['a base that is not a document', (body) => ({ ...body, base: { version: 1 } })],
    ['no list of the saves since', ({ changesSince: _, ...rest }) => rest as Problem],
    ['saves since that are not a list', (body) => ({ ...body, changesSince: { version: 2 } })],
    ['a save since without its author', (body) => ({ ...body, changesSince: [{ version: 2, updatedAt: '2026-11-30T10:00:00.000Z' }] })],
    ['a save since without a version', (body) => ({ ...body, changesSince: [{ updatedBy: 'Bob', updatedAt: '2026-11-30T10:00:00.000Z' }] })],
    ['a save since without a date', (body) => ({ ...body, changesSince: [{ version: 2, updatedBy: 'Bob' }] })],
    ['a save since that is not an object', (body) => ({ ...body, changesSince: [null] })],
    ['no yourEtag', ({ yourEtag: _, ...rest }) => rest as Problem],
  ])('refuses an edit-conflict with %s', (_what, damage) => {
    expect(isEditConflict(damage(conflict()))).toBe(false);
  });
});

describe('problem type guards', () => {
  const problem = (slug: Parameters<typeof problemType>[0]): Problem =>
    slug === 'edit-conflict' ? conflict() : { type: problemType(slug), title: slug, status: 409, detail: '' };

  it('names each type by its slug', () => {
    expect(problemType('edit-conflict')).toBe('/problems/edit-conflict');
  });

  it('tells each typed problem from the others', () => {
    const guards = {
      'edit-conflict': isEditConflict,
      'duplicate-title': isDuplicateTitle,
      'validation-failed': isValidationProblem,
      'resource-locked': isResourceLocked,
      'resource-state': isResourceState,
    } as const;
    for (const [slug, guard] of Object.entries(guards)) {
      expect(guard(problem(slug as keyof typeof guards)), slug).toBe(true);
      for (const other of ['edit-conflict', 'duplicate-title', 'validation-failed', 'resource-locked', 'resource-state', 'not-found'] as const) {
        if (other !== slug) expect(guard(problem(other)), `${slug} guard on ${other}`).toBe(false);
      }
    }
  });
});
