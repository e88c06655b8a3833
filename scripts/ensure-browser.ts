/**
 * The first step of `npm run test:e2e`, `npm run bench:ui` and `npm run screenshots`: makes sure a
 * Chromium is there before the browser is launched, so a machine without one gets a sentence
 * instead of Playwright's "Executable doesn't exist" for every spec. The caller names itself
 * (`tsx scripts/ensure-browser.ts bench:ui`), so what is said is about what is about to run. The
 * choice itself lives in e2e/support/chromium.ts, beside the suite that uses it.
 */
import { END_TO_END_TESTS, currentSurroundings, ensureChromium, runQuietly } from '../e2e/support/chromium.ts';

const WHERE = { CHROMIUM_PATH: 'CHROMIUM_PATH', playwright: "Playwright's own", system: "the system's" } as const;

/** Each npm script that needs a browser: what the browser is for, and the line said once there is one. */
const CALLERS = {
  'test:e2e': { purpose: END_TO_END_TESTS, runsIn: 'End-to-end tests run in' },
  'bench:ui': { purpose: 'the UI benchmark', runsIn: 'The UI benchmark runs in' },
  screenshots: { purpose: 'the screenshots', runsIn: 'The screenshots are taken in' },
} as const;

const name = process.argv[2] ?? '';
const caller = Object.hasOwn(CALLERS, name) ? CALLERS[name as keyof typeof CALLERS] : undefined;

if (!caller) {
  console.error(`Usage: tsx scripts/ensure-browser.ts <${Object.keys(CALLERS).join(' | ')}> (the npm script about to use the browser).`);
  process.exitCode = 2;
} else {
  const outcome = ensureChromium({
    surroundings: currentSurroundings,
    run: runQuietly,
    say: (line) => console.log(line),
    purpose: caller.purpose,
  });
  if (outcome.ok) {
    console.log(`${caller.runsIn} ${WHERE[outcome.source]} Chromium: ${outcome.executable}`);
  } else {
    if (outcome.output) process.stderr.write(outcome.output.endsWith('\n') ? outcome.output : `${outcome.output}\n`);
    console.error(outcome.message);
    process.exitCode = 1;
  }
}
