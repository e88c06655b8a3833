/**
 * Who has which document open (docs/protocol.md §1.8). A tab opens its event stream with its client
 * id (`GET /api/events?client={clientId}`); the stream's first event hands it a presence token, and
 * `PUT /api/presence/{clientId}` must present that token. So an entry belongs to the stream that
 * created it: nobody else can overwrite it or keep it alive, and it goes when that stream closes.
 *
 * Changes are coalesced: `onChange` gets at most one snapshot per interval (the first change at
 * once, the rest of the interval's changes as one snapshot at its end), and none when the snapshot
 * is what was sent last. A flood of announcements therefore costs every stream one snapshot per
 * interval, not one per announcement.
 */
import { randomBytes } from 'node:crypto';
import type { PresenceEntry, PresenceRequest, PresenceSnapshot } from '../src/protocol/presence.ts';

type Announcement = Omit<PresenceRequest, 'token'>;

/** One open stream of a tab, and what the tab said about itself on it. */
interface StreamPresence {
  clientId: string;
  announced: Announcement | null;
}

export interface PresenceOptions {
  onChange: (snapshot: PresenceSnapshot) => void;
  /** At most one snapshot per this many milliseconds (default 250). */
  intervalMs?: number;
}

export class PresenceRegistry {
  /** By token: the tokens are the server's, never a client's choice. */
  private readonly streams = new Map<string, StreamPresence>();
  private readonly onChange: (snapshot: PresenceSnapshot) => void;
  private readonly intervalMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pending = false;
  private lastSent = JSON.stringify({ docs: {} });

  constructor(options: PresenceOptions) {
    this.onChange = options.onChange;
    this.intervalMs = options.intervalMs ?? 250;
  }

  /** A stream for `clientId` opened: its token, and the function to call when it closes. */
  attach(clientId: string): { token: string; leave: () => void } {
    const token = randomBytes(18).toString('base64url');
    this.streams.set(token, { clientId, announced: null });
    return {
      token,
      leave: () => {
        const stream = this.streams.get(token);
        if (!stream) return;
        this.streams.delete(token);
        if (stream.announced?.docId != null) this.changed();
      },
    };
  }

  /**
   * Records who the tab is and what it has open, on the stream that `token` names. False when no
   * open stream of `clientId` has that token (it closed, or the token is someone else's).
   */
  announce(clientId: string, token: string, announcement: Announcement): boolean {
    const stream = this.streams.get(token);
    if (!stream || stream.clientId !== clientId) return false;
    stream.announced = { user: announcement.user, color: announcement.color, docId: announcement.docId };
    this.changed();
    return true;
  }

  /**
   * Everyone present, one entry per stream. Two streams that give the same client id (a tab whose
   * old connection is not yet noticed closed, or someone copying another tab's id) are two entries:
   * neither can change or hide the other.
   */
  snapshot(): PresenceSnapshot {
    // Document ids come from clients: a null-prototype object keeps "__proto__" or "constructor"
    // an ordinary key.
    const docs = Object.create(null) as Record<string, PresenceEntry[]>;
    for (const { clientId, announced } of this.streams.values()) {
      if (!announced || announced.docId === null) continue;
      const entry = { clientId, user: announced.user, color: announced.color };
      const list = docs[announced.docId];
      if (list) list.push(entry);
      else docs[announced.docId] = [entry];
    }
    return { docs };
  }

  /** Stops the timer and forgets everyone (server shutdown). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.streams.clear();
  }

  private changed(): void {
    if (this.timer) {
      this.pending = true;
      return;
    }
    this.flush();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.pending) return;
      this.pending = false;
      this.changed();
    }, this.intervalMs);
    this.timer.unref?.();
  }

  private flush(): void {
    const snapshot = this.snapshot();
    const json = JSON.stringify(snapshot);
    if (json === this.lastSent) return;
    this.lastSent = json;
    this.onChange(snapshot);
  }
}
