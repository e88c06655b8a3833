/**
 * Presence (docs/protocol.md §1.8): who has which document open, shared by the server and the app.
 *
 *   PUT /api/presence/{clientId}  PresenceRequest → 204 (who this tab is and which document it has open)
 *   GET /api/events?client={clientId}             → the event stream, which also carries presence
 *
 * Presence is tied to the tab's event stream: when that stream closes, the tab leaves. Presence
 * changes arrive on the same stream as named events (`event: presence`, no `id:`, so they are
 * never replayed) whose data is a PresenceSnapshot. A client id is 1 to 100 letters, digits, "-"
 * or "_".
 */

export interface PresenceRequest {
  user: string;
  color: string;
  /** The document this tab has open, or null (the list). */
  docId: string | null;
}

export interface PresenceEntry {
  clientId: string;
  user: string;
  color: string;
}

/** Everyone present, by document id. */
export interface PresenceSnapshot {
  docs: Record<string, PresenceEntry[]>;
}
