import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

/**
 * Which Chromium runs the suite, the UI benchmark and the screenshots, decided once here.
 *
 * In order: the browser `CHROMIUM_PATH` names (an explicit choice wins, and a wrong one is an
 * error rather than a silent fallback); Playwright's own Chromium when it is installed (a
 * developer machine after `npx playwright install chromium`); Debian's `/usr/bin/chromium`. Where
 * none is there, `npm run test:e2e` installs Debian's `chromium` when it may (root, `apt-get`),
 * and otherwise stops with one sentence saying how to get a browser. Playwright's own download is
 * never tried on the way: its host is often unreachable where apt is not, and a hung download is
 * worse than a clear sentence.
 */

/** Where Debian and Ubuntu put a Chromium (or Chrome) of their own. */
export const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** What the choice depends on, passed in so that every branch can be tested on any machine. */
export interface BrowserSurroundings {
  /** The `CHROMIUM_PATH` environment variable. */
  chromiumPath: string | undefined;
  /** Where Playwright's own Chromium is, or would be once installed. */
  playwrightChromium: string | undefined;
  isExecutable(file: string): boolean;
  isRoot: boolean;
  hasAptGet: boolean;
}

export type BrowserSource = 'CHROMIUM_PATH' | 'playwright' | 'system';

export type BrowserChoice =
  | { kind: 'found'; executable: string; source: BrowserSource }
  /** Nothing is installed, but this machine may install Debian's `chromium`. */
  | { kind: 'install-debian' }
  | { kind: 'missing'; message: string };

/** What the suite needs a browser for, unless a caller says otherwise. */
export const END_TO_END_TESTS = 'the end-to-end tests';

/** The one sentence when there is no browser for `purpose` (e.g. "the UI benchmark"). */
export function noBrowserMessage(purpose: string): string {
  return (
    `No Chromium to run ${purpose}: install Playwright's own with "npx playwright install chromium", ` +
    'or install your system\'s (on Debian, "apt-get install chromium" as root) and, if it is not at ' +
    '/usr/bin/chromium, name it in CHROMIUM_PATH.'
  );
}

/** `purpose` names what the browser is for in the sentence said when there is none. */
export function chooseChromium(s: BrowserSurroundings, purpose = END_TO_END_TESTS): BrowserChoice {
  if (s.chromiumPath) {
    if (s.isExecutable(s.chromiumPath)) return { kind: 'found', executable: s.chromiumPath, source: 'CHROMIUM_PATH' };
    return {
      kind: 'missing',
      message: `CHROMIUM_PATH names ${s.chromiumPath}, which is not an executable file: point it at a Chromium, or unset it to use Playwright's or the system's.`,
    };
  }
  if (s.playwrightChromium && s.isExecutable(s.playwrightChromium)) {
    return { kind: 'found', executable: s.playwrightChromium, source: 'playwright' };
  }
  const system = SYSTEM_CHROMIUMS.find((file) => s.isExecutable(file));
  if (system) return { kind: 'found', executable: system, source: 'system' };
  if (s.isRoot && s.hasAptGet) return { kind: 'install-debian' };
  return { kind: 'missing', message: noBrowserMessage(purpose) };
}

/** A command's outcome, as much of it as the decision needs. */
export interface CommandResult {
  ok: boolean;
  output: string;
}

export interface EnsureDeps {
  surroundings(): BrowserSurroundings;
  run(command: string, args: string[]): CommandResult;
  say(line: string): void;
  /** What the browser is for ("the end-to-end tests", "the screenshots"), for what is said. */
  purpose: string;
}

export type EnsureOutcome =
  | { ok: true; executable: string; source: BrowserSource; installed: boolean }
  /** `output`: what a failed command printed, for the caller to show above the message. */
  | { ok: false; message: string; output?: string };

/**
 * Finds a Chromium, installing Debian's when that is the one way left. Says one line when it
 * installs; the caller prints the outcome.
 */
export function ensureChromium(deps: EnsureDeps): EnsureOutcome {
  const first = chooseChromium(deps.surroundings(), deps.purpose);
  if (first.kind === 'found') return { ok: true, executable: first.executable, source: first.source, installed: false };
  if (first.kind === 'missing') return { ok: false, message: first.message };

  deps.say(`No Chromium found: installing Debian's "chromium" package with apt-get for ${deps.purpose}.`);
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const result = deps.run('apt-get', args);
    if (!result.ok) {
      return {
        ok: false,
        message: `apt-get ${args.join(' ')} failed (its output is above). ${noBrowserMessage(deps.purpose)}`,
        output: result.output,
      };
    }
  }
  const after = chooseChromium(deps.surroundings(), deps.purpose);
  if (after.kind === 'found') return { ok: true, executable: after.executable, source: after.source, installed: true };
  return { ok: false, message: `apt-get installed "chromium", yet no Chromium is at ${SYSTEM_CHROMIUMS[0]}. ${noBrowserMessage(deps.purpose)}` };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && isExecutable(path.join(dir, command)));
}

function playwrightChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    // Playwright throws on a platform it has no build for: then it has no Chromium to offer.
    return undefined;
  }
}

/** This machine, as it is now. */
export function currentSurroundings(): BrowserSurroundings {
  return {
    chromiumPath: process.env.CHROMIUM_PATH || undefined,
    playwrightChromium: playwrightChromium(),
    isExecutable,
    isRoot: process.getuid?.() === 0,
    hasAptGet: onPath('apt-get'),
  };
}

/** Runs a command with its output kept back, so that a quiet success prints nothing. */
export function runQuietly(command: string, args: string[]): CommandResult {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
  return { ok: result.status === 0, output };
}

/**
 * The executable to launch. Always a path, Playwright's own included: left to itself, Playwright
 * launches its separate headless shell, which an install made with `--no-shell` lacks. Undefined
 * only where no browser is found; `npm run test:e2e` stops before that with a sentence instead.
 */
export function chromiumExecutable(): string | undefined {
  const choice = chooseChromium(currentSurroundings());
  return choice.kind === 'found' ? choice.executable : undefined;
}

/** Without these a machine with a closed network floods Chromium with refused connections. */
export const chromiumArgs = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
