import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { apiPaths } from '../../../protocol/paths.ts';
import type { DocumentList, DocumentSummary } from '../../../protocol/types.ts';
import { docsKeys } from './keys.ts';

export async function fetchDocuments(signal?: AbortSignal): Promise<DocumentSummary[]> {
  const { data } = await apiRequest<DocumentList>(apiPaths.docs(), { signal });
  return data.docs;
}

export function documentsQueryOptions() {
  return queryOptions({
    queryKey: docsKeys.all,
    queryFn: ({ signal }) => fetchDocuments(signal),
  });
}

export function useDocuments() {
  return useQuery(documentsQueryOptions());
}
