import type { Query, QueryClient } from '@tanstack/react-query';

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
 */
export function readAgainIfFirstReadOnItsWay(queryClient: QueryClient, queryKey: readonly unknown[]): void {
  // Looked up by its key's hash first: the common case (no such query, or one with data) costs no
  // search of the whole cache.
  const state = queryClient.getQueryState(queryKey);
  if (!state || state.data !== undefined || state.fetchStatus !== 'fetching') return;
  const query = queryClient.getQueryCache().find({ queryKey, exact: true });
  if (query) void readAgain(queryClient, (q) => q === query);
}
