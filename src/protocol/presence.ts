/**
 * Presence (docs/protocol.md §1.8): who has which document open, shared by the server and the app.
 *
 *   PUT /api/presence/{clientId}  PresenceRequest → 204 (who this tab is and which document it has open)
 *   GET /api/events?client={clientId}             → the event stream, which also carries presence
 *
 * Presence is tied to the tab's event stream: its first event (`event: presence-token`, data
 * PresenceTokenEvent) hands the tab a token that its presence updates must carry, so an entry
 * belongs to the stream that made it, and when that stream closes, the tab leaves. Presence
 * changes arrive on the same stream as named events (`event: presence`, no `id:`, so they are
 * never replayed) whose data is a PresenceSnapshot, at most one per interval. A client id is 1 to
 * 100 letters, digits, "-" or "_".
 */

export interface PresenceRequest {
  user: string;
  color: string;
  /** The document this tab has open, or null (the list). */
  docId: string | null;
  /** The token from the first event of this tab's open event stream. */
  token: string;
}

/** The data of `event: presence-token`, the first event of a stream opened with `?client=`. */
export interface PresenceTokenEvent {
  token: string;
}

export interface PresenceEntry {
  clientId: string;
  user: string;
  color: string;
}

/**
 * Everyone present, by document id. Document ids are whatever clients sent: read it with
 * `Object.hasOwn`, never as `docs[id]` alone ("constructor" is on every object).
 */
export interface PresenceSnapshot {
  docs: Record<string, PresenceEntry[]>;
}
