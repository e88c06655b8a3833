/**
 * Typed errors of the API client. `fetch` itself resolves on 4xx/5xx; the client turns every
 * non-2xx answer into one of these, so callers branch on the class (what the UI does about it)
 * and never on a status code.
 */
import { isDuplicateTitle, isEditConflict, isProblem, problemType } from '../protocol/problems.ts';
import type { DuplicateTitleProblem, EditConflictProblem, Problem } from '../protocol/problems.ts';

/** The server answered with an RFC 9457 problem (or a non-2xx we describe as one). */
export class ProblemError extends Error {
  readonly problem: Problem;
  /** For the request log and the inspector; callers branch on the class instead. */
  readonly status: number;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ProblemError';
    this.problem = problem;
    this.status = problem.status;
  }
}

/** A failed If-Match: 409 `edit-conflict` (or 412 when the server is set so). Opens the three-way dialog. */
export class EditConflictError extends ProblemError {
  declare readonly problem: EditConflictProblem;

  constructor(problem: EditConflictProblem) {
    super(problem);
    this.name = 'EditConflictError';
  }
}

/** 409 `duplicate-title`: another live document has this title; the body names it. */
export class DuplicateTitleError extends ProblemError {
  declare readonly problem: DuplicateTitleProblem;

  constructor(problem: DuplicateTitleProblem) {
    super(problem);
    this.name = 'DuplicateTitleError';
  }
}

/** 410: the document was deleted. Its text can live on as a new document. */
export class GoneError extends ProblemError {
  constructor(problem: Problem) {
    super(problem);
    this.name = 'GoneError';
  }
}

/** 404: there is no such document (or route). */
export class NotFoundError extends ProblemError {
  constructor(problem: Problem) {
    super(problem);
    this.name = 'NotFoundError';
  }
}

/** 428: a write without If-Match. A bug of the client, never of the user. */
export class PreconditionRequiredError extends ProblemError {
  constructor(problem: Problem) {
    super(problem);
    this.name = 'PreconditionRequiredError';
  }
}

/** 5xx: the server failed; the same request may succeed later. */
export class ServerError extends ProblemError {
  constructor(problem: Problem) {
    super(problem);
    this.name = 'ServerError';
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
  if ((status === 409 || status === 412) && problem.type === problemType('edit-conflict')) {
    return isEditConflict(problem) ? new EditConflictError(problem) : new ProblemError(incompleteConflict(status, problem));
  }
  if (status === 409 && isDuplicateTitle(problem)) return new DuplicateTitleError(problem);
  if (status === 410) return new GoneError(problem);
  if (status === 404) return new NotFoundError(problem);
  if (status === 428) return new PreconditionRequiredError(problem);
  if (status >= 500) return new ServerError(problem);
  return new ProblemError(problem);
}

/**
 * A conflict answer that lacks what the dialog is built from (the version on the server now, its
 * ETag, the base, the saves since): no dialog can open on it, and no Discard may put an ETag it
 * does not have into the cache. Described as a problem of its status alone (titled with the status's
 * own phrase, which HTTP/2 does not send), keeping what the server said and saying in plain words
 * what is wrong.
 */
function incompleteConflict(status: 409 | 412, problem: Problem): Problem {
  const detail = typeof problem.detail === 'string' ? problem.detail.trim() : '';
  const said = detail === '' ? '' : /[.!?]$/.test(detail) ? `${detail} ` : `${detail}. `;
  return {
    type: 'about:blank',
    title: status === 409 ? 'Conflict' : 'Precondition Failed',
    status,
    detail:
      `${said}The server's conflict answer is incomplete, so the versions cannot be compared here. ` +
      'Nothing was changed on the server and your text is kept; reload the document and try again.',
  };
}

/** What can succeed if tried again: no answer at all, or a server-side failure. Never a 4xx. */
export function isTransient(error: unknown): error is NetworkError | ServerError {
  return error instanceof NetworkError || error instanceof ServerError;
}
