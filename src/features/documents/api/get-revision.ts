import { apiRequest } from '../../../lib/api-client.ts';
import { apiPaths } from '../../../protocol/paths.ts';
import type { Document } from '../../../protocol/types.ts';

/** One version of a document as it was saved (a revision never changes, so it is cached for good). */
export async function fetchRevisionDocument(id: string, version: number, signal?: AbortSignal): Promise<Document> {
  const { data } = await apiRequest<Document>(apiPaths.revision(id, version), { signal });
  return data;
}
