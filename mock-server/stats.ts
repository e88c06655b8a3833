/**
 * What the conflicts say (docs/protocol.md §1.10): every conflict-relevant event and every outcome
 * a person chose, counted per document, per person, per concurrency mode and per minute.
 *
 * It lives in the server's memory and starts again with the server: a statistic for a class or a
 * demo, not a record anyone relies on. Its memory is bounded whatever the traffic: at most
 * `maxKeys` documents, people and modes are tracked (past it, the least recently active tenth
 * makes way, still counted in the totals and in `others`), minute buckets older than an hour are dropped, and the
 * samples behind the median, the open conflicts and the outcome keys are capped rings.
 *
 * Keys are names people chose (document ids, `X-User`), so they live in Maps, never as property
 * names of plain objects: `__proto__` is a person like any other.
 */
import {
  STATS_LIST_LIMIT,
  STATS_WINDOWS,
  TIMELINE_MINUTES,
  conflictOutcomes,
  emptyCounts,
  type ConflictCounts,
  type ConflictEventKind,
  type ConflictOutcome,
  type ResolutionTimes,
  type StatsSnapshot,
} from '../src/protocol/stats.ts';

/** One event for `recordConflictEvent`: what happened, on which document, to whom, in which mode. */
export interface ConflictEvent {
  kind: ConflictEventKind;
  docId: string;
  /** The acting user (`X-User`) whose request met the event. */
  user: string;
  /** The concurrency mode the server answered in, e.g. `etag`. */
  mode: string;
  /** The document's title at the time, when known (the panel shows it). */
  title?: string | null;
}

/** An outcome the person chose; `key` (the save's Idempotency-Key) keeps a retried save from counting twice. */
export interface OutcomeEvent {
  outcome: ConflictOutcome;
  docId: string;
  user: string;
  mode: string;
  key?: string | null;
}

export interface ConflictStatsOptions {
  /** Milliseconds since the epoch; tests pass their own clock. */
  now?: () => number;
  /** Documents, people and modes tracked each (default 500). */
  maxKeys?: number;
  /** Called after every recorded event (the app coalesces it into `event: stats` frames). */
  onChange?: () => void;
}

const MINUTE_MS = 60_000;
/** Resolution times kept for the median. */
const SAMPLE_SIZE = 200;
/** Open conflicts (a 409 not yet resolved) remembered, and outcome keys remembered. */
const MAX_PENDING = 2_000;
const MAX_OUTCOME_KEYS = 2_000;

/** The outcomes that end a conflict; `cancel` closes the dialog with the conflict still open. */
const ENDING_OUTCOMES: ReadonlySet<ConflictOutcome> = new Set(['merge', 'overwrite', 'discard']);

interface Tracked {
  counts: ConflictCounts;
  /** Minute index (ms / 60,000) → counts in that minute, for the last TIMELINE_MINUTES minutes. */
  minutes: Map<number, ConflictCounts>;
  title: string | null;
}

type Change = { kind: ConflictEventKind } | { outcome: ConflictOutcome };

function add(counts: ConflictCounts, change: Change): void {
  if ('outcome' in change) {
    counts.outcomes[change.outcome] += 1;
    return;
  }
  switch (change.kind) {
    case 'conflict':
      counts.conflicts += 1;
      break;
    case 'lock-refused':
      counts.lockRefusals += 1;
      break;
    case 'server-merge':
      counts.serverMerges += 1;
      break;
    case 'lost-update':
      counts.lostUpdates += 1;
      break;
  }
}

function sum(into: ConflictCounts, counts: ConflictCounts): void {
  into.conflicts += counts.conflicts;
  into.lockRefusals += counts.lockRefusals;
  into.serverMerges += counts.serverMerges;
  into.lostUpdates += counts.lostUpdates;
  for (const outcome of conflictOutcomes) into.outcomes[outcome] += counts.outcomes[outcome];
}

function copy(counts: ConflictCounts): ConflictCounts {
  const result = emptyCounts();
  sum(result, counts);
  return result;
}

/** Events that met a refusal or a merge: what the lists are ordered by. */
export function eventCount(counts: ConflictCounts): number {
  return counts.conflicts + counts.lockRefusals + counts.serverMerges + counts.lostUpdates;
}

function outcomeCount(counts: ConflictCounts): number {
  return conflictOutcomes.reduce((total, outcome) => total + counts.outcomes[outcome], 0);
}

