import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { apiPaths } from '../../../protocol/paths.ts';
import { docsKeys } from './keys.ts';

export interface DeleteDocumentVariables {
  id: string;
  ifMatch: string;
}

export async function deleteDocument({ id, ifMatch }: DeleteDocumentVariables): Promise<void> {
  await apiRequest<null>(apiPaths.doc(id), { method: 'DELETE', ifMatch });
}

export function useDeleteDocument() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteDocument,
    onSuccess: (_data, { id }) => queryClient.removeQueries({ queryKey: docsKeys.detail(id) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: docsKeys.all, exact: true }),
  });
}
