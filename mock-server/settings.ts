/**
 * The server's settings, read once and strictly from the command line and the environment, for
 * the CLI (`npm start`) and the Vite plugin (`npm run dev`) alike: a bad value stops either with
 * the same one-line message, never with a default put in its place or a stack trace.
 *
 *   flags: --port N  --host H  --allowed-hosts NAMES  --memory | --data FOLDER | --database postgres://…
 *          --conflict-status 409|412  --latency MS  --jitter MS  --concurrency none|timestamp|etag|lock|server-merge
 *          --quiet  --help
 *   environment: PORT, HOST, ALLOWED_HOSTS, DATABASE_URL, CONFLICT_STATUS, LATENCY_MS, JITTER_MS, CONCURRENCY
 *   (a flag wins; empty is unset; --memory or --data wins over DATABASE_URL)
 */
import { parseArgs } from 'node:util';
import { DEFAULT_BODY_LIMIT } from '../src/protocol/types.ts';
import { concurrencyModes, DEFAULT_CONCURRENCY, isConcurrencyMode, type ConcurrencyMode } from '../src/protocol/concurrency.ts';
import { MAX_DELAY_MS } from './simulation.ts';
import type { StorageConfig } from './storage/open.ts';

/**
 * Settings that may change while the server runs (the app's simulation controls change them), so
 * every request reads them afresh from this one object.
 */
export interface ServerSettings {
  /** The status of a failed If-Match: 409 by default, or RFC 9110's own 412. */
  conflictStatus: 409 | 412;
  /** Simulated network delay added to every API request, in milliseconds. */
  latencyMs: number;
  /** Up to this many extra milliseconds, drawn at random per request. */
  jitterMs: number;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /**
   * Host names the server answers to besides loopback names and IP addresses (./request-guard.ts):
   * the listening host and `--allowed-hosts`. A name starting with "." covers its subdomains too.
   */
  allowedHosts: string[];
  /** How writes are guarded, for every document without a mode of its own (docs/protocol.md §1.11). */
  concurrency: ConcurrencyMode;
}

export function defaultSettings(): ServerSettings {
  return { conflictStatus: 409, latencyMs: 0, jitterMs: 0, bodyLimit: DEFAULT_BODY_LIMIT, allowedHosts: [], concurrency: DEFAULT_CONCURRENCY };
}

/** Where documents are kept unless told otherwise, relative to the folder the server starts in. */
export const DEFAULT_DATA_FOLDER = 'data';
export const DEFAULT_PORT = 5173;
export const DEFAULT_HOST = '127.0.0.1';

export const USAGE =
  'Usage: tsx mock-server/main.ts [--port N] [--host H] [--allowed-hosts NAME,…] [--memory | --data FOLDER | --database postgres://…] [--conflict-status 409|412] [--latency MS] [--jitter MS] [--concurrency MODE] [--quiet]';

export interface LaunchSettings {
  port: number;
  host: string;
  /** Where documents live: in memory, a data folder as given (relative to the working folder), or PostgreSQL. */
  storage: StorageConfig;
  quiet: boolean;
  settings: Pick<ServerSettings, 'conflictStatus' | 'latencyMs' | 'jitterMs' | 'allowedHosts' | 'concurrency'>;
}

export type CommandLine = { help: true } | { help: false; launch: LaunchSettings };

/** A setting the server cannot start with; `showUsage` when the command line itself is malformed. */
export class SettingsError extends Error {
  readonly showUsage: boolean;
  constructor(message: string, showUsage = false) {
    super(message);
    this.name = 'SettingsError';
    this.showUsage = showUsage;
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'allowed-hosts': { type: 'string' },
  memory: { type: 'boolean', default: false },
  data: { type: 'string' },
  database: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  'conflict-status': { type: 'string' },
  latency: { type: 'string' },
  jitter: { type: 'string' },
  concurrency: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** A value and where it came from, so a message names what the user typed. */
interface Source {
  name: string;
  value: string;
}

/** The flag when given, else the environment variable when set and not empty, else nothing. */
function pick(flag: string, flagValue: string | undefined, variable: string, env: Environment): Source | null {
  if (flagValue !== undefined) return { name: `--${flag}`, value: flagValue };
  const fromEnv = env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return { name: variable, value: fromEnv };
  return null;
}

function wholeNumber(source: Source | null, fallback: number, min: number, max: number): number {
  if (source === null) return fallback;
  const n = /^[0-9]+$/.test(source.value.trim()) ? Number(source.value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new SettingsError(`${source.name} must be a whole number from ${min} to ${max} (got "${source.value}").`);
  }
  return n;
}

function conflictStatus(source: Source | null): 409 | 412 {
  if (source === null) return 409;
  const value = source.value.trim();
  if (value === '409') return 409;
  if (value === '412') return 412;
  throw new SettingsError(`${source.name} must be 409 or 412 (got "${source.value}").`);
}

function concurrency(source: Source | null): ConcurrencyMode {
  if (source === null) return DEFAULT_CONCURRENCY;
  const value = source.value.trim();
  if (isConcurrencyMode(value)) return value;
  throw new SettingsError(`${source.name} must be one of ${concurrencyModes.join(', ')} (got "${source.value}").`);
}

/** Node's parseArgs error in one sentence of ours: its own message runs on with advice for scripts. */
function commandLineError(error: unknown): SettingsError | null {
  if (!(error instanceof TypeError) || !('code' in error) || typeof error.code !== 'string') return null;
  if (!error.code.startsWith('ERR_PARSE_ARGS_')) return null;
  const unknown = /^Unknown option '([^']*)'/.exec(error.message);
  if (unknown) return new SettingsError(`unknown option ${unknown[1]}.`, true);
  const firstSentence = error.message.split(/\.\s/)[0]?.replace(/\.$/, '') ?? error.message;
  return new SettingsError(`${firstSentence}.`, true);
}

