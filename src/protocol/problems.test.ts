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

describe('problem type guards', () => {
  const problem = (slug: Parameters<typeof problemType>[0]): Problem => ({ type: problemType(slug), title: slug, status: 409, detail: '' });

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
