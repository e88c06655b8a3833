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
  current: { id: 'd_1', title: 'T', content: '', version: 2, updatedAt: '2026-11-23T10:00:00.000Z', updatedBy: 'Bob', state: 'draft' },
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

  it('refuses a 409 or 412 edit-conflict without what the dialog is built from, saying so in plain words', () => {
    const { currentEtag: _, ...noEtag } = conflictBody;
    for (const [status, statusText] of [
      [409, 'Conflict'],
      [412, 'Precondition Failed'],
    ] as const) {
      const error = errorFromResponse(status, statusText, { ...noEtag, status });
      expect(error).not.toBeInstanceOf(EditConflictError);
      expect(error.constructor).toBe(ProblemError);
      expect(error.status).toBe(status);
      expect(error.problem).toEqual({
        type: 'about:blank',
        title: statusText,
        status,
        detail:
          "Bob saved version 2 after the version 1 you edited. The server's conflict answer is incomplete, so the versions cannot be compared here. " +
          'Nothing was changed on the server and your text is kept; reload the document and try again.',
      });
      expect(error.problem).not.toHaveProperty('currentEtag');
    }
    // A detail without a full stop gets one; none at all leaves only the explanation. The title is
    // the status's own phrase, which an HTTP/2 answer does not carry.
    expect(errorFromResponse(409, '', { ...noEtag, detail: 'Bob saved first' }).problem).toMatchObject({ title: 'Conflict', detail: expect.stringMatching(/^Bob saved first\. The server's/) });
    expect(errorFromResponse(409, 'Conflict', { ...noEtag, detail: '' }).problem.detail).toMatch(/^The server's conflict answer is incomplete/);
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
