/**
 * Concurrency modes, document states and locks on the wire (docs/protocol.md §1.11, §1.12), and the
 * pure rules behind them: HTTP dates (RFC 9110 §5.6.7) for `Last-Modified` and
 * `If-Unmodified-Since`, the transitions a state allows, and the lost-update detector. Shared by
 * the server, the app and the tests, so a rule lives in one place.
 */
import { API_BASE } from './paths.ts';

/**
 * How the server guards a write to a document that someone else may have changed:
 * - `none`: last write wins; preconditions are ignored, lost updates are detected afterwards.
 * - `timestamp`: `If-Unmodified-Since` against `Last-Modified` (one-second resolution).
 * - `etag`: strong `If-Match` (the default).
 * - `lock`: a lease held by one user; everyone else's writes are refused; `If-Match` as in `etag`.
 * - `server-merge`: a stale `If-Match` whose change merges cleanly is merged by the server.
 */
export const concurrencyModes = ['none', 'timestamp', 'etag', 'lock', 'server-merge'] as const;
export type ConcurrencyMode = (typeof concurrencyModes)[number];
export const DEFAULT_CONCURRENCY: ConcurrencyMode = 'etag';

export function isConcurrencyMode(value: unknown): value is ConcurrencyMode {
  return typeof value === 'string' && (concurrencyModes as readonly string[]).includes(value);
}

/** Body of `PUT /api/docs/{id}/concurrency`: a mode of its own, or null to follow the server's. */
export interface DocumentConcurrencyRequest {
  concurrency: ConcurrencyMode | null;
}

/** Answer of `GET`/`PUT /api/docs/{id}/concurrency`. */
export interface DocumentConcurrency {
  id: string;
  /** The mode that guards this document's writes now. */
  concurrency: ConcurrencyMode;
  /** The document's own mode, or null when it follows the server's. */
  own: ConcurrencyMode | null;
}

// ---------------------------------------------------------------------------------------------
// Document states

export const documentStates = ['draft', 'published', 'archived'] as const;
export type DocumentState = (typeof documentStates)[number];
export const INITIAL_STATE: DocumentState = 'draft';

/** draft → published → archived → draft. */
const TRANSITIONS: Record<DocumentState, readonly DocumentState[]> = {
  draft: ['published'],
  published: ['archived'],
  archived: ['draft'],
};

export function isDocumentState(value: unknown): value is DocumentState {
  return typeof value === 'string' && (documentStates as readonly string[]).includes(value);
}

export function allowedTransitions(state: DocumentState): DocumentState[] {
  return [...TRANSITIONS[state]];
}

/** Whether a document in `state` takes saves (an archived one does not). */
export function isEditable(state: DocumentState): boolean {
  return state !== 'archived';
}

/** Body of `POST /api/docs/{id}/transitions`. */
export interface TransitionRequest {
  to: DocumentState;
}

// ---------------------------------------------------------------------------------------------
// Locks

/** A lease on a document (pessimistic locking, docs/protocol.md §1.11). */
export interface Lease {
  docId: string;
  /** The `X-User` who holds it. */
  holder: string;
  /** Names this lease; changes when the lock is taken anew, not when it is renewed. */
  token: string;
  /** ISO 8601 instants. */
  since: string;
  expires: string;
  /** Someone asked the holder to hand the lock over, and the holder has not answered yet. */
  request?: TakeOverRequest;
}

/** A request to take over a lock without breaking it: the holder hands it over, or keeps editing. */
export interface TakeOverRequest {
  /** The `X-User` who asked. */
  by: string;
  /** ISO 8601 instant. */
  at: string;
}

/** Body of `POST /api/docs/{id}/lock/handover`: the holder passes the lease to the one who asked. */
export interface HandOverRequest {
  to: string;
}

