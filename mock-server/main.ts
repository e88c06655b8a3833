/**
 * `npm start` / `npm run serve`: the mock server and the built app on one port.
 *
 *   tsx mock-server/main.ts [--port 5173] [--host 127.0.0.1] [--memory | --data data | --database postgres://…]
 *                           [--conflict-status 409|412] [--latency ms] [--jitter ms]
 *                           [--concurrency none|timestamp|etag|lock|server-merge] [--quiet]
 *
 * Environment: PORT, HOST, DATABASE_URL, CONFLICT_STATUS, LATENCY_MS, JITTER_MS, CONCURRENCY (flags win);
 * ./settings.ts reads them.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.ts';
import { exitWithSettingsError, parseCommandLine, SettingsError, USAGE, type CommandLine } from './settings.ts';
import { describeStorage, type StorageConfig } from './storage/open.ts';
import { StoreOpenError } from './storage/types.ts';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');

function fail(message: string): never {
  console.error(`conflict-lab: ${message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let command: CommandLine;
  try {
    command = parseCommandLine(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof SettingsError) exitWithSettingsError(error);
    throw error;
  }
  if (command.help) {
    console.log(USAGE);
    return;
  }
  const { launch } = command;
  const storage: StorageConfig = launch.storage.kind === 'folder' ? { ...launch.storage, folder: resolve(launch.storage.folder) } : launch.storage;
  const color = process.stdout.isTTY && !process.env.NO_COLOR;

  let server;
  try {
    server = await startServer({
      port: launch.port,
      host: launch.host,
      storage,
      settings: launch.settings,
      ...(!launch.quiet && { log: (line: string) => console.log(line) }),
      color,
      ...(existsSync(DIST) && { staticRoot: DIST }),
    });
  } catch (error) {
    if (error instanceof StoreOpenError) fail(error.message);
    if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') fail(`${error.message}: pick another --port.`);
    throw error;
  }

  console.log(`Conflict Lab on ${server.url}/  (documents: ${describeStorage(storage)})`);
  if (!existsSync(DIST)) console.log('The app is not built yet (no dist/): run `npm run build`; the API works without it.');

  const stop = (signal: string) => {
    if (!launch.quiet) console.log(`${signal}: closing event streams and the store…`);
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
