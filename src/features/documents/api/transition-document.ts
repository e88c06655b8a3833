import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { concurrencyPaths, type DocumentState } from '../../../protocol/concurrency.ts';
import type { Document } from '../../../protocol/types.ts';
import type { VersionedDocument } from './get-document.ts';
import { docsKeys } from './keys.ts';
import { writeDocumentToCache } from './write-cache.ts';

export interface TransitionVariables {
  id: string;
  to: DocumentState;
  /** The tag of the version the user saw in that state (docs/protocol.md §1.12). */
  etag: string;
}

export async function transitionDocument({ id, to, etag }: TransitionVariables): Promise<VersionedDocument> {
  const { data, etag: newEtag } = await apiRequest<Document>(concurrencyPaths.transitions(id), { method: 'POST', body: { to }, ifMatch: etag });
  if (!newEtag) throw new Error('The server sent a document without an ETag.');
  return { doc: data, etag: newEtag };
}

/** Moves a document to another state; the new version goes into the cache at once. */
export function useTransitionDocument() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: transitionDocument,
    onSuccess: (saved) => writeDocumentToCache(queryClient, saved),
    onSettled: (_data, _error, { id }) => queryClient.invalidateQueries({ queryKey: docsKeys.revisions(id) }),
  });
}
