import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { apiPaths } from '../../../protocol/paths.ts';
import type { Document, Revision, RevisionList } from '../../../protocol/types.ts';
import { docsKeys } from './keys.ts';

export async function fetchRevisions(id: string, signal?: AbortSignal): Promise<Revision[]> {
  const { data } = await apiRequest<RevisionList>(apiPaths.revisions(id), { signal });
  return data.revisions;
}

export function revisionsQueryOptions(id: string) {
  return queryOptions({
    queryKey: docsKeys.revisions(id),
    queryFn: ({ signal }) => fetchRevisions(id, signal),
  });
}

export function useRevisions(id: string, enabled = true) {
  return useQuery({ ...revisionsQueryOptions(id), enabled });
}

/** One version as it was (`GET /api/docs/{id}/revisions/{version}`). */
export async function fetchRevision(id: string, version: number, signal?: AbortSignal): Promise<Document> {
  const { data } = await apiRequest<Document>(apiPaths.revision(id, version), { signal });
  return data;
}
