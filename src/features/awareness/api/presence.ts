import { queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { simulationPaths } from '../../../protocol/simulation.ts';
import type { PresenceEntry, PresenceRequest, PresenceSnapshot } from '../../../protocol/simulation.ts';

export const presenceKeys = {
  all: ['presence'] as const,
  /** The token of this tab's open event stream: its own key, outside `all`, which is the snapshot. */
  token: (clientId: string) => ['presence-token', clientId] as const,
};

/**
 * The presence token the open event stream handed this tab (src/protocol/presence.ts), or null
 * while there is none. There is nothing to GET: the stream writes it here, and clears it when it drops.
 */
export function presenceTokenQueryOptions(clientId: string) {
  return queryOptions<string | null>({
    queryKey: presenceKeys.token(clientId),
    queryFn: skipToken,
    staleTime: Infinity,
  });
}

/** Tells the server who this tab is and which document it has open, with its stream's token. */
export async function putPresence(clientId: string, presence: PresenceRequest): Promise<void> {
  await apiRequest<null>(simulationPaths.presence(clientId), { method: 'PUT', body: presence });
}

/**
 * Who is where. There is nothing to GET: the server pushes a snapshot on the event stream after
 * every change, and the stream writes it here with setQueryData.
 */
export function presenceQueryOptions() {
  return queryOptions<PresenceSnapshot>({
    queryKey: presenceKeys.all,
    queryFn: skipToken,
    staleTime: Infinity,
  });
}

const NOBODY: PresenceEntry[] = [];

/** The others who have `docId` open (this tab left out). */
export function useOthersPresent(docId: string, selfId: string): PresenceEntry[] {
  const { data } = useQuery({
    ...presenceQueryOptions(),
    // The ids are keys of a parsed object: "constructor" must not find Object's own.
    select: (snapshot) => (Object.hasOwn(snapshot.docs, docId) ? (snapshot.docs[docId] ?? NOBODY) : NOBODY).filter((entry) => entry.clientId !== selfId),
  });
  return data ?? NOBODY;
}

/** How many tabs have each document open. */
export function usePresenceCounts(): Record<string, number> {
  const { data } = useQuery({
    ...presenceQueryOptions(),
    select: (snapshot) => Object.fromEntries(Object.entries(snapshot.docs).map(([id, entries]) => [id, entries.length])),
  });
  return data ?? {};
}
