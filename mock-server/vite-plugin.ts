/**
 * `npm run dev`: the mock server's app mounted into Vite's dev server, so the app and `/api`
 * share one origin and one process. Documents persist to the same data file as `npm start`, and
 * the settings come from the same environment variables, read by the same strict parser.
 */
import { resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import type { Plugin } from 'vite';
import { createApp } from './app.ts';
import { openStore } from './server.ts';
import { DEFAULT_DATA_FILE, exitWithSettingsError, SettingsError, settingsFromEnvironment, type LaunchSettings } from './settings.ts';

export interface ConflictLabApiOptions {
  /** The data file; null keeps documents in memory. Default DEFAULT_DATA_FILE in Vite's root. */
  dataFile?: string | null;
}

export function conflictLabApi(options: ConflictLabApiOptions = {}): Plugin {
  return {
    name: 'conflict-lab-api',
    configureServer(server) {
      let launch: LaunchSettings;
      try {
        launch = settingsFromEnvironment(process.env);
      } catch (error) {
        // The same line as the CLI's, not a dev server quietly running with a default instead.
        if (error instanceof SettingsError) exitWithSettingsError(error);
        throw error;
      }
      const dataFile = options.dataFile === undefined ? resolve(server.config.root, DEFAULT_DATA_FILE) : options.dataFile;
      const { store, writer } = openStore(dataFile);
      // The names Vite listens on are names the API answers to (docs/protocol.md §1.9).
      const viteHost = server.config.server.host;
      const allowedHosts = [...launch.settings.allowedHosts, launch.host, ...(typeof viteHost === 'string' ? [viteHost] : [])];
      const app = createApp(store, {
        log: (line) => server.config.logger.info(line, { timestamp: true }),
        color: true,
        settings: { ...launch.settings, allowedHosts },
      });
      const listener = getRequestListener(app.fetch, { overrideGlobalObjects: false });
      server.middlewares.use((req, res, next) => {
        // Not `use('/api', …)`: that would strip the prefix from req.url before the app sees it.
        if (req.url === '/api' || req.url?.startsWith('/api/') || req.url?.startsWith('/api?')) {
          void listener(req, res);
          return;
        }
        next();
      });
      // Vite restarts the server when its config changes: end streams and save before the next one opens the file.
      server.httpServer?.once('close', () => {
        app.shutdown();
        writer?.close();
      });
    },
  };
}
