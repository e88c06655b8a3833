import { describe, expect, it } from 'vitest';
import type { Problem } from '../protocol/problems.ts';
import { NetworkError, errorFromResponse } from './api-errors.ts';
import { describeError, describeProblem, describeResolutionProblem, problemSlug, toProblem } from './problem-text.ts';

const problem = (type: string, status: number, detail = '', title = 'Title'): Problem => ({ type, title, status, detail });

describe('problemSlug', () => {
  it('reads our own problem types and nothing else', () => {
    expect(problemSlug(problem('/problems/gone', 410))).toBe('gone');
    expect(problemSlug(problem('/problems/edit-conflict', 409))).toBe('edit-conflict');
    expect(problemSlug(problem('about:blank', 502))).toBeNull();
    expect(problemSlug(problem('/problems/no-such-slug', 400))).toBeNull();
    expect(problemSlug(problem('https://example.com/problems/gone', 410))).toBeNull();
  });
});

describe('describeProblem (the editor)', () => {
  it('says what the user can do about each problem', () => {
    expect(describeProblem(problem('/problems/precondition-required', 428))).toMatch(/which version it replaces/);
    expect(describeProblem(problem('/problems/gone', 410))).toMatch(/save it as a new document/);
    expect(describeProblem(problem('/problems/not-found', 404, 'No document d_9'))).toBe('There is no such document. No document d_9.');
    expect(describeProblem(problem('/problems/duplicate-title', 409))).toMatch(/already has this title/);
    expect(describeProblem(problem('/problems/payload-too-large', 413))).toMatch(/too large/);
    expect(describeProblem(problem('/problems/edit-conflict', 409, 'Bob saved version 2'))).toBe(
      'Someone else saved this document after you started editing. Bob saved version 2.',
    );
    expect(describeProblem(problem('/problems/resource-state', 409, 'It is archived'))).toBe(
      "The document's state does not allow this. It is archived. Your text is kept.",
    );
    expect(describeProblem(problem('/problems/resource-locked', 423, 'Bob holds it until 12:03'))).toBe(
      'Someone else holds the lock on this document. Bob holds it until 12:03. Your text is kept.',
    );
    expect(describeProblem(problem('/problems/precondition-failed', 412, 'd_1 exists'))).toBe(
      'A document with this id already exists, so it was not created again. d_1 exists.',
    );
  });

  it('lists each field a validation problem names', () => {
    const invalid = { ...problem('/problems/validation-failed', 422), errors: [{ field: 'title', message: 'must not be empty.' }] };
    expect(describeProblem(invalid)).toBe('Title: must not be empty.');
    // The server's own messages are sentences that name their field: no code name in front.
    const settings = {
      ...problem('/problems/validation-failed', 422),
      errors: [
        { field: 'latencyMs', message: 'The latency (ms) must be a whole number from 0 to 10,000.' },
        { field: 'jitterMs', message: 'The jitter (ms) must be a whole number from 0 to 10,000' },
      ],
    };
    expect(describeProblem(settings)).toBe(
      'The latency (ms) must be a whole number from 0 to 10,000. The jitter (ms) must be a whole number from 0 to 10,000.',
    );
    expect(describeProblem(problem('/problems/validation-failed', 422, 'Bad'))).toBe('The server did not accept these values. Bad.');
  });

  it('says a 5xx was not saved, and falls back to the title for anything else', () => {
    expect(describeProblem(problem('about:blank', 502))).toMatch(/did not save/);
    expect(describeProblem(problem('about:blank', 418, 'Short and stout', "I'm a teapot"))).toBe("I'm a teapot. Short and stout.");
  });
});

describe('describeResolutionProblem (the conflict dialog)', () => {
  it('explains the problems a resolution can meet in plain words', () => {
    expect(describeResolutionProblem(problem('/problems/gone', 410, 'Deleted.'))).toMatch(/deleted while you were resolving/);
    expect(describeResolutionProblem(problem('/problems/not-found', 404))).toMatch(/no longer exists/);
    expect(describeResolutionProblem(problem('/problems/precondition-required', 428))).toMatch(/Nothing was saved/);
    expect(describeResolutionProblem(problem('/problems/validation-failed', 422, 'Title is empty.'))).toBe(
      'The server did not accept the document: Title is empty. Nothing was saved.',
    );
    expect(describeResolutionProblem(problem('/problems/validation-failed', 422, 'Title is empty'))).toBe(
      'The server did not accept the document: Title is empty. Nothing was saved.',
    );
    expect(describeResolutionProblem(problem('/problems/internal-error', 500, '', 'Internal error'))).toBe(
      'The server failed to save (Internal error). Nothing was lost; try again.',
    );
    expect(describeResolutionProblem(problem('about:blank', 403, 'Not yours'))).toBe('The save did not go through: Not yours.');
  });
});

describe('describeError and toProblem', () => {
  it('explains a 428 and a network failure in plain words', () => {
    const missing = errorFromResponse(428, 'Precondition Required', problem('/problems/precondition-required', 428, 'PUT needs If-Match.'));
    expect(describeError(missing)).toMatch(/which version it replaces/);
    expect(describeError(new NetworkError(null))).toMatch(/cannot be reached.*kept/);
    expect(describeError(new Error('bug'))).toMatch(/Something went wrong/);
  });

  it('gives an error without a problem one, carrying the sentence', () => {
    const gone = problem('/problems/gone', 410);
    expect(toProblem(errorFromResponse(410, 'Gone', gone))).toBe(gone);
    expect(toProblem(new NetworkError(null))).toMatchObject({ type: 'about:blank', status: 0, detail: expect.stringMatching(/cannot be reached/) });
  });
});

describe('a deleted document, in words', () => {
  const gone = (extra: Record<string, unknown>): Problem => ({ ...problem('/problems/gone', 410, 'Deleted.'), ...extra });

  it('names the person who deleted it, or says the demo was reset', () => {
    expect(describeProblem(gone({ deletedBy: 'Zoë' }))).toBe('Zoë deleted this document. Your text is kept here; you can save it as a new document.');
    expect(describeProblem(gone({ deletedBy: 'Teacher', reason: 'reset' }))).toBe(
      'The demo was reset, which removed this document. Your text is kept here; you can save it as a new document.',
    );
    expect(describeProblem(gone({}))).toBe('This document was deleted. Your text is kept here; you can save it as a new document.');
    expect(describeResolutionProblem(gone({ deletedBy: 'Zoë' }))).toBe('Zoë deleted this document while you were resolving. Your text is still here.');
    expect(describeResolutionProblem(gone({ deletedBy: 'Teacher', reason: 'reset' }))).toBe(
      'The demo was reset while you were resolving, which removed this document. Your text is still here.',
    );
    // A blank name is nobody's.
    expect(describeResolutionProblem(gone({ deletedBy: '  ' }))).toBe('This document was deleted while you were resolving. Your text is still here.');
  });
});
