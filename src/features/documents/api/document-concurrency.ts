import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { concurrencyPaths, type ConcurrencyMode, type DocumentConcurrency } from '../../../protocol/concurrency.ts';
import { docsKeys } from './keys.ts';

export function documentConcurrencyQueryOptions(id: string) {
  return queryOptions({
    queryKey: [...docsKeys.detail(id), 'concurrency'] as const,
    queryFn: async ({ signal }) => (await apiRequest<DocumentConcurrency>(concurrencyPaths.concurrency(id), { signal })).data,
  });
}

export function useDocumentConcurrency(id: string) {
  return useQuery(documentConcurrencyQueryOptions(id));
}

/** Gives one document a concurrency mode of its own (null: the server's again). */
export function useSetDocumentConcurrency(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (concurrency: ConcurrencyMode | null) =>
      (await apiRequest<DocumentConcurrency>(concurrencyPaths.concurrency(id), { method: 'PUT', body: { concurrency } })).data,
    onSuccess: (state) => queryClient.setQueryData(documentConcurrencyQueryOptions(id).queryKey, state),
  });
}