/** Body of `POST /api/docs/{id}/lock` (optional as a whole). */
export interface LockRequest {
  /** Lease length, 5–600 seconds (60 unless told). */
  seconds?: number;
  /** Break another user's lease and take it (after the user confirmed). */
  force?: boolean;
}

export const DEFAULT_LEASE_SECONDS = 60;
export const MIN_LEASE_SECONDS = 5;
export const MAX_LEASE_SECONDS = 600;

/** Answer of `GET`/`POST /api/docs/{id}/lock`. */
export interface LockState {
  lock: Lease | null;
  /** Whether the document's mode is `lock`, so the lease refuses other users' writes. */
  enforced: boolean;
  /** The lease a forced take broke, if it broke one. */
  broke?: Lease;
}

/** The data of an `event: lock` on the event stream (never replayed, like presence). */
export interface LockEvent {
  /**
   * `requested`: someone asked the holder to take over (the lease's `request`); `declined`: the
   * holder kept editing (or the asker withdrew); `handed-over`: the holder passed the lease on.
   */
  type: 'locked' | 'renewed' | 'released' | 'broken' | 'expired' | 'requested' | 'declined' | 'handed-over';
  docId: string;
  /** The lease now (null after a release or an expiry). */
  lock: Lease | null;
  /** The lease that ended, for `released`, `broken`, `expired` and `handed-over`; the lease asked of, for `declined`. */
  previous: Lease | null;
  /** Who did it. */
  by: string;
}

// ---------------------------------------------------------------------------------------------
// Answers that say more than a document

/** A `PUT`/`PATCH` the server merged (`server-merge`): the document, plus the versions merged. */
export interface MergedSave {
  /** [the version the client edited, the version its change was merged into]. */
  mergedFrom: [number, number];
}

/** A save that replaced versions its writer never saw (`none`, `timestamp`). */
export interface LostUpdateReport {
  /** The versions whose changes this save dropped, oldest first. */
  overwrote: number[];
}

/**
 * The data of an `event: concurrency` on the event stream: a document's mode changed (`docId`), or
 * the server's (`docId` null, which every document without a mode of its own follows).
 */
export interface ConcurrencyEvent {
  docId: string | null;
  concurrency: ConcurrencyMode;
  /** The document's own mode, or null when it follows the server's (always null for the server's). */
  own: ConcurrencyMode | null;
}

export const concurrencyPaths = {
  lock: (id: string) => `${API_BASE}/docs/${encodeURIComponent(id)}/lock`,
  lockRequests: (id: string) => `${API_BASE}/docs/${encodeURIComponent(id)}/lock/requests`,
  lockHandover: (id: string) => `${API_BASE}/docs/${encodeURIComponent(id)}/lock/handover`,
  transitions: (id: string) => `${API_BASE}/docs/${encodeURIComponent(id)}/transitions`,
  concurrency: (id: string) => `${API_BASE}/docs/${encodeURIComponent(id)}/concurrency`,
} as const;

/** Informational request header: the entity tag a write started from, recorded, never a precondition. */
export const BASED_ON_HEADER = 'X-Based-On';
/** The media type of a JSON Merge Patch (RFC 7396), the one patch format `PATCH` takes. */
export const MERGE_PATCH_TYPE = 'application/merge-patch+json';

// ---------------------------------------------------------------------------------------------
// HTTP dates (RFC 9110 §5.6.7)

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = `(${MONTHS.join('|')})`;
/** `Sun, 06 Nov 1994 08:49:37 GMT` (IMF-fixdate, the one a sender generates). */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`);
/** `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete RFC 850 form, which a recipient must accept). */
const RFC850_DATE = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`);
/** `Sun Nov  6 08:49:37 1994` (obsolete asctime form). */
const ASCTIME_DATE = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})$`);

/** The IMF-fixdate of an instant; the milliseconds are dropped (HTTP dates have one-second resolution). */
export function formatHttpDate(instant: Date | string): string {
  return new Date(instant).toUTCString();
}

