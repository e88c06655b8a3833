import { hashKey } from '@tanstack/react-query';
import type { InvalidateQueryFilters, Query, QueryClient } from '@tanstack/react-query';

/**
 * Reads the chosen queries again, for the tab has just learnt something their data may predate (an
 * event about them, or a stream opening after they were read). A read still on its way may have
 * been answered before that: it is let finish and then repeated, not cancelled, so the inspector
 * shows no cancelled request and a stale answer never has the last word. Queries nobody shows are
 * only marked stale, as `invalidateQueries` does.
 */
export async function readAgain(queryClient: QueryClient, chosen: (query: Query) => boolean): Promise<void> {
  await queryClient.refetchQueries({ predicate: (query) => chosen(query) && query.state.fetchStatus === 'fetching' }, { cancelRefetch: false });
  await queryClient.invalidateQueries({ predicate: chosen }, { cancelRefetch: false });
}

/**
 * An event about a query whose first read is on its way (so its data cannot take the event in
 * yet): that read may have been answered before the event, so the query is read again after it.
 * Done once that read again is (at once when there is none to make).
 */
export function readAgainIfFirstReadOnItsWay(queryClient: QueryClient, queryKey: readonly unknown[]): Promise<void> {
  // Looked up by its key's hash: an event costs no search of the whole cache.
  const query = queryClient.getQueryCache().get(hashKey(queryKey));
  if (!query || query.state.data !== undefined || query.state.fetchStatus !== 'fetching') return Promise.resolve();
  return readAgain(queryClient, (q) => q === query);
}

/**
 * An event about the queries `filters` choose (a lock changed hands, a mode changed, events were
 * missed, a scenario changed a document): those read are marked stale and those on screen
 * refetched, as `invalidateQueries` does; one whose first read is on its way is read again once it
 * is answered, for that answer may predate the event (a refetch would only join the read on its
 * way, and its old answer would stay). Done when all of that is.
 */
export async function readAgainAfterEvent(queryClient: QueryClient, filters: InvalidateQueryFilters): Promise<void> {
  const invalidated = queryClient.invalidateQueries(filters);
  const again = queryClient.getQueryCache().findAll(filters).map((query) => readAgainIfFirstReadOnItsWay(queryClient, query.queryKey));
  await Promise.all([invalidated, ...again]);
}
