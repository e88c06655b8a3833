/**
 * The documents feature's public seam for its cache: the one file other features (simulation,
 * awareness) import from it. They write what a server answer told them, mark documents for
 * refetching, apply a server event and read the list, without knowing the query keys or how a
 * document is stored. Drafts are never touched from here: they keep their own base.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { DocumentSummary } from '../../../protocol/types.ts';
import { applyDocumentEvent, parseDocumentEvent } from './apply-event.ts';
import type { ConcurrencyEvent } from '../../../protocol/concurrency.ts';
import { documentConcurrencyQueryOptions } from './document-concurrency.ts';
import { lockEventDocument, lockQueryOptions } from './document-lock.ts';
import type { VersionedDocument } from './get-document.ts';
import { documentsQueryOptions, useDocuments } from './get-documents.ts';
import { docsKeys } from './keys.ts';
import { readAgain, readAgainAfterEvent } from './read-again.ts';
import { writeDocumentToCache } from './write-cache.ts';

export type { VersionedDocument };

/** A document the server just answered with (and its ETag), into the detail and the list. */
export function writeDocument(queryClient: QueryClient, document: VersionedDocument): void {
  writeDocumentToCache(queryClient, document);
}

/** The whole list as the server just gave it (after a reset of the demo data). */
export function replaceDocumentList(queryClient: QueryClient, docs: DocumentSummary[]): void {
  queryClient.setQueryData(documentsQueryOptions().queryKey, docs);
}

/**
 * Refetch one document (with its revisions, mode and lock) and the list: the server changed it. A
 * first read on its way is read again once answered (see `readAgainAfterEvent`).
 */
export function invalidateDocument(queryClient: QueryClient, id: string): Promise<void> {
  return Promise.all([
    readAgainAfterEvent(queryClient, { queryKey: docsKeys.all, exact: true }),
    readAgainAfterEvent(queryClient, { queryKey: docsKeys.detail(id) }),
  ]).then(() => undefined);
}

/**
 * Refetch everything documents know: events may have been missed, or the data was reset. A first
 * read on its way is read again once answered (see `readAgainAfterEvent`).
 */
export function invalidateAllDocuments(queryClient: QueryClient): Promise<void> {
  return readAgainAfterEvent(queryClient, { queryKey: docsKeys.all });
}

/**
 * An event stream has just opened: what documents read before it is read again. A stream sends
 * what happens from its opening on: a first opening (or a new stream after the browser gave up)
 * has no `Last-Event-ID` to resume from, and even a resumed one is not replayed locks and mode
 * changes. So a change made between a read and the opening would otherwise never reach the tab.
 * A read still on its way at the opening is let finish and then repeated (see `readAgain`); what is
 * read after the opening is left alone.
 */
export function refetchReadBeforeOpening(queryClient: QueryClient): Promise<void> {
  const before = new Set(queryClient.getQueryCache().findAll({ queryKey: docsKeys.all }));
  return readAgain(queryClient, (query) => before.has(query));
}

/**
 * One message of the event stream, applied to the cache. Returns false when the data is not a
 * document event (a stream shared with other event kinds).
 */
export function applyServerEvent(queryClient: QueryClient, data: string): boolean {
  const event = parseDocumentEvent(data);
  if (!event) return false;
  applyDocumentEvent(queryClient, event);
  return true;
}

/**
 * One `event: lock` of the stream (docs/protocol.md §1.11): the document's lock is read again.
 * Returns false when the data is not a lock event.
 */
export function applyLockEvent(queryClient: QueryClient, data: string): boolean {
  const docId = lockEventDocument(data);
  if (!docId) return false;
  void readAgainAfterEvent(queryClient, { queryKey: lockQueryOptions(docId).queryKey });
  return true;
}

/**
 * One `event: concurrency` of the stream (docs/protocol.md §1.11): the document's mode is read
 * again (every document's, when the server's changed), so its next save sends what the mode wants.
 * Returns false when the data is not such an event.
 */
export function applyConcurrencyEvent(queryClient: QueryClient, data: string): boolean {
  let event: Partial<ConcurrencyEvent> | null;
  try {
    event = JSON.parse(data) as Partial<ConcurrencyEvent> | null;
  }
  // Stryker disable next-line BlockStatement: event stays undefined, which the check below refuses the same way.
  catch {
    return false;
  }
  if (!event || (typeof event.docId !== 'string' && event.docId !== null)) return false;
  const { docId } = event;
  // The lock's answer says whether the mode enforces it (`enforced`): it is read again with the mode.
  if (docId === null) {
    void readAgainAfterEvent(queryClient, {
      predicate: ({ queryKey }) => queryKey[0] === docsKeys.all[0] && (queryKey[2] === 'concurrency' || queryKey[2] === 'lock'),
    });
  } else {
    void readAgainAfterEvent(queryClient, { queryKey: documentConcurrencyQueryOptions(docId).queryKey });
    void readAgainAfterEvent(queryClient, { queryKey: lockQueryOptions(docId).queryKey });
  }
  return true;
}

/** The list of documents, as the documents feature fetches and keeps it. */
export function useDocumentList() {
  return useDocuments();
}
