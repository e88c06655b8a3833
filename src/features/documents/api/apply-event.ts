import type { QueryClient } from '@tanstack/react-query';
import type { DocumentEvent } from '../../../protocol/types.ts';
import { documentQueryOptions } from './get-document.ts';
import { documentsQueryOptions } from './get-documents.ts';
import { docsKeys } from './keys.ts';

/**
 * Brings the cache up to date with one server event. The list row changes at once from the event
 * itself (version, author, time); what the event does not carry (a new title, the content) is
 * refetched. An event for a version the cache already has (our own save) changes nothing.
 * Drafts are not touched: they keep their own base.
 */
export function applyDocumentEvent(queryClient: QueryClient, event: DocumentEvent): void {
  const listKey = documentsQueryOptions().queryKey;
  const cachedDetail = queryClient.getQueryData(documentQueryOptions(event.id).queryKey);
  const list = queryClient.getQueryData(listKey);

  if (event.type === 'deleted') {
    queryClient.setQueryData(listKey, (docs) => docs?.filter((d) => d.id !== event.id));
    // An open editor learns of it from the refetch (410) and offers to save the text as new.
    void queryClient.invalidateQueries({ queryKey: docsKeys.detail(event.id) });
    return;
  }

  const listed = list?.find((d) => d.id === event.id);
  if (!listed || listed.etag !== event.etag) {
    if (listed && event.version > listed.version) {
      const { version, etag, updatedBy, updatedAt } = event;
      queryClient.setQueryData(listKey, (docs) => docs?.map((d) => (d.id === event.id ? { ...d, version, etag, updatedBy, updatedAt } : d)));
    }
    void queryClient.invalidateQueries({ queryKey: docsKeys.all, exact: true });
  }
  if (cachedDetail?.etag !== event.etag) {
    void queryClient.invalidateQueries({ queryKey: docsKeys.detail(event.id) });
  }
}

/** The event data, or null when it is not one (a stream shared with other event kinds). */
export function parseDocumentEvent(data: string): DocumentEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const event = value as Partial<DocumentEvent>;
  if (event.type !== 'created' && event.type !== 'updated' && event.type !== 'deleted') return null;
  if (typeof event.id !== 'string' || typeof event.version !== 'number' || typeof event.etag !== 'string') return null;
  return event as DocumentEvent;
}
