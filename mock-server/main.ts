/**
 * `npm start` / `npm run serve`: the mock server and the built app on one port.
 *
 *   tsx mock-server/main.ts [--port 5173] [--host 127.0.0.1] [--memory | --data data/documents.json]
 *                           [--conflict-status 409|412] [--latency ms] [--jitter ms] [--quiet]
 *
 * Environment: PORT, HOST, CONFLICT_STATUS, LATENCY_MS, JITTER_MS (flags win).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CorruptDataError } from './persistence.ts';
import { startServer } from './server.ts';

export const DEFAULT_DATA_FILE = 'data/documents.json';
const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');

function fail(message: string): never {
  console.error(`conflict-lab: ${message}`);
  process.exit(1);
}

function number(name: string, value: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) fail(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      memory: { type: 'boolean', default: false },
      data: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'conflict-status': { type: 'string' },
      latency: { type: 'string' },
      jitter: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('Usage: tsx mock-server/main.ts [--port N] [--host H] [--memory | --data FILE] [--conflict-status 409|412] [--latency MS] [--jitter MS] [--quiet]');
    return;
  }
  if (values.memory && values.data) fail('--memory and --data exclude each other.');

  const conflictStatus = number('--conflict-status', values['conflict-status'] ?? process.env.CONFLICT_STATUS, 409, 409, 412);
  if (conflictStatus !== 409 && conflictStatus !== 412) fail('--conflict-status must be 409 or 412.');
  const quiet = values.quiet;
  const color = process.stdout.isTTY && !process.env.NO_COLOR;

  let server;
  try {
    server = await startServer({
      port: number('--port', values.port ?? process.env.PORT, 5173, 0, 65535),
      host: values.host ?? process.env.HOST ?? '127.0.0.1',
      dataFile: values.memory ? null : resolve(values.data ?? DEFAULT_DATA_FILE),
      settings: {
        conflictStatus,
        latencyMs: number('--latency', values.latency ?? process.env.LATENCY_MS, 0),
        jitterMs: number('--jitter', values.jitter ?? process.env.JITTER_MS, 0),
      },
      ...(!quiet && { log: (line: string) => console.log(line) }),
      color,
      ...(existsSync(DIST) && { staticRoot: DIST }),
    });
  } catch (error) {
    if (error instanceof CorruptDataError) fail(error.message);
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') fail(`${error.message}: pick another --port.`);
    throw error;
  }

  const storage = values.memory ? 'in memory (nothing is saved)' : resolve(values.data ?? DEFAULT_DATA_FILE);
  console.log(`Conflict Lab on ${server.url}/  (documents: ${storage})`);
  if (!existsSync(DIST)) console.log('The app is not built yet (no dist/): run `npm run build`; the API works without it.');

  const stop = (signal: string) => {
    if (!quiet) console.log(`${signal}: closing event streams and writing the data file…`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

await main();
