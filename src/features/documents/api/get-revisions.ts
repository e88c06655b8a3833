import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { apiPaths } from '../../../protocol/paths.ts';
import type { Document, Revision, RevisionList, RevisionPage } from '../../../protocol/types.ts';
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

/** Versions per page of the History list. */
export const REVISION_PAGE = 20;

/** The newest `REVISION_PAGE` versions older than `before` (or the newest of all), oldest first. */
export async function fetchRevisionPage(id: string, before: number | null, signal?: AbortSignal): Promise<RevisionPage> {
  const query = `?limit=${REVISION_PAGE}${before === null ? '' : `&before=${before}`}`;
  const { data } = await apiRequest<RevisionPage>(`${apiPaths.revisions(id)}${query}`, { signal });
  return data;
}

/**
 * The history a page at a time, newest page first (`GET …/revisions?limit&before`): what the
 * History list shows, so an hour of saves is read only as far as someone scrolls back.
 */
export function revisionPagesQueryOptions(id: string) {
  return infiniteQueryOptions({
    queryKey: [...docsKeys.revisions(id), 'pages'] as const,
    queryFn: ({ pageParam, signal }) => fetchRevisionPage(id, pageParam, signal),
    initialPageParam: null as number | null,
    getNextPageParam: (last: RevisionPage) => (last.more && last.revisions[0] ? last.revisions[0].version : undefined),
  });
}

export function useRevisionPages(id: string, enabled: boolean) {
  return useInfiniteQuery({ ...revisionPagesQueryOptions(id), enabled });
}

/** One version as it was (`GET /api/docs/{id}/revisions/{version}`). */
export async function fetchRevision(id: string, version: number, signal?: AbortSignal): Promise<Document> {
  const { data } = await apiRequest<Document>(apiPaths.revision(id, version), { signal });
  return data;
}
