/**
 * The HTTP API of docs/protocol.md §1 as a Hono app, apart from any CLI or listening socket, so the
 * CLI, the Vite dev server, the tests and the benchmark all run the very same app. It is three
 * sub-apps mounted on one: the documents (the protocol), the event stream with presence, and the
 * simulation controls; what they answer is built in ./responses.ts.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { EventHub } from './events.ts';
import { PresenceRegistry } from './presence.ts';
import { internalErrorProblem, noRouteProblem } from './responses.ts';
import { documentRoutes } from './routes/documents.ts';
import { eventRoutes } from './routes/events.ts';
import { simulationRoutes } from './routes/simulation.ts';
import { defaultSettings, type ServerSettings } from './settings.ts';
import { Bot } from './simulation.ts';
import type { DocumentStore } from './store.ts';

export interface AppOptions {
  settings?: Partial<ServerSettings>;
  /** The event stream; one is made when omitted. */
  events?: EventHub;
  /** Receives one line per API request; nothing is logged when omitted. */
  log?: (line: string) => void;
  /** Highlight conflicts in the log with ANSI colours (for a terminal). */
  color?: boolean;
  /** Serve the built app from this folder, with the SPA fallback to its index.html. */
  staticRoot?: string;
}

export type ConflictLabApp = Hono & {
  settings: ServerSettings;
  events: EventHub;
  store: DocumentStore;
  bot: Bot;
  presence: PresenceRegistry;
  /** Stops what runs on its own (the bot, heartbeats), ends every event stream, forgets presence. */
  shutdown(): void;
};

const ANSI = { reset: '\u001b[0m', yellow: '\u001b[1;33m', red: '\u001b[1;31m' };

/** One line per API request: method, path, If-Match, status, ETag and time; conflicts marked. */
function requestLog(log: (line: string) => void, color: boolean): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = (performance.now() - started).toFixed(1);
    const status = c.res.status;
    const ifMatch = c.req.header('if-match');
    const etag = c.res.headers.get('etag');
    let line = `${c.req.method} ${c.req.path} If-Match=${ifMatch ?? '-'} → ${status} ETag=${etag ?? '-'} ${ms}ms`;
    if (color) {
      if (status === 409 || status === 412) line = `${ANSI.yellow}${line}  (conflict)${ANSI.reset}`;
      else if (status >= 500) line = `${ANSI.red}${line}${ANSI.reset}`;
    } else if (status === 409 || status === 412) {
      line += '  (conflict)';
    }
    log(line);
  };
}

export function createApp(store: DocumentStore, options: AppOptions = {}): ConflictLabApp {
  const settings: ServerSettings = { ...defaultSettings(), ...options.settings };
  const events = options.events ?? new EventHub();
  const bot = new Bot(store);
  const presence = new PresenceRegistry({ onChange: (snapshot) => events.broadcastNamed('presence', snapshot) });
  const parts = { store, settings, events, presence, bot };

  store.subscribe((change) => {
    const { document, etag } = change.revision;
    events.publish({
      type: change.type,
      id: document.id,
      version: document.version,
      etag,
      updatedBy: change.type === 'deleted' ? change.by : document.updatedBy,
      updatedAt: change.type === 'deleted' ? change.at : document.updatedAt,
    });
  });

  const hono = new Hono();
  if (options.log) hono.use('/api/*', requestLog(options.log, options.color ?? false));
  hono.use('/api/*', async (c, next) => {
    const delay = settings.latencyMs + Math.random() * settings.jitterMs;
    if (delay > 0 && c.req.path !== '/api/events') await new Promise((resolve) => setTimeout(resolve, delay));
    await next();
  });

  hono.route('/api', documentRoutes(parts));
  hono.route('/api', eventRoutes(parts));
  hono.route('/api', simulationRoutes(parts));
  hono.all('/api/*', noRouteProblem);
  hono.all('/api', noRouteProblem);

  if (options.staticRoot) {
    const root = options.staticRoot;
    hono.get('*', serveStatic({ root }));
    // Client-side routes such as /docs/d_123 have no file: they get the app shell. A path that
    // looks like a file (has an extension) and is missing stays a 404.
    hono.get('*', async (c, next) => {
      if (/\.[a-z0-9]+$/i.test(c.req.path)) return next();
      return serveStatic({ root, path: 'index.html' })(c, next);
    });
  }

  hono.notFound((c) => c.text('Not found', 404));

  hono.onError((error, c) => {
    // The log gets the stack; the client gets a problem that reveals nothing of the code.
    console.error(`${c.req.method} ${c.req.path} failed:`, error);
    return internalErrorProblem();
  });

  const shutdown = () => {
    bot.stop();
    events.close();
    presence.close();
  };
  return Object.assign(hono, { settings, events, store, bot, presence, shutdown });
}
