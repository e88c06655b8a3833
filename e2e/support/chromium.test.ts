import { describe, expect, it } from 'vitest';
import {
  END_TO_END_TESTS,
  noBrowserMessage,
  chooseChromium,
  ensureChromium,
  type BrowserSurroundings,
  type CommandResult,
} from './chromium.ts';

const PLAYWRIGHT = '/root/.cache/ms-playwright/chromium-1234/chrome-linux/chrome';

/** A machine with the given executables on it; root with apt-get unless told otherwise. */
function machine(executables: string[], overrides: Partial<BrowserSurroundings> = {}): BrowserSurroundings {
  const present = new Set(executables);
  return {
    chromiumPath: undefined,
    playwrightChromium: PLAYWRIGHT,
    isExecutable: (file) => present.has(file),
    isRoot: true,
    hasAptGet: true,
    ...overrides,
  };
}

describe('chooseChromium', () => {
  it('takes the browser CHROMIUM_PATH names over every other', () => {
    const s = machine(['/opt/chrome/chrome', PLAYWRIGHT, '/usr/bin/chromium'], { chromiumPath: '/opt/chrome/chrome' });
    expect(chooseChromium(s)).toEqual({ kind: 'found', executable: '/opt/chrome/chrome', source: 'CHROMIUM_PATH' });
  });

  it('stops on a CHROMIUM_PATH that names nothing, rather than quietly using another browser', () => {
    const choice = chooseChromium(machine([PLAYWRIGHT, '/usr/bin/chromium'], { chromiumPath: '/opt/none' }));
    expect(choice.kind).toBe('missing');
    expect(choice.kind === 'missing' && choice.message).toMatch(/^CHROMIUM_PATH names \/opt\/none, which is not an executable file/);
  });

  it("takes Playwright's own Chromium, by its path, when it is installed", () => {
    expect(chooseChromium(machine([PLAYWRIGHT, '/usr/bin/chromium']))).toEqual({
      kind: 'found',
      executable: PLAYWRIGHT,
      source: 'playwright',
    });
  });

  it("takes Debian's /usr/bin/chromium when Playwright's is not installed", () => {
    expect(chooseChromium(machine(['/usr/bin/chromium']))).toEqual({
      kind: 'found',
      executable: '/usr/bin/chromium',
      source: 'system',
    });
  });

  it("takes the system's Chromium when Playwright has no build for the platform", () => {
    const s = machine(['/usr/bin/chromium-browser'], { playwrightChromium: undefined });
    expect(chooseChromium(s)).toEqual({ kind: 'found', executable: '/usr/bin/chromium-browser', source: 'system' });
  });

  it("installs Debian's chromium when nothing is there and the machine allows it (root, apt-get)", () => {
    expect(chooseChromium(machine([]))).toEqual({ kind: 'install-debian' });
  });

  it('names the two ways to get a browser when not root', () => {
    expect(chooseChromium(machine([], { isRoot: false }))).toEqual({ kind: 'missing', message: noBrowserMessage(END_TO_END_TESTS) });
  });

  it('names the two ways to get a browser where there is no apt-get', () => {
    expect(chooseChromium(machine([], { hasAptGet: false }))).toEqual({ kind: 'missing', message: noBrowserMessage(END_TO_END_TESTS) });
  });

  it('says it in one sentence that names both ways', () => {
    expect(noBrowserMessage(END_TO_END_TESTS)).toContain('npx playwright install chromium');
    expect(noBrowserMessage(END_TO_END_TESTS)).toContain('apt-get install chromium');
    expect(noBrowserMessage(END_TO_END_TESTS)).toContain('CHROMIUM_PATH');
    expect(noBrowserMessage(END_TO_END_TESTS).match(/[.!?](\s|$)/g)).toHaveLength(1);
  });
});