/** Seconds since the epoch of an instant, cut to the second, as an HTTP date carries it. */
export function httpSeconds(instant: Date | string): number {
  return Math.floor(new Date(instant).getTime() / 1000);
}

/**
 * The instant an HTTP date names, in whole seconds since the epoch, or null when the text is not
 * one of the three forms of RFC 9110 §5.6.7 or names no real day (a condition with an invalid date
 * is ignored, §13.1.4).
 */
export function parseHttpDate(text: string): number | null {
  const value = text.trim();
  let year: number;
  let month: string;
  let day: number;
  let clock: [string, string, string];
  let m = IMF_FIXDATE.exec(value);
  if (m) {
    // Stryker disable next-line StringLiteral: each group of a matching date is defined, so no default is used.
    [day, month, year, clock] = [Number(m[1]), m[2] ?? '', Number(m[3]), [m[4] ?? '', m[5] ?? '', m[6] ?? '']];
  } else if ((m = RFC850_DATE.exec(value))) {
    // A two-digit year more than 50 years in the future means the past century (§5.6.7).
    const yy = Number(m[3]);
    const thisYear = new Date().getUTCFullYear();
    year = 2000 + yy > thisYear + 50 ? 1900 + yy : 2000 + yy;
    // Stryker disable next-line StringLiteral: each group of a matching date is defined, so no default is used.
    [day, month, clock] = [Number(m[1]), m[2] ?? '', [m[4] ?? '', m[5] ?? '', m[6] ?? '']];
  } else if ((m = ASCTIME_DATE.exec(value))) {
    // Stryker disable next-line StringLiteral,MethodExpression: each group of a matching date is defined, so no default is used; Number() skips the space before a one-digit day.
    [month, day, clock, year] = [m[1] ?? '', Number((m[2] ?? '').trim()), [m[3] ?? '', m[4] ?? '', m[5] ?? ''], Number(m[6])];
  } else {
    return null;
  }
  const [hours, minutes, seconds] = clock.map(Number) as [number, number, number];
  const monthIndex = MONTHS.indexOf(month);
  if (hours > 23 || minutes > 59 || seconds > 60) return null;
  const ms = Date.UTC(year, monthIndex, day, hours, minutes, Math.min(seconds, 59));
  const date = new Date(ms);
  // Date.UTC rolls 31 Feb over into March: such a date names no real day.
  // Stryker disable next-line LogicalOperator: a day past its month's end (or day 0) moves both the day and the month, never one alone.
  if (date.getUTCDate() !== day || date.getUTCMonth() !== monthIndex) return null;
  return Math.floor(ms / 1000);
}

// ---------------------------------------------------------------------------------------------
// Lost updates

/** One version of a document as the lost-update detector needs it. */
export interface VersionLink {
  version: number;
  etag: string;
  /** The entity tag the writer said it started from; null when it named none. */
  basedOn: string | null;
}

/**
 * Each version's parent: the earlier version its `basedOn` names, or 0 when it names none this
 * document knows (the writer said nothing, or named a tag of another document).
 */
function parents(history: readonly VersionLink[]): Map<number, number> {
  const versionByTag = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const link of history) {
    const named = link.basedOn === null ? undefined : versionByTag.get(opaqueOf(link.basedOn));
    parent.set(link.version, named !== undefined && named < link.version ? named : 0);
    versionByTag.set(opaqueOf(link.etag), link.version);
  }
  return parent;
}

