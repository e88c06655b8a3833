/**
 * Server-sent events for `GET /api/events`: one event per create/update/delete, written to every
 * subscriber as soon as it happens, with an `id:` so a reconnecting client can resume with
 * `Last-Event-ID` from a bounded ring of recent events.
 *
 * A subscriber that does not read (a paused tab, a half-open connection) is not queued for without
 * limit: once more than `maxQueuedBytes` wait for it, its stream is closed, and the client resumes
 * with `Last-Event-ID` when it reconnects (docs/protocol.md §1.7).
 */
import type { DocumentEvent } from '../src/protocol/types.ts';

export interface EventHubOptions {
  /** How many recent events a reconnecting client can catch up on. */
  ringSize?: number;
  /** A comment line this often keeps proxies and browsers from timing the stream out. */
  heartbeatMs?: number;
  /** How long a browser waits before reconnecting (the `retry:` field). */
  retryMs?: number;
  /** The most bytes queued for one subscriber before its stream is closed (default 1 MiB). */
  maxQueuedBytes?: number;
  /**
   * The first part of every event id. Servers that share a database share it and number events
   * by the database's order, so an id from one of them means the same to the others.
   */
  epoch?: string;
  /**
   * With a shared epoch: the position this server's events start after. An id before it names
   * events this server never had, so a client sending one is told to refetch.
   */
  start?: bigint;
}

/** Hooks of one subscription: what to send it first, and what to do when it ends. */
export interface SubscriberHooks {
  /** Frames written right after the opening (e.g. who is present now). */
  initialFrames?: readonly string[];
  /** Called once when the stream ends, whichever side ends it. */
  onClose?: () => void;
  /**
   * Ends the connection of a subscriber that fell too far behind (e.g. destroys its socket).
   * Without it, the stream is errored, which drops what was queued.
   */
  onOverflow?: () => void;
}

type Subscriber = ReadableStreamDefaultController<Uint8Array>;

interface SentEvent {
  seq: bigint;
  frame: string;
}

/** A subscriber and where it resumed: an id ahead of this server's newest event skips up to it. */
interface SubscriberState extends SubscriberHooks {
  after?: bigint;
}

const encoder = new TextEncoder();

export class EventHub {
  private readonly ring: SentEvent[] = [];
  private readonly subscribers = new Map<Subscriber, SubscriberState>();
  private readonly ringSize: number;
  private readonly retryMs: number;
  private readonly maxQueuedBytes: number;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  /**
   * Event ids are `<epoch>-<seq>`. The random epoch tells an id from an earlier run of the server
   * apart from one of this run, so a client is never told it is up to date when it is not.
   */
  private readonly epoch: string;
  /** The newest event's position. */
  private seq: bigint;
  /** Events up to this position are not all in the ring (they fell off, or came before this server). */
  private floor: bigint;
  /** Whether other servers hand out ids of this stream too (a shared epoch). */
  private readonly shared: boolean;
  private closed = false;

