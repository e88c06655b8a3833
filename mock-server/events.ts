/**
 * Server-sent events for `GET /api/events`: one event per create/update/delete, written to every
 * subscriber as soon as it happens, with an `id:` so a reconnecting client can resume with
 * `Last-Event-ID` from a bounded ring of recent events.
 */
import type { DocumentEvent } from '../src/protocol/types.ts';

export interface EventHubOptions {
  /** How many recent events a reconnecting client can catch up on. */
  ringSize?: number;
  /** A comment line this often keeps proxies and browsers from timing the stream out. */
  heartbeatMs?: number;
  /** How long a browser waits before reconnecting (the `retry:` field). */
  retryMs?: number;
}

/** Hooks of one subscription: what to send it first, and what to do when it ends. */
export interface SubscriberHooks {
  /** Frames written right after the opening (e.g. who is present now). */
  initialFrames?: readonly string[];
  /** Called once when the stream ends, whichever side ends it. */
  onClose?: () => void;
}

interface SentEvent {
  seq: number;
  frame: string;
}

const encoder = new TextEncoder();

export class EventHub {
  private readonly ring: SentEvent[] = [];
  private readonly subscribers = new Set<ReadableStreamDefaultController<Uint8Array>>();
  private readonly closeHooks = new Map<ReadableStreamDefaultController<Uint8Array>, () => void>();
  private readonly ringSize: number;
  private readonly retryMs: number;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  /**
   * Event ids are `<epoch>-<seq>`. The random epoch tells an id from an earlier run of the server
   * apart from one of this run, so a client is never told it is up to date when it is not.
   */
  private readonly epoch = Math.random().toString(36).slice(2, 10);
  private seq = 0;
  private closed = false;

  constructor(options: EventHubOptions = {}) {
    this.ringSize = options.ringSize ?? 1000;
    this.retryMs = options.retryMs ?? 2000;
    this.heartbeat = setInterval(() => this.broadcast(': heartbeat\n\n'), options.heartbeatMs ?? 15_000);
    // The heartbeat alone must not keep a process alive that is otherwise done.
    this.heartbeat.unref?.();
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  publish(event: DocumentEvent): void {
    if (this.closed) return;
    this.seq += 1;
    const frame = `id: ${this.epoch}-${this.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    this.ring.push({ seq: this.seq, frame });
    if (this.ring.length > this.ringSize) this.ring.shift();
    this.broadcast(frame);
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
   * A new stream for one client. With `lastEventId` it first replays what the client missed: the
   * events after that id when the ring still holds them, else everything the ring holds.
   */
  subscribe(lastEventId: string | null, hooks: SubscriberHooks = {}): ReadableStream<Uint8Array> {
    let self: ReadableStreamDefaultController<Uint8Array> | null = null;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        if (this.closed) {
          controller.close();
          return;
        }
        self = controller;
        // The opening comment makes the response start at once, so the client knows it is connected.
        controller.enqueue(encoder.encode(`retry: ${this.retryMs}\n: connected\n\n`));
        if (lastEventId !== null) {
          for (const event of this.missedSince(lastEventId)) controller.enqueue(encoder.encode(event.frame));
        }
        for (const frame of hooks.initialFrames ?? []) controller.enqueue(encoder.encode(frame));
        this.subscribers.add(controller);
        if (hooks.onClose) this.closeHooks.set(controller, hooks.onClose);
      },
      cancel: () => {
        if (self) this.drop(self);
      },
    });
  }

  /** Ends every stream (server shutdown); later subscribers get an empty, closed stream. */
  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const controller of [...this.subscribers]) {
      try {
        controller.close();
      } catch {
        // Already closed by the client going away: nothing left to end.
      }
      this.drop(controller);
    }
  }

  private drop(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.subscribers.delete(controller);
    const onClose = this.closeHooks.get(controller);
    this.closeHooks.delete(controller);
    onClose?.();
  }

  private missedSince(lastEventId: string): SentEvent[] {
    const match = /^([a-z0-9]+)-(\d+)$/.exec(lastEventId.trim());
    const oldest = this.ring[0];
    if (!match || match[1] !== this.epoch || !oldest) return this.ring.slice();
    const seen = Number(match[2]);
    if (seen < oldest.seq - 1) return this.ring.slice();
    return this.ring.filter((event) => event.seq > seen);
  }

  private broadcast(frame: string): void {
    if (this.subscribers.size === 0) return;
    const bytes = encoder.encode(frame);
    for (const controller of this.subscribers) {
      try {
        controller.enqueue(bytes);
      } catch {
        this.drop(controller);
      }
    }
  }
}

/** The frame of a named event without an id. */
export function namedFrame(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