/** The tag without `W/` and quotes, so a weak tag naming a version still names it. */
function opaqueOf(tag: string): string {
  return tag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

function ancestry(parent: Map<number, number>, from: number): Set<number> {
  const seen = new Set<number>();
  // Stryker disable next-line LogicalOperator: parents are always earlier versions, so the line never meets a version twice and 0 is never a version.
  for (let v = from; v !== 0 && !seen.has(v); v = parent.get(v) ?? 0) seen.add(v);
  return seen;
}

/**
 * The versions whose changes the latest version no longer contains: each version contains its
 * own change and everything its parent contained, so a version outside the latest one's line of
 * parents was overwritten by someone who never saw it. Exact for changes that build on what the
 * writer saw (a counter incremented by read-modify-write ends short by exactly this many).
 */
export function lostVersions(history: readonly VersionLink[]): number[] {
  const last = history.at(-1);
  if (!last) return [];
  const kept = ancestry(parents(history), last.version);
  return history.filter((link) => !kept.has(link.version)).map((link) => link.version);
}

/** For a whole history at once: the versions lost, and what each save replaced unseen. */
export function annotateHistory(history: readonly VersionLink[]): { lost: Set<number>; overwrote: Map<number, number[]> } {
  const parent = parents(history);
  const last = history.at(-1);
  const kept = last ? ancestry(parent, last.version) : new Set<number>();
  const lost = new Set(history.filter((link) => !kept.has(link.version)).map((link) => link.version));
  const overwrote = new Map<number, number[]>();
  for (const { version } of history) {
    if (version > 1 && parent.get(version) !== version - 1) overwrote.set(version, dropped(parent, version));
  }
  return { lost, overwrote };
}

function dropped(parent: Map<number, number>, version: number): number[] {
  const kept = ancestry(parent, version);
  const gone: number[] = [];
  for (let v = version - 1; v !== 0 && !kept.has(v); v = parent.get(v) ?? 0) gone.push(v);
  return gone.reverse();
}

/**
 * The versions that the save making `version` replaced without seeing: those its predecessor
 * contained and it does not. Empty when the writer started from the version before it.
 */
export function overwrittenBy(history: readonly VersionLink[], version: number): number[] {
  if (version <= 1) return [];
  const parent = parents(history);
  // Stryker disable next-line ArithmeticOperator: dropped() also gives [] for a save from the version before; the check only spares the walk.
  return parent.get(version) === version - 1 ? [] : dropped(parent, version);
}

/** A parent that lies before the part of a history at hand, so it cannot be told from it. */
const BEFORE_RECENT = -1;

/**
 * overwrittenBy from the newest part of a history: `recent` is every version after some version
 * (oldest first, the whole history when `complete`). The walk goes down from the version before
 * `version` and from `version` itself, parent by parent, and stops where the two lines meet, so it
 * reads only the versions down to that meeting point. Null when it would need a version older than
 * `recent` (or the version a tag names may be one): then the answer needs more of the history.
 */
export function overwrittenByRecent(recent: readonly VersionLink[], version: number, complete: boolean): number[] | null {
  if (version <= 1) return [];
  const first = recent[0];
  if (!first && !complete) return null;
  const oldest = first?.version ?? 1;
  const versionByTag = new Map<string, number>();
  const parent = new Map<number, number>();
  for (const link of recent) {
    const named = link.basedOn === null ? undefined : versionByTag.get(opaqueOf(link.basedOn));
    // A tag not among the recent versions may name an older one.
    const unknown = link.basedOn !== null && named === undefined && !complete;
    parent.set(link.version, unknown ? BEFORE_RECENT : named !== undefined && named < link.version ? named : 0);
    versionByTag.set(opaqueOf(link.etag), link.version);
  }
  const parentOf = (v: number): number => parent.get(v) ?? (!complete && v < oldest ? BEFORE_RECENT : 0);
  const own = parentOf(version);
  if (own === BEFORE_RECENT) return null;
  if (own === version - 1) return [];
  // Both lines only go down: the version's own line is followed just as far as the other one.
  const gone: number[] = [];
  let kept = version;
  for (let v = version - 1; v !== 0; v = parentOf(v)) {
    if (v === BEFORE_RECENT) return null;
    while (kept > v) {
      kept = parentOf(kept);
      if (kept === BEFORE_RECENT) return null;
    }
    if (kept === v) break;
    gone.push(v);
  }
  return gone.reverse();
}
