/**
 * What a race run records: every request each person sent in one mode's column, what it carried
 * and what the server answered. The runner fills it; the timeline and the verdict read it.
 */
import type { ConcurrencyMode } from '../../../protocol/concurrency.ts';

export type StepKind = 'create' | 'mode' | 'lock' | 'read' | 'save' | 'unlock' | 'final';

export interface RecordedProblem {
  type: string;
  title: string;
  detail: string;
  /** The lock holder a `resource-locked` answer names, if any. */
  holder: string | null;
}

export interface Exchange {
  /** Who sent it (`X-User`). */
  actor: string;
  step: StepKind;
  method: string;
  path: string;
  /** The condition headers it carried (and `X-Based-On`), in the order sent. */
  conditions: Array<[string, string]>;
  /** ms after the race started. */
  startedAt: number;
  endedAt: number;
  /** The HTTP status; 0 when no answer came. */
  status: number;
  /** The document version of the answer, when it carries a document. */
  version: number | null;
  etag: string | null;
  lastModified: string | null;
  /** Versions the save replaced unseen, as the server reported them (`overwrote`). */
  overwrote: number[];
  /** `[the version edited, the version merged into]` of a save the server merged. */
  mergedFrom: [number, number] | null;
  problem: RecordedProblem | null;
  /** Why no answer came (a network error), or null. */
  failure: string | null;
}

export interface ModeRun {
  mode: ConcurrencyMode;
  docId: string;
  title: string;
  exchanges: Exchange[];
  /** The document as it stands after the race, or null when it could not be read. */
  final: { content: string; version: number } | null;
  /** The versions the server's revision history marks lost (overwritten unseen). */
  lostVersions: number[];
  /** Why this mode's race could not be run to its end, in plain words, or null. */
  error: string | null;
}

/** The slug of a problem type (`/problems/edit-conflict` → `edit-conflict`). */
export function problemSlug(problem: RecordedProblem | null): string | null {
  if (!problem) return null;
  return problem.type.startsWith('/problems/') ? problem.type.slice('/problems/'.length) : problem.type;
}

export const isSuccess = (exchange: Exchange) => exchange.status >= 200 && exchange.status < 300;
