import { defineConfig } from 'vitest/config';

// Unit tests (the pure core, the store) and integration tests (the server over loopback HTTP).
// The Playwright suite under e2e/ (`*.spec.ts`) runs on its own (`npm run test:e2e`); its support
// code's own unit tests (`e2e/**/*.test.ts`) run here. The global setup starts a throwaway
// PostgreSQL cluster, so the server suites also run against that engine.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'mock-server/**/*.test.ts', 'bench/**/*.test.ts', 'e2e/**/*.test.ts', 'eslint.config.test.ts'],
    environment: 'node',
    globalSetup: ['mock-server/storage/postgres-setup.ts'],
    setupFiles: ['mock-server/storage/postgres-recycle.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
