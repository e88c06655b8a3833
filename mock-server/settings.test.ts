/**
 * The settings parser shared by the CLI and the Vite plugin: flags and environment, good and bad
 * values, unknown flags; then both real entry points refusing a bad value with the same line.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_FOLDER, parseCommandLine, SettingsError, settingsFromEnvironment, USAGE, type CommandLine } from './settings.ts';

function launch(command: CommandLine) {
  if (command.help) throw new Error('expected settings, got --help');
  return command.launch;
}

function refusal(run: () => unknown): SettingsError {
  try {
    run();
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error('expected a SettingsError');
}

describe('parseCommandLine', () => {
  it('gives the defaults for no flags and no environment', () => {
    expect(launch(parseCommandLine([], {}))).toEqual({
      port: 5173,
      host: '127.0.0.1',
      storage: { kind: 'folder', folder: DEFAULT_DATA_FOLDER },
      quiet: false,
      settings: { conflictStatus: 409, latencyMs: 0, jitterMs: 0, allowedHosts: [], concurrency: 'etag' },
    });
  });

  it('reads every flag', () => {
    const args = ['--port', '0', '--host', '::1', '--data', 'x/y', '--conflict-status', '412', '--latency', '120', '--jitter=30', '--concurrency', 'server-merge', '--quiet'];
    expect(launch(parseCommandLine(args, {}))).toEqual({
      port: 0,
      host: '::1',
      storage: { kind: 'folder', folder: 'x/y' },
      quiet: true,
      settings: { conflictStatus: 412, latencyMs: 120, jitterMs: 30, allowedHosts: [], concurrency: 'server-merge' },
    });
    expect(launch(parseCommandLine(['--memory'], {})).storage).toEqual({ kind: 'memory' });
    const url = 'postgres://cl@127.0.0.1:5432/cl';
    expect(launch(parseCommandLine(['--database', url], {})).storage).toEqual({ kind: 'postgres', url });
    expect(launch(parseCommandLine([], { DATABASE_URL: url })).storage).toEqual({ kind: 'postgres', url });
    // A flag for a data folder (or memory) wins over the variable.
    expect(launch(parseCommandLine(['--data', 'd'], { DATABASE_URL: url })).storage).toEqual({ kind: 'folder', folder: 'd' });
  });

  it('reads the environment, lets a flag win over it, and takes an empty variable as unset', () => {
    const env = { PORT: '6000', HOST: '0.0.0.0', CONFLICT_STATUS: '412', LATENCY_MS: '5', JITTER_MS: '', CONCURRENCY: 'none' };
    expect(launch(parseCommandLine([], env))).toMatchObject({
      port: 6000,
      host: '0.0.0.0',
      settings: { conflictStatus: 412, latencyMs: 5, jitterMs: 0, concurrency: 'none' },
    });
    expect(launch(parseCommandLine(['--port', '7000', '--conflict-status', '409'], env))).toMatchObject({
      port: 7000,
      settings: { conflictStatus: 409 },
    });
  });

  it('reads the host names to answer to from --allowed-hosts or ALLOWED_HOSTS', () => {
    expect(launch(parseCommandLine(['--allowed-hosts', 'Lab.Example, .corp.example'], {})).settings.allowedHosts).toEqual([
      'lab.example',
      '.corp.example',
    ]);
    expect(launch(parseCommandLine([], { ALLOWED_HOSTS: 'lab.example' })).settings.allowedHosts).toEqual(['lab.example']);
    expect(settingsFromEnvironment({ ALLOWED_HOSTS: 'lab.example' }).settings.allowedHosts).toEqual(['lab.example']);
  });

  it('answers --help and -h with the usage, not settings', () => {
    expect(parseCommandLine(['--help'], {})).toEqual({ help: true });
    expect(parseCommandLine(['-h'], { CONFLICT_STATUS: 'bad' })).toEqual({ help: true });
  });

  it.each([
    [['--conflict-status', '410'], {}, '--conflict-status must be 409 or 412 (got "410").'],
    [['--conflict-status', 'x'], {}, '--conflict-status must be 409 or 412 (got "x").'],
    [[], { CONFLICT_STATUS: '500' }, 'CONFLICT_STATUS must be 409 or 412 (got "500").'],
    [['--port', '70000'], {}, '--port must be a whole number from 0 to 65535 (got "70000").'],
    [[], { PORT: '80a' }, 'PORT must be a whole number from 0 to 65535 (got "80a").'],
    [['--latency', 'lots'], {}, '--latency must be a whole number from 0 to 10000 (got "lots").'],
    [['--latency', '1.5'], {}, '--latency must be a whole number from 0 to 10000 (got "1.5").'],
    [[], { LATENCY_MS: '-1' }, 'LATENCY_MS must be a whole number from 0 to 10000 (got "-1").'],
    [['--jitter', '1e3'], {}, '--jitter must be a whole number from 0 to 10000 (got "1e3").'],
    [[], { JITTER_MS: '10001' }, 'JITTER_MS must be a whole number from 0 to 10000 (got "10001").'],
    [['--allowed-hosts', 'a.example,,b'], {}, '--allowed-hosts must be host names separated by commas, e.g. lab.example,.lan (got "" in "a.example,,b").'],
    [[], { ALLOWED_HOSTS: 'http://a.example' }, 'ALLOWED_HOSTS must be host names separated by commas, e.g. lab.example,.lan (got "http://a.example" in "http://a.example").'],
    [['--concurrency', 'optimistic'], {}, '--concurrency must be one of none, timestamp, etag, lock, server-merge (got "optimistic").'],
    [[], { CONCURRENCY: 'ETAG' }, 'CONCURRENCY must be one of none, timestamp, etag, lock, server-merge (got "ETAG").'],
    [[], { DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://db/x").'],
  ])('refuses %j with %j, naming what was typed', (args, env, message) => {
    const error = refusal(() => parseCommandLine(args, env));
    expect(error.message).toBe(message);
    expect(error.showUsage).toBe(false);
  });

  it.each([
    [['--consistency', 'x'], 'unknown option --consistency.'],
    [['-x'], 'unknown option -x.'],
    [['--port'], "Option '--port <value>' argument missing."],
    [['--quiet=yes'], "Option '--quiet' does not take an argument."],
    [['extra'], "Unexpected argument 'extra'."],
    [['--memory', '--data', 'a'], '--memory and --data exclude each other.'],
    [['--data', 'a', '--database', 'postgres://x/y'], '--data and --database exclude each other.'],
    [['--data', ''], '--data needs a folder name.'],
  ])('refuses the malformed command line %j in one sentence, with the usage', (args, message) => {
    const error = refusal(() => parseCommandLine(args, {}));
    expect(error.message).toBe(message);
    expect(error.showUsage).toBe(true);
  });
});

describe('settingsFromEnvironment', () => {
  it('reads what the CLI reads from the environment, and refuses the same bad values', () => {
    const env = { CONFLICT_STATUS: '412', LATENCY_MS: '40' };
    expect(settingsFromEnvironment(env)).toEqual(launch(parseCommandLine([], env)));
    expect(refusal(() => settingsFromEnvironment({ CONFLICT_STATUS: 'yes' })).message).toBe(
      refusal(() => parseCommandLine([], { CONFLICT_STATUS: 'yes' })).message,
    );
  });
});

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');

/** Runs a command that must fail; its exit code and what it wrote to stderr. */
async function failure(file: string, args: string[], env: Record<string, string>): Promise<{ code: unknown; stderr: string }> {
  try {
    await run(file, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 20_000 });
  } catch (error) {
    const { code, stderr } = error as { code: unknown; stderr: string };
    return { code, stderr };
  }
  throw new Error(`${file} ${args.join(' ')} did not fail`);
}

const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const VITE = resolve(ROOT, 'node_modules/.bin/vite');

describe('the entry points', () => {
  it('the CLI answers an unknown flag with one line and the usage, not a stack trace', async () => {
    const { code, stderr } = await failure(TSX, ['mock-server/main.ts', '--consistency', 'x'], {});
    expect(code).toBe(1);
    expect(stderr).toBe(`conflict-lab: unknown option --consistency.\n${USAGE}\n`);
  });

  it('`npm run dev` stops on a bad CONFLICT_STATUS with the same line as the CLI', async () => {
    const env = { CONFLICT_STATUS: '410', PORT: '5331' };
    const cli = await failure(TSX, ['mock-server/main.ts', '--memory'], env);
    const dev = await failure(VITE, ['--clearScreen', 'false'], env);
    expect(cli).toEqual({ code: 1, stderr: 'conflict-lab: CONFLICT_STATUS must be 409 or 412 (got "410").\n' });
    expect(dev.code).toBe(1);
    expect(dev.stderr).toContain(cli.stderr);
    expect(dev.stderr).not.toMatch(/\n\s+at /);
  });
});
