import { serverMutationConfig } from './vitest.mutation-server.config.ts';

// The PostgreSQL store's mutation tests (`npm run test:mutation -- server-postgres`): the contract
// and the HTTP suites that run on both engines, with a throwaway cluster (the global setup).
export default serverMutationConfig({
  postgres: true,
  include: [
    'mock-server/storage/open.test.ts',
    'mock-server/storage/store-contract.test.ts',
    'mock-server/storage/postgres-edges.test.ts',
    'mock-server/storage/postgres-faults.test.ts',
    'mock-server/storage/postgres-full-disk.test.ts',
    'mock-server/storage/postgres-feed.test.ts',
    'mock-server/idempotency.test.ts',
    'mock-server/reset-deletions.test.ts',
    'mock-server/concurrency/history.test.ts',
  ],
});
