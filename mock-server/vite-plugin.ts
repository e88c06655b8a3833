/**
 * `npm run dev`: the mock server's app mounted into Vite's dev server, so the app and `/api`
 * share one origin and one process. Documents persist to the same data file as `npm start`.
 */
import { resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import type { Plugin } from 'vite';
import { createApp } from './app.ts';
import { openStore } from './server.ts';

export interface ConflictLabApiOptions {
  /** The data file; null keeps documents in memory. Default `data/documents.json`. */
  dataFile?: string | null;
}

export function conflictLabApi(options: ConflictLabApiOptions = {}): Plugin {
  return {
    name: 'conflict-lab-api',
    configureServer(server) {
      const dataFile = options.dataFile === undefined ? resolve(server.config.root, 'data/documents.json') : options.dataFile;
      const { store, writer } = openStore(dataFile);
      const app = createApp(store, {
        log: (line) => server.config.logger.info(line, { timestamp: true }),
        color: true,
        settings: {
          conflictStatus: process.env.CONFLICT_STATUS === '412' ? 412 : 409,
          latencyMs: Number(process.env.LATENCY_MS ?? 0) || 0,
          jitterMs: Number(process.env.JITTER_MS ?? 0) || 0,
        },
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
