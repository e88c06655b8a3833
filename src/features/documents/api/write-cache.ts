import type { QueryClient } from '@tanstack/react-query';
import { documentQueryOptions } from './get-document.ts';
import type { VersionedDocument } from './get-document.ts';
import { documentsQueryOptions } from './get-documents.ts';

/**
 * Puts a document the server just answered with into the cache, detail and list alike, so the new
 * ETag is there at once (before any refetch).
 */
export function writeDocumentToCache(queryClient: QueryClient, { doc, etag }: VersionedDocument): void {
  queryClient.setQueryData(documentQueryOptions(doc.id).queryKey, { doc, etag });
  queryClient.setQueryData(documentsQueryOptions().queryKey, (docs) => {
    if (!docs) return docs;
    const { content: _content, ...summary } = doc;
    const entry = { ...summary, etag };
    return docs.some((d) => d.id === doc.id) ? docs.map((d) => (d.id === doc.id ? entry : d)) : [...docs, entry];
  });
}
