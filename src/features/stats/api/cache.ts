/**
 * The stats feature's public seam for its cache: the tab's event stream (awareness) hands each
 * `event: stats` frame here, without knowing the query key or the snapshot's shape.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { StatsSnapshot } from '../../../protocol/stats.ts';
import { madeBefore, statsQueryOptions } from './get-stats.ts';

function isSnapshot(value: unknown): value is StatsSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const snapshot = value as Partial<Record<keyof StatsSnapshot, unknown>>;
  return (
    typeof snapshot.at === 'string' &&
    typeof snapshot.totals === 'object' &&
    Array.isArray(snapshot.byDocument) &&
    Array.isArray(snapshot.byUser) &&
    Array.isArray(snapshot.timeline)
  );
}

/**
 * A frame's snapshot into the cache, when the Conflicts panel has asked for the counts in this tab
 * (a tab that never opened it does not keep them). A malformed frame is skipped; the next replaces it.
 */
export function applyStatsFrame(queryClient: QueryClient, data: string): void {
  const { queryKey } = statsQueryOptions();
  if (!queryClient.getQueryState(queryKey)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return;
  }
  if (!isSnapshot(parsed)) return;
  // A GET answered after the frame was made already has newer counts. (A GET on its way keeps the
  // frame when its answer is older: see statsQueryOptions.)
  const current = queryClient.getQueryData(queryKey);
  if (current && madeBefore(parsed, current)) return;
  queryClient.setQueryData(queryKey, parsed);
}
