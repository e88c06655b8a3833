/**
 * Problems in plain words. The server's `detail` is already written for people; this adds what
 * the user can do about it, and covers errors that never reached the server.
 */
import { isValidationProblem, problemType } from '../protocol/problems.ts';
import type { Problem } from '../protocol/problems.ts';
import { NetworkError, ProblemError } from './api-errors.ts';

export function describeProblem(problem: Problem): string {
  const detail = problem.detail ? ` ${ensureStop(problem.detail)}` : '';
  switch (problem.type) {
    case problemType('precondition-required'):
      return 'The server only accepts a save that says which version it replaces, and this one did not. Your text is kept; try saving again.';
    case problemType('gone'):
      return 'This document has been deleted. Your text is kept here; you can save it as a new document.';
    case problemType('not-found'):
      return 'There is no such document.' + detail;
    case problemType('duplicate-title'):
      return 'Another document already has this title. Choose a different one.';
    case problemType('payload-too-large'):
      return 'The document is too large for the server to accept. Your text is kept.';
    case problemType('validation-failed'):
      if (isValidationProblem(problem) && problem.errors.length > 0) {
        return problem.errors.map((e) => `${capitalise(e.field)}: ${e.message}`).join(' ');
      }
      return 'The server did not accept these values.' + detail;
    case problemType('edit-conflict'):
      return 'Someone else saved this document after you started editing.' + detail;
    default:
      if (problem.status >= 500) return 'The server had a problem and did not save. Your text is kept; try again in a moment.';
      return `${ensureStop(problem.title)}${detail}`;
  }
}

/** Any error thrown by the API client, in plain words. */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return 'The server cannot be reached. Your text is kept on this device.';
  if (error instanceof ProblemError) return describeProblem(error.problem);
  return 'Something went wrong. Your text is kept on this device.';
}

/** A problem for errors that have none (network), so the UI has one shape to show. */
export function toProblem(error: unknown): Problem {
  if (error instanceof ProblemError) return error.problem;
  return { type: 'about:blank', title: 'Not saved', status: 0, detail: describeError(error) };
}

function ensureStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
