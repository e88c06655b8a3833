/**
 * Who has which document open. A tab says who it is with `PUT /api/presence/{clientId}` and stays
 * present for as long as its event stream (`GET /api/events?client={clientId}`) is open: closing
 * the tab closes the stream, and the others learn at once that it left. Every change is handed to
 * `onChange` as a whole snapshot, which the app sends on the event stream as `event: presence`.
 */
import type { PresenceEntry, PresenceRequest, PresenceSnapshot } from '../src/protocol/presence.ts';

interface Present extends PresenceRequest {
  /** When an announcement came without an open stream: it is forgotten unless one opens in time. */
  orphanTimer: ReturnType<typeof setTimeout> | null;
}

export interface PresenceOptions {
  onChange: (snapshot: PresenceSnapshot) => void;
  /** How long an announcement without an open stream is kept, waiting for the stream. */
  orphanMs?: number;
}

export class PresenceRegistry {
  private readonly streams = new Map<string, number>();
  private readonly present = new Map<string, Present>();
  private readonly onChange: (snapshot: PresenceSnapshot) => void;
  private readonly orphanMs: number;

  constructor(options: PresenceOptions) {
    this.onChange = options.onChange;
    this.orphanMs = options.orphanMs ?? 30_000;
  }

  /** A stream for `clientId` opened; the returned function is called when it closes. */
  attach(clientId: string): () => void {
    this.streams.set(clientId, (this.streams.get(clientId) ?? 0) + 1);
    const entry = this.present.get(clientId);
    if (entry?.orphanTimer) {
      clearTimeout(entry.orphanTimer);
      entry.orphanTimer = null;
    }
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      const left = (this.streams.get(clientId) ?? 1) - 1;
      if (left > 0) {
        this.streams.set(clientId, left);
        return;
      }
      this.streams.delete(clientId);
      this.forget(clientId);
    };
  }

  /** Records who the tab is and what it has open; a change is announced, a repeat is not. */
  announce(clientId: string, request: PresenceRequest): void {
    const before = this.present.get(clientId);
    if (before?.orphanTimer) clearTimeout(before.orphanTimer);
    const entry: Present = { ...request, orphanTimer: null };
    if (!this.streams.has(clientId)) {
      entry.orphanTimer = setTimeout(() => this.forget(clientId), this.orphanMs);
      entry.orphanTimer.unref?.();
    }
    this.present.set(clientId, entry);
    if (before && before.user === request.user && before.color === request.color && before.docId === request.docId) return;
    this.onChange(this.snapshot());
  }

  snapshot(): PresenceSnapshot {
    const docs: Record<string, PresenceEntry[]> = {};
    for (const [clientId, { user, color, docId }] of this.present) {
      if (docId === null) continue;
      (docs[docId] ??= []).push({ clientId, user, color });
    }
    return { docs };
  }

  /** Stops every timer (server shutdown). */
  close(): void {
    for (const entry of this.present.values()) if (entry.orphanTimer) clearTimeout(entry.orphanTimer);
    this.present.clear();
    this.streams.clear();
  }

  private forget(clientId: string): void {
    const entry = this.present.get(clientId);
    if (!entry) return;
    if (entry.orphanTimer) clearTimeout(entry.orphanTimer);
    this.present.delete(clientId);
    if (entry.docId !== null) this.onChange(this.snapshot());
  }
}