/** A machine whose apt-get puts Chromium at /usr/bin/chromium (or fails as told), recording what ran. */
function fakeMachine(options: { executables?: string[]; root?: boolean; apt?: boolean; failing?: string; purpose?: string } = {}) {
  const present = new Set(options.executables ?? []);
  const commands: string[] = [];
  const lines: string[] = [];
  const deps = {
    surroundings: () => machine([...present], { isRoot: options.root ?? true, hasAptGet: options.apt ?? true }),
    run: (command: string, args: string[]): CommandResult => {
      const line = [command, ...args].join(' ');
      commands.push(line);
      if (options.failing && line.startsWith(options.failing)) return { ok: false, output: 'E: Unable to locate package chromium\n' };
      if (args[0] === 'install') present.add('/usr/bin/chromium');
      return { ok: true, output: '' };
    },
    say: (line: string) => lines.push(line),
    purpose: options.purpose ?? END_TO_END_TESTS,
  };
  return { deps, commands, lines };
}

describe('ensureChromium', () => {
  it('runs nothing and says nothing when a browser is there', () => {
    const { deps, commands, lines } = fakeMachine({ executables: ['/usr/bin/chromium'] });
    expect(ensureChromium(deps)).toEqual({ ok: true, executable: '/usr/bin/chromium', source: 'system', installed: false });
    expect(commands).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("installs Debian's chromium with apt-get, saying so in one line, and then uses it", () => {
    const { deps, commands, lines } = fakeMachine();
    expect(ensureChromium(deps)).toEqual({ ok: true, executable: '/usr/bin/chromium', source: 'system', installed: true });
    expect(commands).toEqual(['apt-get update -qq', 'apt-get install -y -qq chromium']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/installing Debian's "chromium" package with apt-get/);
  });

  it('stops with apt-get\'s own output and the sentence when the install fails', () => {
    const { deps, commands } = fakeMachine({ failing: 'apt-get install' });
    const outcome = ensureChromium(deps);
    expect(outcome).toEqual({
      ok: false,
      message: `apt-get install -y -qq chromium failed (its output is above). ${noBrowserMessage(END_TO_END_TESTS)}`,
      output: 'E: Unable to locate package chromium\n',
    });
    expect(commands).toEqual(['apt-get update -qq', 'apt-get install -y -qq chromium']);
  });

  it('does not install after a failed apt-get update', () => {
    const { deps, commands } = fakeMachine({ failing: 'apt-get update' });
    expect(ensureChromium(deps).ok).toBe(false);
    expect(commands).toEqual(['apt-get update -qq']);
  });

  it('installs nothing when not root, and names the two ways', () => {
    const { deps, commands, lines } = fakeMachine({ root: false });
    expect(ensureChromium(deps)).toEqual({ ok: false, message: noBrowserMessage(END_TO_END_TESTS) });
    expect(commands).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('names what the browser is for, as its caller says, in what it says and in the sentence it stops with', () => {
    const installing = fakeMachine({ purpose: 'the UI benchmark' });
    expect(ensureChromium(installing.deps).ok).toBe(true);
    expect(installing.lines).toEqual(['No Chromium found: installing Debian\'s "chromium" package with apt-get for the UI benchmark.']);

    const failing = fakeMachine({ purpose: 'the screenshots', failing: 'apt-get update' });
    const outcome = ensureChromium(failing.deps);
    expect(outcome.ok === false && outcome.message).toMatch(/No Chromium to run the screenshots: /);
    expect(ensureChromium(fakeMachine({ purpose: 'the screenshots', root: false }).deps)).toEqual({ ok: false, message: noBrowserMessage('the screenshots') });
    expect(noBrowserMessage('the screenshots')).not.toContain('end-to-end');
  });

  it('installs nothing where there is no apt-get, and names the two ways', () => {
    const { deps, commands } = fakeMachine({ apt: false });
    expect(ensureChromium(deps)).toEqual({ ok: false, message: noBrowserMessage(END_TO_END_TESTS) });
    expect(commands).toEqual([]);
  });
});
