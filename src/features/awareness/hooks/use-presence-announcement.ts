import { useEffect } from 'react';
import { putPresence } from '../api/presence.ts';

/**
 * Tells the server who this tab is and what it has open, again whenever that changes and after
 * every (re)opening of the event stream: a restarted server knows nobody until told.
 */
export function usePresenceAnnouncement(
  clientId: string,
  docId: string | null,
  openings: number,
  { name, colour }: { name: string; colour: string },
): void {
  useEffect(() => {
    // The server ties presence to an open stream; before the first opening there is nothing to tie it to.
    if (openings === 0) return;
    putPresence(clientId, { user: name, color: colour, docId }).catch(() => {
      // Presence is a courtesy: a failed announcement is retried at the next change or reopening.
    });
  }, [clientId, name, colour, docId, openings]);
}
