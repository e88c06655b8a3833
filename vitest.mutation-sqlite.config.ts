import { serverMutationConfig } from './vitest.mutation-server.config.ts';

// The embedded store's mutation tests (`npm run test:mutation -- server-sqlite`): the contract,
// the store's own tests, and the HTTP suites that reach the store, on the embedded engine only.
export default serverMutationConfig({
  postgres: false,
  include: [
    'mock-server/storage/store-contract.test.ts',
    'mock-server/storage/sqlite-store.test.ts',
    'mock-server/storage/sqlite-store-edges.test.ts',
    'mock-server/storage/full-disk.test.ts',
    'mock-server/api.test.ts',
    'mock-server/idempotency.test.ts',
    'mock-server/reset-deletions.test.ts',
    'mock-server/revision-pages.test.ts',
    'mock-server/persistence.test.ts',
  ],
});
