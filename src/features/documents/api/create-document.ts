import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { apiPaths } from '../../../protocol/paths.ts';
import type { CreateDocumentBody, Document } from '../../../protocol/types.ts';
import type { VersionedDocument } from './get-document.ts';
import { docsKeys } from './keys.ts';
import { writeDocumentToCache } from './write-cache.ts';

export async function createDocument(body: CreateDocumentBody): Promise<VersionedDocument> {
  const { data, etag } = await apiRequest<Document>(apiPaths.docs(), { method: 'POST', body });
  if (!etag) throw new Error('The server created a document without an ETag.');
  return { doc: data, etag };
}

/** Not retried: a POST that reached the server but lost its answer would create a second document. */
export function useCreateDocument() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createDocument,
    onSuccess: (created) => writeDocumentToCache(queryClient, created),
    onSettled: () => queryClient.invalidateQueries({ queryKey: docsKeys.all, exact: true }),
  });
}
