/**
 * `npm run dev`: the mock server's app mounted into Vite's dev server, so the app and `/api`
 * share one origin and one process. Documents persist to the same data folder as `npm start` (so
 * the two cannot run on it at once: the second stops with a clear message), and the settings come
 * from the same environment variables (DATABASE_URL too), read by the same strict parser.
 */
import { resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import type { Plugin } from 'vite';
import { createApp } from './app.ts';
import { exitWithSettingsError, SettingsError, settingsFromEnvironment, type LaunchSettings } from './settings.ts';
import { openStore, type StorageConfig } from './storage/open.ts';
import { StoreOpenError } from './storage/types.ts';

export interface ConflictLabApiOptions {
  /** Where documents live; by default as the environment says (DATABASE_URL, else `data/` in Vite's root). */
  storage?: StorageConfig;
}

export function conflictLabApi(options: ConflictLabApiOptions = {}): Plugin {
  return {
    name: 'conflict-lab-api',
    async configureServer(server) {
      let launch: LaunchSettings;
      try {
        launch = settingsFromEnvironment(process.env);
      } catch (error) {
        // The same line as the CLI's, not a dev server quietly running with a default instead.
        if (error instanceof SettingsError) exitWithSettingsError(error);
        throw error;
      }
      const configured = options.storage ?? launch.storage;
      const storage = configured.kind === 'folder' ? { ...configured, folder: resolve(server.config.root, configured.folder) } : configured;
      let store;
      try {
        store = await openStore(storage);
      } catch (error) {
        if (error instanceof StoreOpenError) exitWithSettingsError(new SettingsError(error.message));
        throw error;
      }
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
      // Vite restarts the server when its config changes: end streams and close the store (which
      // releases the data folder at once) before the next one opens it.
      server.httpServer?.once('close', () => {
        app.shutdown();
        void store.close();
      });
    },
  };
}