  constructor(options: EventHubOptions = {}) {
    this.ringSize = options.ringSize ?? 1000;
    this.epoch = options.epoch ?? Math.random().toString(36).slice(2, 10);
    this.shared = options.epoch !== undefined;
    this.floor = options.start ?? 0n;
    this.seq = this.floor;
    this.retryMs = options.retryMs ?? 2000;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 1024 * 1024;
    this.heartbeat = setInterval(() => this.broadcast(': heartbeat\n\n'), options.heartbeatMs ?? 15_000);
    // The heartbeat alone must not keep a process alive that is otherwise done.
    // Stryker disable next-line OptionalChaining: Node's timers always have unref().
    this.heartbeat.unref?.();
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Sends an event to every stream; `seq` is its position in a shared order, when there is one
   * (increasing, with gaps), else the next number.
   */
  publish(event: DocumentEvent, seq?: bigint): void {
    if (this.closed) return;
    this.seq = seq ?? this.seq + 1n;
    const frame = `id: ${this.epoch}-${this.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    this.ring.push({ seq: this.seq, frame });
    // Stryker disable next-line OptionalChaining: an event was pushed just before, so shift() always returns one.
    if (this.ring.length > this.ringSize) this.floor = this.ring.shift()?.seq ?? this.floor;
    this.broadcast(frame, this.seq);
  }

  /**
   * The events up to `after` cannot all be sent (this server missed some of them): every stream
   * gets `event: refetch`, and a client that resumes from before `after` is told the same.
   */
  expire(after: bigint): void {
    if (this.closed) return;
    if (after > this.floor) this.floor = after;
    if (after > this.seq) this.seq = after;
    this.broadcast(namedFrame('refetch', { reason: 'events-expired' }));
  }

  /**
   * A named event without an id (`event: presence`), sent to everyone connected now. It is not
   * kept for replay: it describes a state, and the next one replaces it.
   */
  broadcastNamed(name: string, data: unknown): void {
    if (this.closed) return;
    this.broadcast(namedFrame(name, data));
  }

  /**
   * A new stream for one client: the opening, `hooks.initialFrames`, then what the client missed
   * when it sends `lastEventId`: the events after that id when the ring still holds them; when the
   * id is of this run but older than the ring, a `refetch` event and then the whole ring; for any
   * other id (another run, not an id at all), the whole ring.
   */
  subscribe(lastEventId: string | null, hooks: SubscriberHooks = {}): ReadableStream<Uint8Array> {
    let self: Subscriber | null = null;
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          if (this.closed) {
            controller.close();
            return;
          }
          self = controller;
          // The opening comment makes the response start at once, so the client knows it is connected.
          controller.enqueue(encoder.encode(`retry: ${this.retryMs}\n: connected\n\n`));
          for (const frame of hooks.initialFrames ?? []) controller.enqueue(encoder.encode(frame));
          const state: SubscriberState = { ...hooks };
          if (lastEventId !== null) {
            const missed = this.missedSince(lastEventId);
            if (missed.tooOld) controller.enqueue(encoder.encode(namedFrame('refetch', { reason: 'events-expired' })));
            for (const event of missed.events) controller.enqueue(encoder.encode(event.frame));
            if (missed.ahead !== undefined) state.after = missed.ahead;
          }
          this.subscribers.set(controller, state);
        },
        cancel: () => {
          if (self) this.drop(self);
        },
      },
      // Counted in bytes, with no read-ahead: desiredSize is minus what waits for the client.
      { highWaterMark: 0, size: (chunk) => chunk.byteLength },
    );
  }

  /** Ends every stream (server shutdown); later subscribers get an empty, closed stream. */
  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const controller of [...this.subscribers.keys()]) {
      try {
        controller.close();
      } catch {
        // Already closed by the client going away: nothing left to end.
      }
      this.drop(controller);
    }
  }

  private drop(controller: Subscriber): void {
    const hooks = this.subscribers.get(controller);
    if (!hooks) return;
    this.subscribers.delete(controller);
    hooks.onClose?.();
  }

  /** A subscriber past the bound: it stops getting events, and its connection ends. */
  private overflow(controller: Subscriber): void {
    // Stryker disable next-line OptionalChaining: called only for a controller taken from the subscribers, so get() always finds it.
    const onOverflow = this.subscribers.get(controller)?.onOverflow;
    this.drop(controller);
    if (onOverflow) {
      onOverflow();
      return;
    }
    controller.error(new Error('The client fell too far behind the event stream.'));
  }

  /**
   * What a client that last saw `lastEventId` missed. `ahead` is set when the id is of this
   * stream but newer than anything this server has sent yet (another server on the same database
   * sent it, and this one has not heard of it yet): events up to it are then not sent again.
   */
  private missedSince(lastEventId: string): { events: SentEvent[]; tooOld: boolean; ahead?: bigint } {
    const match = /^([a-z0-9]+)-(\d{1,30})$/.exec(lastEventId.trim());
    if (!match || match[1] !== this.epoch) return { events: this.ring.slice(), tooOld: false };
    // Stryker disable next-line StringLiteral: the pattern matched, so its second group is always there.
    const seen = BigInt(match[2] ?? '0');
    // Events after `seen` fell off the ring, or came before this server listened: the client
    // cannot catch up event by event.
    // Stryker disable next-line MethodExpression: the caller sends the list at once and keeps nothing, so the ring itself would do.
    if (seen < this.floor) return { events: this.ring.slice(), tooOld: true };
    // Stryker disable next-line ArrayDeclaration: an entry that is not an event enqueues zero bytes (its frame is undefined), which no reader can see.
    if (seen > this.seq) return { events: [], tooOld: false, ...(this.shared && { ahead: seen }) };
    return { events: this.ring.filter((event) => event.seq > seen), tooOld: false };
  }

  private broadcast(frame: string, seq?: bigint): void {
    if (this.subscribers.size === 0) return;
    const bytes = encoder.encode(frame);
    // Deleting from a Map while iterating it is safe: an overflowing subscriber leaves at once.
    for (const [controller, state] of this.subscribers) {
      if (seq !== undefined && state.after !== undefined) {
        if (seq <= state.after) continue;
        delete state.after;
      }
      try {
        controller.enqueue(bytes);
      } catch {
        this.drop(controller);
        continue;
      }
      if ((controller.desiredSize ?? 0) < -this.maxQueuedBytes) this.overflow(controller);
    }
  }
}

/** The frame of a named event without an id. */
export function namedFrame(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
