import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { presenceTokenQueryOptions, putPresence } from '../api/presence.ts';

/**
 * Tells the server who this tab is and what it has open, again whenever that changes and after
 * every (re)opening of the event stream: a restarted server knows nobody until told. Each opening
 * brings a new presence token, which the announcement must carry (docs/protocol.md §1.8).
 */
export function usePresenceAnnouncement(
  clientId: string,
  docId: string | null,
  openings: number,
  { name, colour }: { name: string; colour: string },
): void {
  const { data: token } = useQuery(presenceTokenQueryOptions(clientId));
  useEffect(() => {
    // The server ties presence to an open stream; before the first opening there is nothing to tie it to.
    if (openings === 0 || !token) return;
    putPresence(clientId, { user: name, color: colour, docId, token }).catch(() => {
      // Presence is a courtesy: a failed announcement is retried at the next change or reopening.
    });
  }, [clientId, name, colour, docId, openings, token]);
}
