import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client.ts';
import { concurrencyPaths, type HandOverRequest, type LockEvent, type LockRequest, type LockState } from '../../../protocol/concurrency.ts';
import { docsKeys } from './keys.ts';

/** How often a tab looks at a lease that is out, to learn that it ran out. */
export const LEASE_POLL_MS = 15_000;

/**
 * Every change of a lease comes as an `event: lock` (applyLockEvent reads the lock again), and a
 * change of mode as an `event: concurrency`. The one change with no event of its own is a lease
 * running out, which the server notices when someone next reads the lock: so a tab looks again
 * now and then while a lease is out (held, or asked to be handed over), and never while there is
 * none.
 */
export function lockPollInterval(state: LockState | undefined): number | false {
  return state?.lock ? LEASE_POLL_MS : false;
}

export function lockQueryOptions(id: string) {
  return queryOptions({
    queryKey: [...docsKeys.detail(id), 'lock'] as const,
    queryFn: async ({ signal }) => (await apiRequest<LockState>(concurrencyPaths.lock(id), { signal })).data,
    refetchInterval: (query) => lockPollInterval(query.state.data),
  });
}

export function useDocumentLock(id: string) {
  return useQuery(lockQueryOptions(id));
}

/** Takes, renews or (with `force`, after the user confirmed) breaks the lock; `null` releases it. */
export function useLockMutation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (request: LockRequest | null): Promise<LockState> => {
      if (request === null) {
        await apiRequest<null>(concurrencyPaths.lock(id), { method: 'DELETE' });
        return { lock: null, enforced: true };
      }
      return (await apiRequest<LockState>(concurrencyPaths.lock(id), { method: 'POST', body: request })).data;
    },
    onSuccess: (state) => queryClient.setQueryData(lockQueryOptions(id).queryKey, state),
    onSettled: () => queryClient.invalidateQueries({ queryKey: lockQueryOptions(id).queryKey }),
  });
}

/**
 * Taking over without breaking the lock (docs/protocol.md §1.11): `ask` asks the holder,
 * `handOver` is the holder's yes (the lease goes to the one who asked), `decline` the holder's
 * "keep editing" (or the asker's withdrawal).
 */
export function useTakeOverRequest(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (action: { kind: 'ask' } | { kind: 'hand-over'; to: string } | { kind: 'decline' }): Promise<void> => {
      if (action.kind === 'ask') await apiRequest<LockState>(concurrencyPaths.lockRequests(id), { method: 'POST' });
      else if (action.kind === 'decline') await apiRequest<null>(concurrencyPaths.lockRequests(id), { method: 'DELETE' });
      else await apiRequest<LockState>(concurrencyPaths.lockHandover(id), { method: 'POST', body: { to: action.to } satisfies HandOverRequest });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: lockQueryOptions(id).queryKey }),
  });
}

/** The lock event's document, or null when the data is not a lock event. */
export function lockEventDocument(data: string): string | null {
  try {
    const event = JSON.parse(data) as Partial<LockEvent> | null;
    return event && typeof event.docId === 'string' ? event.docId : null;
  } catch {
    return null;
  }
}
