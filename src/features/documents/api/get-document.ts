import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { apiPaths } from '../../../protocol/paths.ts';
import type { Document } from '../../../protocol/types.ts';
import { docsKeys } from './keys.ts';

/** A document with the ETag it was served with: the tag is what the next save sends as If-Match. */
export interface VersionedDocument {
  doc: Document;
  etag: string;
}

export async function fetchDocument(id: string, signal?: AbortSignal): Promise<VersionedDocument> {
  const { data, etag } = await apiRequest<Document>(apiPaths.doc(id), { signal });
  if (!etag) throw new Error('The server sent a document without an ETag.');
  return { doc: data, etag };
}

export function documentQueryOptions(id: string) {
  return queryOptions({
    queryKey: docsKeys.detail(id),
    queryFn: ({ signal }) => fetchDocument(id, signal),
  });
}

export function useDocument(id: string) {
  return useQuery(documentQueryOptions(id));
}
