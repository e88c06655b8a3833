import { mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

// The suite as `npm run test:mutation` runs it: Stryker's instrumentation makes every test several
// times slower (each statement counts its coverage and checks for the active mutant), so a test
// near the usual 30 s limit (the differential test against git) would fail the first run.
export default mergeConfig(base, { test: { testTimeout: 120_000 } });
