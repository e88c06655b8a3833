import { queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { simulationPaths } from '../../../protocol/simulation.ts';
import type { PresenceEntry, PresenceRequest, PresenceSnapshot } from '../../../protocol/simulation.ts';

export const presenceKeys = {
  all: ['presence'] as const,
};

/** Tells the server who this tab is and which document it has open. */
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
    select: (snapshot) => (snapshot.docs[docId] ?? NOBODY).filter((entry) => entry.clientId !== selfId),
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
