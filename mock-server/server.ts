/**
 * Starting and stopping the mock server: open the store (from its data file, or in memory), make
 * the app, listen, and on close end the event streams, stop listening and flush the data file.
 * The CLI and the tests both start it through here.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, type ConflictLabApp } from './app.ts';
import { EventHub } from './events.ts';
import { loadSnapshot, SnapshotWriter, writeSnapshotAtomically } from './persistence.ts';
import type { ServerSettings } from './settings.ts';
import { DocumentStore } from './store.ts';

export interface ServerConfig {
  port: number;
  host: string;
  /** The JSON data file; null keeps everything in memory. */
  dataFile: string | null;
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

export interface OpenedStore {
  store: DocumentStore;
  writer: SnapshotWriter | null;
}

/** Throws CorruptDataError (and touches nothing) when the data file cannot be read. */
export function openStore(dataFile: string | null, now?: () => Date): OpenedStore {
  const clock = now ? { now } : {};
  if (dataFile === null) return { store: new DocumentStore(clock), writer: null };
  const snapshot = loadSnapshot(dataFile);
  const store = snapshot ? new DocumentStore({ snapshot, ...clock }) : new DocumentStore(clock);
  // A first start writes the sample documents at once, so their ids survive a restart.
  if (!snapshot) writeSnapshotAtomically(dataFile, store.snapshot());
  return { store, writer: new SnapshotWriter(dataFile, store) };
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const { store, writer } = openStore(config.dataFile, config.now);
  const events = new EventHub({
    ...(config.heartbeatMs !== undefined && { heartbeatMs: config.heartbeatMs }),
    ...(config.maxQueuedBytes !== undefined && { maxQueuedBytes: config.maxQueuedBytes }),
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

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  });
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
        try {
          writer?.close();
        } catch (writeError) {
          reject(writeError instanceof Error ? writeError : new Error(String(writeError)));
          return;
        }
        if (error) reject(error);
        else resolve();
      });
      if ('closeIdleConnections' in server) server.closeIdleConnections();
    });
    return closing;
  };

  return { url: `http://${hostInUrl}:${port}`, port, app, close };
}
