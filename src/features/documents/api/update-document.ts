import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { isTransient } from '../../../lib/api-errors.ts';
import { backoffDelay } from '../../../lib/query-client.ts';
import { BASED_ON_HEADER } from '../../../protocol/concurrency.ts';
import { apiPaths } from '../../../protocol/paths.ts';
import { CONFLICT_RESOLUTION_HEADER } from '../../../protocol/stats.ts';
import type { SavedOutcome } from '../../../protocol/stats.ts';
import type { Document } from '../../../protocol/types.ts';
import type { VersionedDocument } from './get-document.ts';
import { docsKeys } from './keys.ts';
import { writeDocumentToCache } from './write-cache.ts';

export interface UpdateDocumentVariables {
  id: string;
  title: string;
  content: string;
  /** The ETag of the version this text was edited from (never a freshly refetched one). */
  ifMatch: string;
  /**
   * The `Last-Modified` of that version, in a document guarded by dates: sent as
   * `If-Unmodified-Since`, with the tag as `X-Based-On` (recorded, so a lost update is told) and no
   * If-Match, which would decide in its place (RFC 9110 §13.2.2).
   */
  ifUnmodifiedSince?: string;
  /** One per save attempt. The mutation's retries reuse these variables, so a retry resends it. */
  idempotencyKey: string;
  /** The dialog's choice this save carries, counted by the server when the save succeeds. */
  resolution?: SavedOutcome;
}

export async function updateDocument({ id, title, content, ifMatch, ifUnmodifiedSince, idempotencyKey, resolution }: UpdateDocumentVariables): Promise<VersionedDocument> {
  const byDate = ifUnmodifiedSince !== undefined && { 'If-Unmodified-Since': ifUnmodifiedSince, [BASED_ON_HEADER]: ifMatch };
  const { data, etag } = await apiRequest<Document>(apiPaths.doc(id), {
    method: 'PUT',
    body: { title, content },
    ...(!byDate && { ifMatch }),
    idempotencyKey,
    headers: { ...byDate, ...(resolution && { [CONFLICT_RESOLUTION_HEADER]: resolution }) },
  });
  if (!etag) throw new Error('The server saved the document but sent no ETag.');
  return { doc: data, etag };
}

/** Enough attempts to ride out a server restart (about a minute with the capped backoff). */
const MAX_SAVE_RETRIES = 8;

/**
 * The save. Network errors and 5xx are retried with the same variables, so with the same If-Match
 * and Idempotency-Key: a retry whose first answer was lost gets that answer back, not a conflict
 * with itself. A 409/412 or any 4xx is never retried.
 */
export function useUpdateDocument() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateDocument,
    retry: (failureCount, error) => isTransient(error) && failureCount < MAX_SAVE_RETRIES,
    retryDelay: backoffDelay,
    // A refetch started before the save must not land after it and put the old ETag back.
    onMutate: ({ id }) => queryClient.cancelQueries({ queryKey: docsKeys.detail(id), exact: true }),
    onSuccess: (saved) => writeDocumentToCache(queryClient, saved),
    // A 200 is the server's whole answer, already in the cache, and the save's own event brings
    // the revision row: nothing to ask again. After a failure the cached version may be stale.
    onSettled: (_data, error, { id }) =>
      error
        ? Promise.all([
            queryClient.invalidateQueries({ queryKey: docsKeys.all, exact: true }),
            queryClient.invalidateQueries({ queryKey: docsKeys.detail(id), exact: true }),
          ])
        : undefined,
  });
}
