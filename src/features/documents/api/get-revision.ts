import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { apiPaths } from '../../../protocol/paths.ts';
import type { Document } from '../../../protocol/types.ts';
import { docsKeys } from './keys.ts';

export async function fetchRevision(id: string, version: number, signal?: AbortSignal): Promise<Document> {
  const { data } = await apiRequest<Document>(apiPaths.revision(id, version), { signal });
  return data;
}

/** One version as it was saved. Versions never change, so one fetch is enough for each. */
export function revisionQueryOptions(id: string, version: number) {
  return queryOptions({
    queryKey: [...docsKeys.revisions(id), version] as const,
    queryFn: ({ signal }) => fetchRevision(id, version, signal),
    staleTime: Infinity,
  });
}

/** The version, or nothing while `version` is null. */
export function useRevision(id: string, version: number | null) {
  return useQuery({ ...revisionQueryOptions(id, version ?? 0), enabled: version !== null });
}