/**
 * Drops the oldest entries (first in insertion order) once `keys` holds more than `max`, down to
 * 90 % of it: one pass per many insertions, since walking a Map from its start after many
 * deletions costs as many steps as there were deletions since it last rehashed.
 */
function trimOldest(keys: Map<string, unknown> | Set<string>, max: number): number {
  if (keys.size <= max) return 0;
  const target = Math.floor(max * 0.9);
  let dropped = 0;
  for (const key of keys.keys()) {
    if (keys.size <= target) break;
    keys.delete(key);
    dropped += 1;
  }
  return dropped;
}

/** A bounded Map, least recently touched first: new keys past the bound push the oldest out. */
class TrackedKeys {
  readonly entries = new Map<string, Tracked>();
  evicted = 0;
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  touch(key: string): Tracked {
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
    } else {
      entry = { counts: emptyCounts(), minutes: new Map(), title: null };
    }
    this.entries.set(key, entry);
    this.evicted += trimOldest(this.entries, this.max);
    return entry;
  }
}

/** A ring of the latest resolution times, with the count and maximum over all of them. */
class Durations {
  private readonly samples: number[] = [];
  private count = 0;
  private max: number | null = null;

  add(ms: number): void {
    this.count += 1;
    this.max = this.max === null ? ms : Math.max(this.max, ms);
    this.samples.push(ms);
    if (this.samples.length > SAMPLE_SIZE) this.samples.shift();
  }

  summary(): ResolutionTimes {
    return { count: this.count, medianMs: median(this.samples), maxMs: this.max };
  }
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  if (sorted.length % 2 === 1) return upper;
  return Math.round(((sorted[middle - 1] ?? upper) + upper) / 2);
}

export class ConflictStats {
  private readonly now: () => number;
  private readonly onChange: (() => void) | undefined;
  private readonly since: number;
  private readonly totals = emptyCounts();
  private readonly minutes = new Map<number, ConflictCounts>();
  private readonly docs: TrackedKeys;
  private readonly users: TrackedKeys;
  private readonly modes: TrackedKeys;
  /** `[docId, user]` as JSON → when that person's first unresolved conflict on the document happened. */
  private readonly pending = new Map<string, number>();
  private readonly outcomeKeys = new Set<string>();
  private readonly durations = new Durations();
  private readonly durationsByOutcome = new Map<ConflictOutcome, Durations>(conflictOutcomes.map((o) => [o, new Durations()]));

  constructor(options: ConflictStatsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.onChange = options.onChange;
    const maxKeys = options.maxKeys ?? 500;
    this.docs = new TrackedKeys(maxKeys);
    this.users = new TrackedKeys(maxKeys);
    this.modes = new TrackedKeys(maxKeys);
    this.since = this.now();
  }

  /**
   * Records one conflict-relevant event. Edit conflicts (409/412) are recorded by the server as it
   * answers them; a concurrency mode calls this for its lock refusals, server merges and lost
   * updates.
   */
  recordConflictEvent(event: ConflictEvent): void {
    const at = this.now();
    this.count({ kind: event.kind }, event, at, event.title ?? null);
    if (event.kind === 'conflict' || event.kind === 'lock-refused') {
      const key = pendingKey(event.docId, event.user);
      // The first refusal starts the clock; a further one while resolving does not restart it.
      if (!this.pending.has(key)) {
        this.pending.set(key, at);
        trimOldest(this.pending, MAX_PENDING);
      }
    }
    this.onChange?.();
  }

  /**
   * Records the outcome a person chose. Returns false, counting nothing, for an outcome whose key
   * was counted already (a retried save). Merge, overwrite and discard end the person's open
   * conflict on the document, and the time since its first refusal is kept.
   */
  recordOutcome(event: OutcomeEvent): boolean {
    if (event.key) {
      if (this.outcomeKeys.has(event.key)) return false;
      this.outcomeKeys.add(event.key);
      trimOldest(this.outcomeKeys, MAX_OUTCOME_KEYS);
    }
    const at = this.now();
    this.count({ outcome: event.outcome }, event, at, null);
    if (ENDING_OUTCOMES.has(event.outcome)) {
      const key = pendingKey(event.docId, event.user);
      const started = this.pending.get(key);
      if (started !== undefined) {
        this.pending.delete(key);
        const ms = Math.max(0, at - started);
        this.durations.add(ms);
        this.durationsByOutcome.get(event.outcome)?.add(ms);
      }
    }
    this.onChange?.();
    return true;
  }

