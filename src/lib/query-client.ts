import { QueryClient } from '@tanstack/react-query';
import { isTransient } from './api-errors.ts';

const MAX_QUERY_RETRIES = 3;

/** Exponential backoff with a cap: 1 s, 2 s, 4 s, 8 s, 10 s… */
export function backoffDelay(attempt: number): number {
  return Math.min(1000 * 2 ** attempt, 10_000);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 404 or 410 will not heal by asking again; a dropped connection or a 503 may.
        retry: (failureCount, error) => isTransient(error) && failureCount < MAX_QUERY_RETRIES,
        retryDelay: backoffDelay,
        staleTime: 5_000,
      },
      // Mutations decide for themselves (the save retries transient failures, never a 409).
      mutations: { retry: false },
    },
  });
}
