import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { simulationPaths } from '../../../protocol/simulation.ts';
import type { ResetResult } from '../../../protocol/simulation.ts';
import { invalidateAllDocuments, replaceDocumentList } from '../../documents/api/cache.ts';

export async function resetDemo(): Promise<ResetResult> {
  const { data } = await apiRequest<ResetResult>(simulationPaths.reset(), { method: 'POST' });
  return data;
}

/** Restores the seed documents. Drafts stay on this device; an open editor meets the new state on its next save. */
export function useResetDemo() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resetDemo,
    onSuccess: ({ docs }) => replaceDocumentList(queryClient, docs),
    onSettled: () => invalidateAllDocuments(queryClient),
  });
}
