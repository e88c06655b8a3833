/**
 * What this tab asked the API and what it answered, newest last, for the protocol inspector.
 * A plain external store (read with useSyncExternalStore), filled by the one API client, so every
 * request is logged exactly once and nothing patches `fetch`.
 */

export interface LoggedRequest {
  /** Unique within this tab, in the order requests started. */
  seq: number;
  method: string;
  path: string;
  /** The If-Match this request sent, or null. */
  ifMatch: string | null;
  /** The Idempotency-Key this request sent (a save attempt; its retries send the same), or null. */
  idempotencyKey: string | null;
  /** The acting user (`X-User`) this request named. */
  user: string;
  startedAt: number;
  /** null while in flight; 0 when no HTTP answer came (network error). */
  status: number | null;
  /** The ETag of the answer, or null. */
  etag: string | null;
  durationMs: number | null;
  requestHeaders: Array<[string, string]>;
  responseHeaders: Array<[string, string]>;
  /** The request body as sent (JSON text), or null. */
  requestBody: string | null;
  /** The response body as received, only kept for errors (the problem document). */
  responseBody: string | null;
  /** Why there was no answer (network error, abort). */
  failure: string | null;
  /** What the answer means beyond its status (a lost update, a server merge, a lock), or null. */
  mark: RequestMark | null;
}

export type RequestMark = 'lost-update' | 'server-merge' | 'locked' | 'state';

/** Enough to follow a demo; old entries fall off so a long session does not grow memory. */
export const REQUEST_LOG_CAPACITY = 200;

type Listener = () => void;

export class RequestLog {
  private entries: readonly LoggedRequest[] = [];
  private readonly listeners = new Set<Listener>();
  private nextSeq = 1;
  private readonly capacity: number;

  constructor(capacity = REQUEST_LOG_CAPACITY) {
    this.capacity = capacity;
  }

  /** Records a request as it starts; returns its sequence number for `finish`. */
  start(entry: Omit<LoggedRequest, 'seq' | 'status' | 'etag' | 'durationMs' | 'responseHeaders' | 'responseBody' | 'failure' | 'mark'>): number {
    const seq = this.nextSeq++;
    const logged: LoggedRequest = {
      ...entry,
      seq,
      status: null,
      etag: null,
      durationMs: null,
      responseHeaders: [],
      responseBody: null,
      failure: null,
      mark: null,
    };
    const next = [...this.entries, logged];
    // Stryker disable next-line EqualityOperator: at exactly the capacity, slice(0) keeps the same entries
    this.entries = next.length > this.capacity ? next.slice(next.length - this.capacity) : next;
    this.emit();
    return seq;
  }

  /** Completes an entry; an entry already pushed out by newer ones is simply gone. */
  finish(seq: number, outcome: Partial<Pick<LoggedRequest, 'status' | 'etag' | 'responseHeaders' | 'responseBody' | 'failure' | 'mark'>>): void {
    const index = this.entries.findIndex((e) => e.seq === seq);
    const entry = this.entries[index];
    if (!entry) return;
    const finished: LoggedRequest = { ...entry, ...outcome, durationMs: Math.round(performance.now() - entry.startedAt) };
    this.entries = this.entries.map((e, i) => (i === index ? finished : e));
    this.emit();
  }

  clear(): void {
    this.entries = [];
    this.emit();
  }

  /** A new array after every change, the same array otherwise (what useSyncExternalStore needs). */
  snapshot = (): readonly LoggedRequest[] => this.entries;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The tab's one log, written by api-client.ts. */
export const requestLog = new RequestLog();

/**
 * What an answer's body says beyond its status (docs/protocol.md §1.11, §1.12): a save that replaced
 * versions unseen (`overwrote`), one the server merged (`mergedFrom`), a lock or state refusal.
 */
export function markOf(status: number, body: unknown): RequestMark | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  if (status < 300) {
    if (Array.isArray(record.overwrote) && record.overwrote.length > 0) return 'lost-update';
    if (Array.isArray(record.mergedFrom)) return 'server-merge';
    return null;
  }
  if (record.type === '/problems/resource-locked') return 'locked';
  if (record.type === '/problems/resource-state') return 'state';
  return null;
}

/** A failed precondition: the answers the inspector makes stand out. */
export function isConflictStatus(status: number | null): boolean {
  return status === 409 || status === 412;
}