  /** The counts since the server started (`windowMinutes` null), or over the last 1–60 minutes. */
  snapshot(windowMinutes: number | null = null): StatsSnapshot {
    const now = this.now();
    const minute = Math.floor(now / MINUTE_MS);
    const over = (tracked: { counts: ConflictCounts; minutes: Map<number, ConflictCounts> }, minutes: number | null) =>
      minutes === null ? copy(tracked.counts) : windowCounts(tracked.minutes, minute, minutes);
    const whole = { counts: this.totals, minutes: this.minutes };

    const rows = (keys: TrackedKeys) => {
      const all = [...keys.entries].map(([key, tracked]) => ({ key, tracked, counts: over(tracked, windowMinutes) }));
      const active = all.filter(({ counts }) => eventCount(counts) + outcomeCount(counts) > 0);
      active.sort((a, b) => eventCount(b.counts) - eventCount(a.counts) || outcomeCount(b.counts) - outcomeCount(a.counts) || compare(a.key, b.key));
      return { shown: active.slice(0, STATS_LIST_LIMIT), beyond: active.length - Math.min(active.length, STATS_LIST_LIMIT) + keys.evicted };
    };
    const docs = rows(this.docs);
    const users = rows(this.users);
    const modes = rows(this.modes);

    const byOutcome = Object.fromEntries(
      conflictOutcomes.map((outcome) => [outcome, this.durationsByOutcome.get(outcome)?.summary() ?? { count: 0, medianMs: null, maxMs: null }]),
    ) as Record<ConflictOutcome, ResolutionTimes>;

    const timeline = [];
    for (let m = minute - TIMELINE_MINUTES + 1; m <= minute; m += 1) {
      const counts = this.minutes.get(m);
      timeline.push({ start: new Date(m * MINUTE_MS).toISOString(), counts: counts ? copy(counts) : emptyCounts() });
    }

    return {
      since: new Date(this.since).toISOString(),
      at: new Date(now).toISOString(),
      windowMinutes,
      totals: over(whole, windowMinutes),
      windows: STATS_WINDOWS.map((minutes) => ({ minutes, counts: over(whole, minutes) })),
      byDocument: docs.shown.map(({ key, tracked, counts }) => ({ id: key, title: tracked.title, counts })),
      byUser: users.shown.map(({ key, counts }) => ({ user: key, counts })),
      byMode: modes.shown.map(({ key, counts }) => ({ mode: key, counts })),
      others: { documents: docs.beyond, users: users.beyond, modes: modes.beyond },
      resolution: { ...this.durations.summary(), byOutcome },
      timeline,
    };
  }

  private count(change: Change, where: { docId: string; user: string; mode: string }, at: number, title: string | null): void {
    const minute = Math.floor(at / MINUTE_MS);
    add(this.totals, change);
    addToMinute(this.minutes, minute, change);
    const doc = this.docs.touch(where.docId);
    if (title !== null) doc.title = title;
    for (const tracked of [doc, this.users.touch(where.user), this.modes.touch(where.mode)]) {
      add(tracked.counts, change);
      addToMinute(tracked.minutes, minute, change);
    }
  }
}

function pendingKey(docId: string, user: string): string {
  return JSON.stringify([docId, user]);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Adds to this minute's bucket and drops buckets older than the timeline. */
function addToMinute(minutes: Map<number, ConflictCounts>, minute: number, change: Change): void {
  let bucket = minutes.get(minute);
  if (!bucket) {
    bucket = emptyCounts();
    minutes.set(minute, bucket);
    for (const old of minutes.keys()) if (old <= minute - TIMELINE_MINUTES) minutes.delete(old);
  }
  add(bucket, change);
}

/** The counts of the current minute and the `minutes - 1` before it. */
function windowCounts(minutes: Map<number, ConflictCounts>, current: number, window: number): ConflictCounts {
  const result = emptyCounts();
  for (const [minute, counts] of minutes) if (minute > current - window && minute <= current) sum(result, counts);
  return result;
}

/**
 * Calls `send` at most once per `ms`: the first call starts the wait, the calls during it are
 * folded into the one that follows. So a burst of conflicts makes one `event: stats` frame.
 */
export function coalesce(send: () => void, ms: number): { schedule(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    schedule() {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        send();
      }, ms);
      // A pending frame must not keep an otherwise finished process alive.
      timer.unref?.();
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
