import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { NetworkError, ProblemError } from '../../../lib/api-errors.ts';
import { apiPaths } from '../../../protocol/paths.ts';
import { problemType } from '../../../protocol/problems.ts';
import type { CreateDocumentBody, Document } from '../../../protocol/types.ts';
import { fetchDocument, type VersionedDocument } from './get-document.ts';
import { docsKeys } from './keys.ts';
import { writeDocumentToCache } from './write-cache.ts';

/** A new document id, made by the client so that a create can be repeated safely. */
export function newDocumentId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return `d_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Creates the document under `id` with `PUT` and `If-None-Match: *` (docs/protocol.md §1.2): the
 * server makes it only where there is none, so sending the same create twice (a retry after a lost
 * answer) can never make two documents. A 412 for our own id means an earlier attempt made it.
 */
export async function createDocument(body: CreateDocumentBody, id: string, retried = false): Promise<VersionedDocument> {
  try {
    const { data, etag } = await apiRequest<Document>(apiPaths.doc(id), { method: 'PUT', body, ifNoneMatch: '*' });
    if (!etag) throw new Error('The server created a document without an ETag.');
    return { doc: data, etag };
  } catch (error) {
    if (retried && error instanceof ProblemError && error.problem.type === problemType('precondition-failed')) return fetchDocument(id);
    throw error;
  }
}

/** One id per create the user asked for, kept across the mutation's retries of it. */
const idsByRequest = new WeakMap<CreateDocumentBody, { id: string; attempts: number }>();

/** Retried only when no answer came: the same id goes out again, so at most one document is made. */
export function useCreateDocument() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateDocumentBody) => {
      const attempt = idsByRequest.get(body) ?? { id: newDocumentId(), attempts: 0 };
      attempt.attempts += 1;
      idsByRequest.set(body, attempt);
      return createDocument(body, attempt.id, attempt.attempts > 1);
    },
    retry: (failures, error) => error instanceof NetworkError && failures < 2,
    onSuccess: (created) => writeDocumentToCache(queryClient, created),
    onSettled: () => queryClient.invalidateQueries({ queryKey: docsKeys.all, exact: true }),
  });
}
