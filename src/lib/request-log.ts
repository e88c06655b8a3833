/**
 * What this tab asked the API and what it answered, newest last, for the protocol inspector.
 * A plain external store (read with useSyncExternalStore), filled by the one API client, so every
 * request is logged exactly once and nothing patches `fetch`.
 *
 * A tab may stay open for hours with the bot saving every second, so the log is bounded in what it
 * holds, not only in rows: a body is kept up to `REQUEST_BODY_KEPT` characters, the whole log to
 * about `REQUEST_LOG_BYTES`, and a read answered again and again (the document refetched after
 * each of someone else's saves) is one row that counts its repeats, not a row per read pushing
 * the exchanges worth reading out of the log.
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
  /** The request body as sent (JSON text), or null; its first `REQUEST_BODY_KEPT` characters. */
  requestBody: string | null;
  /** The response body as received, only kept for errors (the problem document); capped alike. */
  responseBody: string | null;
  /** Characters of the bodies beyond what was kept (0 when kept whole). */
  requestBodyCut: number;
  responseBodyCut: number;
  /** Earlier reads of the same path, each answered alike, that this row stands for (0: none). */
  repeats: number;
  /** Why there was no answer (network error, abort). */
  failure: string | null;
  /** What the answer means beyond its status (a lost update, a server merge, a lock), or null. */
  mark: RequestMark | null;
}

export type RequestMark = 'lost-update' | 'server-merge' | 'locked' | 'state';

/** Enough to follow a demo; old entries fall off so a long session does not grow memory. */
export const REQUEST_LOG_CAPACITY = 200;
/** What the log may hold in all, roughly (strings count two bytes a character): old entries fall off first. */
export const REQUEST_LOG_BYTES = 512 * 1024;
/** A body longer than this is kept in part: a 10,000-line document saved ten times is not ten copies. */
export const REQUEST_BODY_KEPT = 8 * 1024;

type Outcome = Partial<Pick<LoggedRequest, 'status' | 'etag' | 'responseHeaders' | 'responseBody' | 'failure' | 'mark'>>;
export type RequestStart = Omit<
  LoggedRequest,
  'seq' | 'status' | 'etag' | 'durationMs' | 'responseHeaders' | 'responseBody' | 'failure' | 'mark' | 'requestBodyCut' | 'responseBodyCut' | 'repeats'
>;

type Listener = () => void;

export class RequestLog {
  private entries: readonly LoggedRequest[] = [];
  private readonly listeners = new Set<Listener>();
  private nextSeq = 1;
  private readonly capacity: number;
  private readonly bytes: number;
  /** What `entries` hold, roughly (see sizeOf): kept up to date as entries come and go, not summed again. */
  private held = 0;
  /** Each entry's size, measured once: an entry is never changed, only replaced by a new one. */
  private readonly sizes = new WeakMap<LoggedRequest, number>();

  constructor(capacity = REQUEST_LOG_CAPACITY, bytes = REQUEST_LOG_BYTES) {
    this.capacity = capacity;
    this.bytes = bytes;
  }

  /** Records a request as it starts; returns its sequence number for `finish`. */
  start(entry: RequestStart): number {
    const seq = this.nextSeq++;
    const [requestBody, requestBodyCut] = kept(entry.requestBody);
    const logged: LoggedRequest = {
      ...entry,
      requestBody,
      requestBodyCut,
      seq,
      status: null,
      etag: null,
      durationMs: null,
      responseHeaders: [],
      responseBody: null,
      responseBodyCut: 0,
      failure: null,
      mark: null,
      repeats: 0,
    };
    this.replace([...this.entries, logged], [logged], []);
    return seq;
  }

  /**
   * Completes an entry; an entry already pushed out by newer ones is simply gone. A read answered
   * like the one just before it (same user, same path, a success with nothing to mark) takes that
   * one's place and counts it.
   */
  finish(seq: number, outcome: Outcome): void {
    const index = this.entries.findIndex((e) => e.seq === seq);
    const entry = this.entries[index];
    if (!entry) return;
    const [responseBody, responseBodyCut] = kept(outcome.responseBody ?? null);
    const finished: LoggedRequest = {
      ...entry,
      ...outcome,
      responseBody,
      responseBodyCut,
      durationMs: Math.round(performance.now() - entry.startedAt),
    };
    const previous = this.entries[index - 1];
    if (previous && sameRead(previous, finished)) {
      const merged = { ...finished, repeats: previous.repeats + 1 };
      this.replace([...this.entries.slice(0, index - 1), merged, ...this.entries.slice(index + 1)], [merged], [previous, entry]);
    } else {
      this.replace(
        this.entries.map((e, i) => (i === index ? finished : e)),
        [finished],
        [entry],
      );
    }
  }

  clear(): void {
    this.entries = [];
    this.held = 0;
    this.emit();
  }

  /** A new array after every change, the same array otherwise (what useSyncExternalStore needs). */
  snapshot = (): readonly LoggedRequest[] => this.entries;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * The new entries (`next`: the kept ones with `added` in, `removed` out), the oldest dropped
   * while there are too many or they hold too much; then tells subscribers. Only the entries that
   * changed are measured: a long session's requests each cost the same, however full the log.
   */
  private replace(next: readonly LoggedRequest[], added: readonly LoggedRequest[], removed: readonly LoggedRequest[]): void {
    let held = this.held;
    for (const entry of added) held += this.sizeOf(entry);
    for (const entry of removed) held -= this.sizeOf(entry);
    let from = 0;
    // The newest entry stays, whatever its size.
    while (from < next.length - 1 && (next.length - from > this.capacity || held > this.bytes)) {
      const oldest = next[from];
      held -= oldest ? this.sizeOf(oldest) : 0;
      from += 1;
    }
    this.held = held;
    this.entries = from > 0 ? next.slice(from) : next;
    this.emit();
  }

  private sizeOf(entry: LoggedRequest): number {
    let size = this.sizes.get(entry);
    if (size === undefined) {
      size = sizeOf(entry);
      this.sizes.set(entry, size);
    }
    return size;
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/** A body as kept, and how many characters of it were not. */
function kept(body: string | null): [string | null, number] {
  if (body === null || body.length <= REQUEST_BODY_KEPT) return [body, 0];
  return [body.slice(0, REQUEST_BODY_KEPT), body.length - REQUEST_BODY_KEPT];
}

const isSuccess = (status: number | null) => status !== null && ((status >= 200 && status < 300) || status === 304);

/** Two finished reads of one path by one user, both answered with a success that says nothing more. */
function sameRead(a: LoggedRequest, b: LoggedRequest): boolean {
  return (
    a.method === 'GET' &&
    b.method === 'GET' &&
    a.path === b.path &&
    a.user === b.user &&
    isSuccess(a.status) &&
    isSuccess(b.status) &&
    a.mark === null &&
    b.mark === null
  );
}

/** Roughly what an entry holds, in bytes: its strings at two bytes a character, and a little per object. */
export function sizeOf(entry: LoggedRequest): number {
  let chars = entry.method.length + entry.path.length + entry.user.length;
  chars += (entry.ifMatch?.length ?? 0) + (entry.idempotencyKey?.length ?? 0) + (entry.etag?.length ?? 0) + (entry.failure?.length ?? 0);
  chars += (entry.requestBody?.length ?? 0) + (entry.responseBody?.length ?? 0);
  for (const [name, value] of entry.requestHeaders) chars += name.length + value.length;
  for (const [name, value] of entry.responseHeaders) chars += name.length + value.length;
  const headers = entry.requestHeaders.length + entry.responseHeaders.length;
  return 2 * chars + 64 * headers + 256;
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