/** A host name, or one starting with "." for a domain and its subdomains. */
const HOST_NAME = /^\.?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

function hostList(source: Source | null): string[] {
  if (source === null) return [];
  const names = source.value.split(',').map((name) => name.trim());
  const bad = names.find((name) => !HOST_NAME.test(name));
  if (bad !== undefined) {
    throw new SettingsError(`${source.name} must be host names separated by commas, e.g. lab.example,.lan (got "${bad}" in "${source.value}").`);
  }
  return names.map((name) => name.toLowerCase());
}

interface Flags {
  port?: string;
  host?: string;
  'allowed-hosts'?: string;
  memory?: boolean;
  data?: string;
  database?: string;
  quiet?: boolean;
  'conflict-status'?: string;
  latency?: string;
  jitter?: string;
  concurrency?: string;
}

function launchSettings(flags: Flags, env: Environment): LaunchSettings {
  const chosen = [flags.memory && '--memory', flags.data !== undefined && '--data', flags.database !== undefined && '--database'].filter(Boolean);
  if (chosen.length > 1) throw new SettingsError(`${chosen.join(' and ')} exclude each other.`, true);
  if (flags.data === '') throw new SettingsError('--data needs a folder name.', true);
  const host = pick('host', flags.host, 'HOST', env)?.value.trim() ?? DEFAULT_HOST;
  if (host === '') throw new SettingsError('--host needs a host name or address.', true);
  return {
    port: wholeNumber(pick('port', flags.port, 'PORT', env), DEFAULT_PORT, 0, 65535),
    host,
    storage: storage(flags, env),
    quiet: flags.quiet ?? false,
    settings: {
      conflictStatus: conflictStatus(pick('conflict-status', flags['conflict-status'], 'CONFLICT_STATUS', env)),
      latencyMs: wholeNumber(pick('latency', flags.latency, 'LATENCY_MS', env), 0, 0, MAX_DELAY_MS),
      jitterMs: wholeNumber(pick('jitter', flags.jitter, 'JITTER_MS', env), 0, 0, MAX_DELAY_MS),
      allowedHosts: hostList(pick('allowed-hosts', flags['allowed-hosts'], 'ALLOWED_HOSTS', env)),
      concurrency: concurrency(pick('concurrency', flags.concurrency, 'CONCURRENCY', env)),
    },
  };
}

/** --memory, --data, --database, else DATABASE_URL, else the default data folder. */
function storage(flags: Flags, env: Environment): StorageConfig {
  if (flags.memory) return { kind: 'memory' };
  if (flags.data !== undefined) return { kind: 'folder', folder: flags.data };
  const database = pick('database', flags.database, 'DATABASE_URL', env);
  if (database === null) return { kind: 'folder', folder: DEFAULT_DATA_FOLDER };
  if (!/^postgres(ql)?:\/\/./.test(database.value.trim())) {
    throw new SettingsError(`${database.name} must be a postgres:// or postgresql:// URL (got "${database.value}").`);
  }
  return { kind: 'postgres', url: database.value.trim() };
}

/** Reads the command line (without `node` and the script) and the environment; throws SettingsError. */
export function parseCommandLine(args: readonly string[], env: Environment): CommandLine {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw commandLineError(error) ?? error;
  }
  if (values.help) return { help: true };
  return { help: false, launch: launchSettings(values, env) };
}

/** The settings from the environment alone: what `npm run dev` runs with. Throws SettingsError. */
export function settingsFromEnvironment(env: Environment): LaunchSettings {
  return launchSettings({}, env);
}

/** Says what is wrong in one line (and the usage, for a malformed command line) and exits with 1. */
export function exitWithSettingsError(error: SettingsError): never {
  console.error(`conflict-lab: ${error.message}`);
  if (error.showUsage) console.error(USAGE);
  process.exit(1);
}
