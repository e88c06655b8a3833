import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './e2e/support/chromium.ts';

const port = Number(process.env.E2E_PORT ?? 5199);
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: process.env.CI ? 2 : undefined,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  // A test's steps wait by expect; this limit only stops one that hangs. On two busy cores with two
  // workers the suite has run 2.7 times slower than on a quiet machine, which put a test that runs
  // axe over three layouts past 30 s: CI gives each test a minute.
  timeout: process.env.CI ? 60_000 : 30_000,
  use: {
    baseURL,
    trace: 'on-first-retry',
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: chromiumArgs,
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    // The production build served by the mock server, with throwaway in-memory state.
    command: `npm run build && npx tsx mock-server/main.ts --memory --quiet --port ${port}`,
    url: `${baseURL}/api/docs`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
