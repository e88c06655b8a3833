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
 * Whether `snapshot` was made before `other`, by the server's clock (`at`). Snapshots made in the
 * same millisecond are neither: then the frame is kept, for an event counted after a frame always
 * brings another frame, while one counted after a read brings nothing to mend that read.
 */
export function madeBefore(snapshot: StatsSnapshot, other: StatsSnapshot): boolean {
  return Date.parse(snapshot.at) < Date.parse(other.at);
}

/**
 * The counts since the server started. `event: stats` frames write newer ones into the same
 * entry (./cache.ts), so the panel follows without polling; the timer only moves the timeline's
 * minutes on when nothing happens. A frame that arrives while a read is on its way may be newer
 * than that read's answer: the answer replaces what the cache holds only if it was made later.
 */
export function statsQueryOptions() {
  return queryOptions({
    queryKey: statsKeys.all,
    queryFn: async ({ signal, client }) => {
      const answer = await fetchStats(signal);
      const held = client.getQueryData<StatsSnapshot>(statsKeys.all);
      return held && !madeBefore(held, answer) ? held : answer;
    },
    refetchInterval: 60_000,
  });
}

export function useStats() {
  return useQuery(statsQueryOptions());
}
