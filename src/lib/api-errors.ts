/**
 * Typed errors of the API client. `fetch` itself resolves on 4xx/5xx; the client turns every
 * non-2xx answer into one of these, so callers branch on the class instead of on status codes.
 */
import { isEditConflict, isProblem } from '../protocol/problems.ts';
import type { EditConflictProblem, Problem } from '../protocol/problems.ts';

/** The server answered with an RFC 9457 problem (or a non-2xx we describe as one). */
export class ProblemError extends Error {
  readonly problem: Problem;
  readonly status: number;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ProblemError';
    this.problem = problem;
    this.status = problem.status;
  }
}

/** A failed If-Match: 409 `edit-conflict` (or 412 when the server is set so). */
export class ConflictError extends ProblemError {
  declare readonly problem: EditConflictProblem;

  constructor(problem: EditConflictProblem) {
    super(problem);
    this.name = 'ConflictError';
  }
}

/** The request never got an HTTP answer: offline, server down, connection reset. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('The server could not be reached.', { cause });
    this.name = 'NetworkError';
  }
}

/** Builds the right error for a non-2xx answer whose body has already been read. */
export function errorFromResponse(status: number, statusText: string, body: unknown): ProblemError {
  const problem: Problem = isProblem(body)
    ? body
    : // A proxy or a crashed server may answer without a problem body; describe it as one anyway.
      { type: 'about:blank', title: statusText || `HTTP ${status}`, status, detail: '' };
  if ((status === 409 || status === 412) && isEditConflict(problem)) return new ConflictError(problem);
  return new ProblemError(problem);
}

/** What can succeed if tried again: no answer at all, or a server-side failure. Never a 4xx. */
export function isTransient(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  if (error instanceof ProblemError) return error.status >= 500;
  return false;
}
