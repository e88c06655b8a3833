import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { statsPaths } from '../../../protocol/stats.ts';
import type { StatsSnapshot } from '../../../protocol/stats.ts';

export const statsKeys = {
  all: ['stats'] as const,
};

export async function fetchStats(signal?: AbortSignal): Promise<StatsSnapshot> {
  const { data } = await apiRequest<StatsSnapshot>(statsPaths.stats(), { signal });
  return data;
}

/**
 * The counts since the server started. `event: stats` frames write newer ones into the same
 * entry (./cache.ts), so the panel follows without polling; the timer only moves the timeline's
 * minutes on when nothing happens.
 */
export function statsQueryOptions() {
  return queryOptions({
    queryKey: statsKeys.all,
    queryFn: ({ signal }) => fetchStats(signal),
    refetchInterval: 60_000,
  });
}

export function useStats() {
  return useQuery(statsQueryOptions());
}
