import { serverMutationConfig } from './vitest.mutation-server.config.ts';

// The mutation tests of what both engines share (`npm run test:mutation -- server-store`): their
// own tests, the contract and the HTTP suites, on both engines (opening a PostgreSQL store is
// part of it), with a throwaway cluster (the global setup) unless TEST_DATABASE_URL names one.
export default serverMutationConfig({
  postgres: true,
  include: [
    'mock-server/storage/common.test.ts',
    'mock-server/storage/legacy-json.test.ts',
    'mock-server/storage/open.test.ts',
    'mock-server/storage/store-contract.test.ts',
    'mock-server/api.test.ts',
    'mock-server/idempotency.test.ts',
    'mock-server/reset-deletions.test.ts',
    'mock-server/revision-pages.test.ts',
    'mock-server/persistence.test.ts',
  ],
});
