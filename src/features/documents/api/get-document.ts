import { QueryObserver, queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
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

/**
 * The document, fetched and kept current. With `select`, the caller renders again only when what
 * it selects changes (compared by value), not with every version: the editor page takes what
 * another person's save leaves alone, and the parts that show the version read it themselves.
 */
export function useDocument<T = VersionedDocument>(id: string, select?: (document: VersionedDocument) => T) {
  return useQuery({ ...documentQueryOptions(id), select });
}

/**
 * A part of the document as the editor's query holds it, for a part of the editor that shows it;
 * undefined until it is loaded. It never fetches: the editor's own query does (a part placed later,
 * a notice that appears, would otherwise read a stale document again as it mounts). `select`
 * should keep its identity (a function declared once, or memoised): a new one is run again.
 */
export function useDocumentPart<T>(id: string, select: (document: VersionedDocument) => T): T | undefined {
  return useQuery({ ...documentQueryOptions(id), select, enabled: false }).data;
}

/**
 * The document while `following`, and undefined otherwise: a hook that needs it only now and then
 * (while a conflict is open, from a save of this tab's to the next version) subscribes only then,
 * so the rest of the time another person's save costs it nothing. Like useDocumentPart, it never
 * fetches.
 */
export function useDocumentWhile(id: string, following: boolean): VersionedDocument | undefined {
  const queryClient = useQueryClient();
  const [document, setDocument] = useState<VersionedDocument | undefined>(undefined);
  useEffect(() => {
    if (!following) return;
    const observer = new QueryObserver(queryClient, { ...documentQueryOptions(id), enabled: false });
    setDocument(observer.getCurrentResult().data);
    const unsubscribe = observer.subscribe((result) => setDocument(result.data));
    return () => {
      unsubscribe();
      setDocument(undefined);
    };
  }, [queryClient, id, following]);
  return following ? document : undefined;
}
