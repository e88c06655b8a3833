import { describe, expect, it } from 'vitest';
import { ConflictError, NetworkError, ProblemError, errorFromResponse, isTransient } from './api-errors.ts';
import { describeError } from './problem-text.ts';

const conflictBody = {
  type: '/problems/edit-conflict',
  title: 'Edit conflict',
  status: 409,
  detail: 'Bob saved version 2 after the version 1 you edited.',
  yourEtag: '"x.1"',
  current: { id: 'd_1', title: 'T', content: '', version: 2, updatedAt: '2026-11-23T10:00:00.000Z', updatedBy: 'Bob' },
  currentEtag: '"x.2"',
  base: null,
  changesSince: [],
};

describe('errorFromResponse', () => {
  it('turns a 409 edit-conflict into a ConflictError carrying the body', () => {
    const error = errorFromResponse(409, 'Conflict', conflictBody);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.problem).toEqual(conflictBody);
  });

  it('treats a 412 edit-conflict the same as a 409', () => {
    expect(errorFromResponse(412, 'Precondition Failed', { ...conflictBody, status: 412 })).toBeInstanceOf(ConflictError);
  });

  it('keeps a duplicate-title 409 a plain ProblemError', () => {
    const error = errorFromResponse(409, 'Conflict', { type: '/problems/duplicate-title', title: 'Duplicate title', status: 409, detail: '', existing: { id: 'd_2', title: 'T' } });
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).not.toBeInstanceOf(ConflictError);
  });

  it('describes a non-problem body as a problem with the status', () => {
    const error = errorFromResponse(502, 'Bad Gateway', null);
    expect(error.problem).toMatchObject({ type: 'about:blank', title: 'Bad Gateway', status: 502 });
  });
});

describe('isTransient', () => {
  it('retries what may heal: no answer, or a 5xx', () => {
    expect(isTransient(new NetworkError(new TypeError('Failed to fetch')))).toBe(true);
    expect(isTransient(errorFromResponse(503, 'Service Unavailable', null))).toBe(true);
  });

  it('never retries a 4xx, a conflict least of all', () => {
    expect(isTransient(errorFromResponse(409, 'Conflict', conflictBody))).toBe(false);
    expect(isTransient(errorFromResponse(404, 'Not Found', null))).toBe(false);
    expect(isTransient(errorFromResponse(428, 'Precondition Required', null))).toBe(false);
    expect(isTransient(new Error('bug'))).toBe(false);
  });
});

describe('describeError', () => {
  it('explains a 428 and a network failure in plain words', () => {
    const missing = errorFromResponse(428, 'Precondition Required', { type: '/problems/precondition-required', title: 'Precondition required', status: 428, detail: 'PUT needs If-Match.' });
    expect(describeError(missing)).toMatch(/which version it replaces/);
    expect(describeError(new NetworkError(null))).toMatch(/cannot be reached.*kept/);
  });
});
