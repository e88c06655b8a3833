/**
 * What the conflicts say (docs/protocol.md §1.10): the server counts every conflict-relevant event
 * and the outcome each person chose, and serves the counts. Shared by the server and the app.
 *
 *   GET  /api/stats?window={minutes}            → 200 StatsSnapshot (window 1–60; omitted: since the server started)
 *   POST /api/stats/outcomes  OutcomeReport      → 204; 422 on bad fields
 *   PUT  /api/docs/{id} with `Conflict-Resolution: merge | overwrite` → the save, and its outcome counted
 *   GET  /api/events                             → `event: stats` frames carrying a StatsSnapshot (coalesced)
 */
import { API_BASE } from './paths.ts';

/** What the server records: an edit refused for a stale tag, a lock refusal, a merge the server made, a lost update it noticed. */
export const conflictEventKinds = ['conflict', 'lock-refused', 'server-merge', 'lost-update'] as const;
export type ConflictEventKind = (typeof conflictEventKinds)[number];

/** What a person chose in the conflict dialog. */
export const conflictOutcomes = ['merge', 'overwrite', 'discard', 'cancel'] as const;
export type ConflictOutcome = (typeof conflictOutcomes)[number];

/** The outcomes a save carries (`Conflict-Resolution` on the resolving PUT); the others are reported on their own. */
export const savedOutcomes = ['merge', 'overwrite'] as const satisfies readonly ConflictOutcome[];
export type SavedOutcome = (typeof savedOutcomes)[number];

/** Request header of the PUT that saves the dialog's choice. */
export const CONFLICT_RESOLUTION_HEADER = 'Conflict-Resolution';

/** Body of `POST /api/stats/outcomes`: a choice that saves nothing. */
export interface OutcomeReport {
  docId: string;
  outcome: Exclude<ConflictOutcome, SavedOutcome>;
}

export interface ConflictCounts {
  /** 409 / 412 `edit-conflict` answers. */
  conflicts: number;
  lockRefusals: number;
  serverMerges: number;
  lostUpdates: number;
  outcomes: Record<ConflictOutcome, number>;
}

/** Times from a person's first 409 on a document to the save (or discard) that ended it. */
export interface ResolutionTimes {
  count: number;
  /** Over the most recent resolutions the server keeps (the last 200); null when there are none. */
  medianMs: number | null;
  maxMs: number | null;
}

export interface DocumentStats {
  id: string;
  /** The title the document had at its latest recorded event, when known. */
  title: string | null;
  counts: ConflictCounts;
}

export interface UserStats {
  user: string;
  counts: ConflictCounts;
}

export interface ModeStats {
  /** The concurrency mode the server was in (`etag`: If-Match with ETags). */
  mode: string;
  counts: ConflictCounts;
}

export interface TimelineBucket {
  /** ISO 8601 start of the minute. */
  start: string;
  counts: ConflictCounts;
}

export interface StatsSnapshot {
  /** When the server began counting: the counts live in its memory and start again with it. */
  since: string;
  /** When this snapshot was made. */
  at: string;
  /** Minutes this snapshot counts over, or null for everything since `since`. */
  windowMinutes: number | null;
  totals: ConflictCounts;
  /** Totals over the last 1, 10 and 60 minutes, whatever `windowMinutes` is. */
  windows: { minutes: number; counts: ConflictCounts }[];
  /** Most conflicts first; at most STATS_LIST_LIMIT rows. */
  byDocument: DocumentStats[];
  byUser: UserStats[];
  byMode: ModeStats[];
  /** Rows beyond the lists, and keys the server stopped tracking to stay within its memory bound. */
  others: { documents: number; users: number; modes: number };
  resolution: ResolutionTimes & { byOutcome: Record<ConflictOutcome, ResolutionTimes> };
  /** One bucket per minute over the last 60 minutes, oldest first (minutes with nothing are included). */
  timeline: TimelineBucket[];
}

export const STATS_WINDOWS = [1, 10, 60] as const;
export const STATS_LIST_LIMIT = 50;
export const TIMELINE_MINUTES = 60;

export const statsPaths = {
  stats: (windowMinutes?: number) => `${API_BASE}/stats${windowMinutes === undefined ? '' : `?window=${windowMinutes}`}`,
  outcomes: () => `${API_BASE}/stats/outcomes`,
} as const;

export function emptyCounts(): ConflictCounts {
  return { conflicts: 0, lockRefusals: 0, serverMerges: 0, lostUpdates: 0, outcomes: { merge: 0, overwrite: 0, discard: 0, cancel: 0 } };
}
