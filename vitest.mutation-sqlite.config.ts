import { serverMutationConfig } from './vitest.mutation-server.config.ts';

// The embedded store's mutation tests (`npm run test:mutation -- server-sqlite`): the contract
// and the store's own tests, on the embedded engine only. The HTTP suites are left out: they
// call the store as the contract does, and each mutant that survives or stops a write would run
// them all (about half a minute more a mutant on two busy cores).
export default serverMutationConfig({
  postgres: false,
  include: [
    'mock-server/storage/store-contract.test.ts',
    'mock-server/storage/sqlite-store.test.ts',
    'mock-server/storage/sqlite-store-edges.test.ts',
    'mock-server/storage/sqlite-store-faults.test.ts',
    'mock-server/storage/full-disk.test.ts',
  ],
});
