import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * Which Chromium runs the suite and the UI benchmark: Playwright's own browser when it is
 * installed (a normal developer machine after `npx playwright install chromium`), else
 * `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium` (what .ci/run installs on a machine that
 * cannot download browsers). `undefined` lets Playwright use its own.
 */
export function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  let bundled: string | undefined;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled && existsSync(bundled)) return undefined;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Without these a machine with a closed network floods Chromium with refused connections. */
export const chromiumArgs = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
