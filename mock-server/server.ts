/**
 * Starting and stopping the mock server: open the store (a data folder, PostgreSQL, or memory),
 * make the app, listen, and on close end the event streams, stop listening and close the store.
 * The CLI and the tests both start it through here.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, type ConflictLabApp } from './app.ts';
import { EventHub } from './events.ts';
import type { ServerSettings } from './settings.ts';
import { openStore, type StorageConfig } from './storage/open.ts';

export interface ServerConfig {
  port: number;
  host: string;
  /** Where documents are kept; in memory when omitted. */
  storage?: StorageConfig;
  settings?: Partial<ServerSettings>;
  log?: (line: string) => void;
  color?: boolean;
  staticRoot?: string;
  heartbeatMs?: number;
  /** The most bytes queued for one event stream before it is closed (EventHub's default unless set). */
  maxQueuedBytes?: number;
  /** At most one presence snapshot per this many milliseconds (PresenceRegistry's default unless set). */
  presenceIntervalMs?: number;
  /** The clock of document saves and lock leases (a test's, for same-second races). */
  now?: () => Date;
}

export interface RunningServer {
  url: string;
  port: number;
  app: ConflictLabApp;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const store = await openStore({ ...(config.storage ?? { kind: 'memory' }), ...(config.now && { now: config.now }) });
  const events = new EventHub({
    ...(config.heartbeatMs !== undefined && { heartbeatMs: config.heartbeatMs }),
    ...(config.maxQueuedBytes !== undefined && { maxQueuedBytes: config.maxQueuedBytes }),
    ...(store.streamEpoch !== undefined && { epoch: store.streamEpoch }),
    ...(store.streamStart !== undefined && { start: store.streamStart }),
  });
  // The name it listens on is one the server answers to (docs/protocol.md §1.9).
  const allowedHosts = [...(config.settings?.allowedHosts ?? []), config.host];
  const app = createApp(store, {
    events,
    settings: { ...config.settings, allowedHosts },
    ...(config.log && { log: config.log }),
    ...(config.color !== undefined && { color: config.color }),
    ...(config.staticRoot && { staticRoot: config.staticRoot }),
    ...(config.presenceIntervalMs !== undefined && { presenceIntervalMs: config.presenceIntervalMs }),
    ...(config.now && { now: config.now }),
  });

  let server: ReturnType<typeof serve>;
  try {
    server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (error) {
    app.shutdown();
    await store.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const hostInUrl = config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      app.shutdown();
      // Keep-alive sockets (and event streams finishing their last write) would otherwise hold
      // close() open until they time out: close idle ones as they become idle, and after a grace
      // period close whatever is left.
      const sweep = setInterval(() => {
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      }, 25);
      const deadline = setTimeout(() => {
        if ('closeAllConnections' in server) server.closeAllConnections();
      }, 1000);
      server.close((error) => {
        clearInterval(sweep);
        clearTimeout(deadline);
        store.close().then(
          () => (error ? reject(error) : resolve()),
          (closeError: unknown) => reject(closeError instanceof Error ? closeError : new Error(String(closeError))),
        );
      });
      if ('closeIdleConnections' in server) server.closeIdleConnections();
    });
    return closing;
  };

  return { url: `http://${hostInUrl}:${port}`, port, app, close };
}
