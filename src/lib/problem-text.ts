/**
 * Problems in plain words: the one place the app turns a problem (or an error with none) into a
 * sentence. The server's `detail` is already written for people; these add what the user can do
 * about it. The editor and the conflict dialog say it differently (the dialog speaks of the
 * resolution being saved), so each has its own function, both reading the problem's slug here.
 */
import { isValidationProblem, problemSlugs } from '../protocol/problems.ts';
import type { Problem, ProblemSlug } from '../protocol/problems.ts';
import { NetworkError, ProblemError } from './api-errors.ts';

const PROBLEM_PREFIX = '/problems/';

/** The slug of one of our own problem types, or null for `about:blank` and anything unknown. */
export function problemSlug(problem: Problem): ProblemSlug | null {
  if (!problem.type.startsWith(PROBLEM_PREFIX)) return null;
  const slug = problem.type.slice(PROBLEM_PREFIX.length);
  return (problemSlugs as readonly string[]).includes(slug) ? (slug as ProblemSlug) : null;
}

/** A problem met by the editor (a save, a load, a create), with what to do about it. */
export function describeProblem(problem: Problem): string {
  const detail = problem.detail ? ` ${ensureStop(problem.detail)}` : '';
  switch (problemSlug(problem)) {
    case 'precondition-required':
      return 'The server only accepts a save that says which version it replaces, and this one did not. Your text is kept; try saving again.';
    case 'gone':
      return `${deletion(problem)} Your text is kept here; you can save it as a new document.`;
    case 'not-found':
      return 'There is no such document.' + detail;
    case 'duplicate-title':
      return 'Another document already has this title. Choose a different one.';
    case 'payload-too-large':
      return 'The document is too large for the server to accept. Your text is kept.';
    case 'validation-failed':
      // The type names the list, but a body from elsewhere may lack it.
      if (isValidationProblem(problem) && Array.isArray(problem.errors) && problem.errors.length > 0) {
        return problem.errors.map(fieldSentence).join(' ');
      }
      return 'The server did not accept these values.' + detail;
    case 'edit-conflict':
      return 'Someone else saved this document after you started editing.' + detail;
    case 'resource-state':
      return `The document's state does not allow this.${detail} Your text is kept.`;
    case 'resource-locked':
      return `Someone else holds the lock on this document.${detail} Your text is kept.`;
    case 'precondition-failed':
      return 'A document with this id already exists, so it was not created again.' + detail;
    default:
      if (problem.status >= 500) return 'The server had a problem and did not save. Your text is kept; try again in a moment.';
      return `${ensureStop(problem.title)}${detail}`;
  }
}

/** A problem met by the conflict dialog's save (Overwrite or Merge), while the dialog stays open. */
export function describeResolutionProblem(problem: Problem): string {
  switch (problemSlug(problem)) {
    case 'gone':
      return `${deletion(problem, ' while you were resolving')} Your text is still here.`;
    case 'not-found':
      return 'This document no longer exists on the server. Your text is still here.';
    case 'precondition-required':
      return 'The server needs to know which version you edited, and the save did not say. Nothing was saved; try again.';
    case 'validation-failed':
    case 'payload-too-large':
      return `The server did not accept the document: ${ensureStop(problem.detail || problem.title)} Nothing was saved.`;
    default: {
      const said = problem.detail || problem.title;
      return problem.status >= 500
        ? `The server failed to save (${said}). Nothing was lost; try again.`
        : `The save did not go through: ${ensureStop(said)}`;
    }
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

/**
 * Who deleted the document, from a 410 problem: the demo reset (`reason: "reset"`), the person the
 * server names (`deletedBy`), or nobody in particular.
 */
function deletion(problem: Problem, when = ''): string {
  if (problem.reason === 'reset') return `The demo was reset${when}, which removed this document.`;
  const by = problem.deletedBy;
  if (typeof by === 'string' && by.trim() !== '') return `${by} deleted this document${when}.`;
  return `This document was deleted${when}.`;
}

function ensureStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * A message that is a sentence of its own ("The latency (ms) must be …") names its field already;
 * the field's code name in front of it would read as code ("LatencyMs: …"). A fragment ("must not
 * be empty.") gets the field's name.
 */
function fieldSentence(error: { field: string; message: string }): string {
  if (/^\p{Lu}/u.test(error.message) || error.field === '') return ensureStop(error.message);
  return `${capitalise(error.field)}: ${error.message}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
