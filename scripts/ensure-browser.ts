/**
 * The first step of `npm run test:e2e`: makes sure a Chromium is there before Playwright starts,
 * so a machine without one gets a sentence instead of Playwright's "Executable doesn't exist" for
 * every spec. The choice itself lives in e2e/support/chromium.ts, beside the suite that uses it.
 */
import { currentSurroundings, ensureChromium, runQuietly } from '../e2e/support/chromium.ts';

const WHERE = { CHROMIUM_PATH: 'CHROMIUM_PATH', playwright: "Playwright's own", system: "the system's" } as const;

const outcome = ensureChromium({
  surroundings: currentSurroundings,
  run: runQuietly,
  say: (line) => console.log(line),
});

if (outcome.ok) {
  console.log(`End-to-end tests run in ${WHERE[outcome.source]} Chromium: ${outcome.executable}`);
} else {
  if (outcome.output) process.stderr.write(outcome.output.endsWith('\n') ? outcome.output : `${outcome.output}\n`);
  console.error(outcome.message);
  process.exitCode = 1;
}
