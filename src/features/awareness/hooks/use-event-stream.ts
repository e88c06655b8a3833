import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { backoffDelay } from '../../../lib/query-client.ts';
import { simulationPaths } from '../../../protocol/simulation.ts';
import type { PresenceSnapshot, PresenceTokenEvent } from '../../../protocol/presence.ts';
import {
  applyConcurrencyEvent,
  applyLockEvent,
  applyServerEvent,
  invalidateAllDocuments,
  refetchReadBeforeOpening,
} from '../../documents/api/cache.ts';
import { applyStatsFrame } from '../../stats/api/cache.ts';
import { presenceQueryOptions, presenceTokenQueryOptions } from '../api/presence.ts';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

export interface EventStream {
  status: StreamStatus;
  /** Counts the openings of the stream: each one (a reconnect too) is a new presence on the server. */
  openings: number;
}

const DOCUMENT_EVENTS = ['created', 'updated', 'deleted', 'message'] as const;

/**
 * The tab's one EventSource. Document events update the cache; presence snapshots replace the
 * presence query, and conflict counts the stats query. While the connection stays usable the
 * browser reconnects by itself and resends `Last-Event-ID`; when it gives up (the stream is
 * CLOSED, e.g. the server answered an error while restarting) a new EventSource is opened with
 * backoff. At every opening, the first one too, what documents read before it is read again: the
 * stream only sends what happens from its opening on, so a save made between the tab's first read
 * and its stream's first opening would otherwise never reach it. The cache is refetched as well
 * when the server says the events since this tab's `Last-Event-ID` are no longer held
 * (`event: refetch`). The stream's first event is the tab's presence token, kept in the cache for
 * the presence announcement.
 */
export function useEventStream(clientId: string): EventStream {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [openings, setOpenings] = useState(0);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let retryTimer: number | undefined;
    let attempt = 0;

    const onDocumentEvent = (message: MessageEvent<string>) => {
      applyServerEvent(queryClient, message.data);
    };
    const onPresence = (message: MessageEvent<string>) => {
      try {
        const snapshot = JSON.parse(message.data) as PresenceSnapshot;
        if (snapshot && typeof snapshot.docs === 'object') queryClient.setQueryData(presenceQueryOptions().queryKey, snapshot);
      } catch {
        // A malformed snapshot is skipped; the next one replaces it.
      }
    };

    const tokenKey = presenceTokenQueryOptions(clientId).queryKey;
    const onPresenceToken = (message: MessageEvent<string>) => {
      try {
        const { token } = JSON.parse(message.data) as PresenceTokenEvent;
        if (typeof token === 'string') queryClient.setQueryData(tokenKey, token);
      } catch {
        // A malformed token event leaves the tab unannounced until the next opening.
      }
    };
    const onRefetch = () => void invalidateAllDocuments(queryClient);
    // A lock changed hands: the document's lock is read again (docs/protocol.md §1.11).
    const onLock = (message: MessageEvent<string>) => {
      applyLockEvent(queryClient, message.data);
    };
    // A document's mode changed (or the server's): what a save sends is read again.
    const onConcurrency = (message: MessageEvent<string>) => {
      applyConcurrencyEvent(queryClient, message.data);
    };
    // The conflict counts, for the Conflicts panel (coalesced by the server).
    const onStats = (message: MessageEvent<string>) => applyStatsFrame(queryClient, message.data);

    const connect = () => {
      const current = new EventSource(simulationPaths.events(clientId));
      source = current;
      current.addEventListener('open', () => {
        attempt = 0;
        setStatus('live');
        setOpenings((n) => n + 1);
        void refetchReadBeforeOpening(queryClient);
      });
      current.addEventListener('error', () => {
        setStatus('reconnecting');
        // The token died with the connection; the next opening brings a new one.
        queryClient.setQueryData(tokenKey, null);
        if (current.readyState !== EventSource.CLOSED) return;
        current.close();
        retryTimer = window.setTimeout(connect, backoffDelay(attempt++));
      });
      for (const type of DOCUMENT_EVENTS) current.addEventListener(type, onDocumentEvent);
      current.addEventListener('presence', onPresence);
      current.addEventListener('presence-token', onPresenceToken);
      current.addEventListener('refetch', onRefetch);
      current.addEventListener('lock', onLock);
      current.addEventListener('concurrency', onConcurrency);
      current.addEventListener('stats', onStats);
    };

    connect();
    return () => {
      window.clearTimeout(retryTimer);
      source?.close();
    };
  }, [queryClient, clientId]);

  return { status, openings };
}
