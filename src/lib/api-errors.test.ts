import { describe, expect, it } from 'vitest';
import {
  DuplicateTitleError,
  EditConflictError,
  GoneError,
  NetworkError,
  NotFoundError,
  PreconditionRequiredError,
  ProblemError,
  ServerError,
  errorFromResponse,
  isTransient,
} from './api-errors.ts';

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
const problem = (slug: string, status: number) => ({ type: `/problems/${slug}`, title: slug, status, detail: '' });

describe('errorFromResponse', () => {
  it('turns a 409 edit-conflict into an EditConflictError carrying the body', () => {
    const error = errorFromResponse(409, 'Conflict', conflictBody);
    expect(error).toBeInstanceOf(EditConflictError);
    expect(error.problem).toEqual(conflictBody);
  });

  it('treats a 412 edit-conflict the same as a 409', () => {
    expect(errorFromResponse(412, 'Precondition Failed', { ...conflictBody, status: 412 })).toBeInstanceOf(EditConflictError);
  });

  it('gives every problem the UI treats differently a class of its own', () => {
    const duplicate = errorFromResponse(409, 'Conflict', { ...problem('duplicate-title', 409), existing: { id: 'd_2', title: 'T' } });
    expect(duplicate).toBeInstanceOf(DuplicateTitleError);
    expect(duplicate).not.toBeInstanceOf(EditConflictError);
    expect(errorFromResponse(410, 'Gone', problem('gone', 410))).toBeInstanceOf(GoneError);
    expect(errorFromResponse(404, 'Not Found', problem('not-found', 404))).toBeInstanceOf(NotFoundError);
    expect(errorFromResponse(428, 'Precondition Required', problem('precondition-required', 428))).toBeInstanceOf(PreconditionRequiredError);
    expect(errorFromResponse(500, 'Internal Server Error', problem('internal-error', 500))).toBeInstanceOf(ServerError);
  });

  it('keeps a 409 without a conflict body, and any other 4xx, a plain ProblemError', () => {
    for (const error of [errorFromResponse(409, 'Conflict', problem('bad-request', 409)), errorFromResponse(422, 'Unprocessable', problem('validation-failed', 422))]) {
      expect(error.constructor).toBe(ProblemError);
    }
  });

  it('describes a non-problem body as a problem with the status', () => {
    const error = errorFromResponse(502, 'Bad Gateway', null);
    expect(error).toBeInstanceOf(ServerError);
    expect(error.problem).toMatchObject({ type: 'about:blank', title: 'Bad Gateway', status: 502 });
    expect(errorFromResponse(410, '', 'not json').problem).toMatchObject({ title: 'HTTP 410', status: 410 });
  });
});

describe('isTransient', () => {
  it('retries what may heal: no answer, or a 5xx', () => {
    expect(isTransient(new NetworkError(new TypeError('Failed to fetch')))).toBe(true);
    expect(isTransient(errorFromResponse(503, 'Service Unavailable', null))).toBe(true);
    expect(isTransient(errorFromResponse(500, 'Internal Server Error', null))).toBe(true);
  });

  it('never retries a 4xx, a conflict least of all', () => {
    expect(isTransient(errorFromResponse(409, 'Conflict', conflictBody))).toBe(false);
    expect(isTransient(errorFromResponse(412, 'Precondition Failed', { ...conflictBody, status: 412 }))).toBe(false);
    expect(isTransient(errorFromResponse(404, 'Not Found', null))).toBe(false);
    expect(isTransient(errorFromResponse(410, 'Gone', null))).toBe(false);
    expect(isTransient(errorFromResponse(428, 'Precondition Required', null))).toBe(false);
    expect(isTransient(errorFromResponse(499, 'Client Closed Request', null))).toBe(false);
    expect(isTransient(new Error('bug'))).toBe(false);
  });
});
