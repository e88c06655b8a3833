/**
 * The HTTP API of docs/protocol.md §1 as a Hono app, apart from any CLI or listening socket, so the
 * CLI, the Vite dev server, the tests and the benchmark all run the very same app. It is three
 * sub-apps mounted on one: the documents (the protocol), the event stream with presence, and the
 * simulation controls; what they answer is built in ./responses.ts.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { decodeUserHeader } from '../src/protocol/user-header.ts';
import { EventHub } from './events.ts';
import { escapeForLog } from './log-line.ts';
import { PresenceRegistry } from './presence.ts';
import { ClientAbortError } from './request-body.ts';
import { requestGuard } from './request-guard.ts';
import { internalErrorProblem, noRouteProblem, problem, storageProblem } from './responses.ts';
import type { ConcurrencyMode } from '../src/protocol/concurrency.ts';
import { overwrittenSince } from './concurrency/history.ts';
import { LockTable } from './concurrency/locks.ts';
import { modeOf } from './concurrency/writes.ts';
import { concurrencyRoutes } from './routes/concurrency.ts';
import { documentRoutes } from './routes/documents.ts';
import { eventRoutes } from './routes/events.ts';
import { simulationRoutes } from './routes/simulation.ts';
import { recordConflicts, statsRoutes } from './routes/stats.ts';
import { defaultSettings, type ServerSettings } from './settings.ts';
import { Bot } from './simulation.ts';
import { coalesce, ConflictStats } from './stats.ts';
import { StorageError, type Store, type StoreChange } from './storage/types.ts';

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
  /** At most one presence snapshot per this many milliseconds (PresenceRegistry's default unless set). */
  presenceIntervalMs?: number;
  /** The clock of lock leases (a test's, to make expiry deterministic). */
  now?: () => Date;
  /** How long the `event: stats` frame waits to gather a burst of events into one (default 500 ms). */
  statsFrameMs?: number;
}

export type ConflictLabApp = Hono & {
  settings: ServerSettings;
  events: EventHub;
  store: Store;
  bot: Bot;
  presence: PresenceRegistry;
  locks: LockTable;
  documentModes: Map<string, ConcurrencyMode>;
  stats: ConflictStats;
  /** Stops what runs on its own (the bot, heartbeats), ends every event stream, forgets presence, stops hearing the store. */
  shutdown(): void;
};

const ANSI = { reset: '\u001b[0m', yellow: '\u001b[1;33m', red: '\u001b[1;31m' };

/** The acting user as a log line shows it: the decoded name, or the header as sent when it does not decode. */
function userForLog(header: string | undefined): string {
  const decoded = decodeUserHeader(header);
  // Stryker disable next-line LogicalOperator,StringLiteral: a header that does not decode was sent, so it is never undefined here.
  return decoded.ok ? decoded.user : (header ?? '');
}

/**
 * Whether the client went away before its request was answered (an aborted upload): the request
 * stream of @hono/node-server ended without the whole message.
 */
function clientWentAway(env: unknown): boolean {
  const incoming = (env as { incoming?: { destroyed?: boolean; complete?: boolean } } | undefined)?.incoming;
  return incoming?.destroyed === true && incoming.complete === false;
}

/**
 * One line per API request: method, path, If-Match, status, ETag, time and user; conflicts marked.
 * Every part taken from the request is escaped (./log-line.ts), so no request can forge a line.
 */
function requestLog(log: (line: string) => void, color: boolean): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = (performance.now() - started).toFixed(1);
    const status = c.res.status;
    const ifMatch = c.req.header('if-match');
    const etag = c.res.headers.get('etag');
    const request = `${c.req.method} ${c.req.path}`;
    if (clientWentAway(c.env)) {
      log(escapeForLog(`${request}: the client went away before the request was complete (${ms}ms)`));
      return;
    }
    let line = escapeForLog(
      `${request} If-Match=${ifMatch ?? '-'} → ${status} ETag=${etag ?? '-'} ${ms}ms by ${userForLog(c.req.header('x-user'))}`,
    );
    if (color) {
      if (status === 409 || status === 412) line = `${ANSI.yellow}${line}  (conflict)${ANSI.reset}`;
      else if (status >= 500) line = `${ANSI.red}${line}${ANSI.reset}`;
    } else if (status === 409 || status === 412) {
      line += '  (conflict)';
    }
    log(line);
  };
}

export function createApp(store: Store, options: AppOptions = {}): ConflictLabApp {
  const settings: ServerSettings = { ...defaultSettings(), ...options.settings };
  const events = options.events ?? new EventHub();
  const bot = new Bot(store);
  const presence = new PresenceRegistry({
    onChange: (snapshot) => events.broadcastNamed('presence', snapshot),
    ...(options.presenceIntervalMs !== undefined && { intervalMs: options.presenceIntervalMs }),
  });
  const locks = new LockTable({ ...(options.now && { now: options.now }), onChange: (event) => events.broadcastNamed('lock', event) });
  const documentModes = new Map<string, ConcurrencyMode>();
  const statsFrame = coalesce(() => events.broadcastNamed('stats', stats.snapshot()), options.statsFrameMs ?? 500);
  const stats = new ConflictStats({ onChange: statsFrame.schedule });
  const parts = { store, settings, events, presence, bot, locks, documentModes, stats };
  // Conflicts are counted under the mode that guarded the document's writes.
  const mode = (docId: string): ConcurrencyMode => modeOf(parts, docId);

  // A save that did not start from the version it replaced may have dropped changes: which ones
  // is read from the history, so its event waits for that read. Events keep their commit order:
  // while one waits, the ones after it queue behind it.
  let pending: Promise<void> | null = null;
  const publish = (change: StoreChange, overwrote: number[] = []) => {
    const { type, id, version, etag, updatedBy, updatedAt, seq, reason } = change;
    events.publish(
      {
        type,
        id,
        version,
        etag,
        updatedBy,
        updatedAt,
        ...(overwrote.length > 0 && { overwrote }),
        // Stryker disable next-line LogicalOperator: only a deletion's change carries a reason, and JSON leaves out a reason that is undefined.
        ...(type === 'deleted' && reason && { reason }),
      },
      seq,
    );
  };
  const withOverwrites = async (change: StoreChange): Promise<void> => {
    // Which versions it dropped goes with the event to every tab; the lost updates are counted by
    // the server that answered the save (routes/stats.ts), not by every server that hears of it.
    const overwrote = await overwrittenSince(store, change.id, change.version);
    publish(change, overwrote);
  };
  const inOrder = (task: () => void | Promise<void>, failed: () => void = () => {}) => {
    const run = (pending ?? Promise.resolve()).then(task).catch(failed);
    pending = run;
    // Stryker disable next-line BlockStatement: a queue never emptied only sends each later change one turn later, in the same order.
    void run.then(() => {
      if (pending === run) pending = null;
    });
  };
  const unsubscribe = store.subscribe((change) => {
    // Stryker disable next-line LogicalOperator: a change that needs no history read then gets one, which finds nothing overwritten: the same event, one turn later.
    const needsHistory = change.type === 'updated' && change.replaced !== undefined && change.basedOn !== change.replaced;
    // Stryker disable next-line BlockStatement: without the shortcut the change goes through the queue: the same event, one turn later.
    if (!needsHistory && !pending) {
      publish(change);
      return;
    }
    // A failed read still tells the change, only without what it overwrote.
    inOrder(() => (needsHistory ? withOverwrites(change) : publish(change)), () => publish(change));
  });
  // Changes this server missed (another server's pruning got there first): every tab refetches.
  const unsubscribeMissed = store.subscribeMissed?.((after) => {
    if (pending) inOrder(() => events.expire(after));
    else events.expire(after);
  });

  const hono = new Hono();
  if (options.log) hono.use('/api/*', requestLog(options.log, options.color ?? false));
  hono.use('/api/*', requestGuard(() => settings.allowedHosts));
  hono.use('/api/*', async (c, next) => {
    const delay = settings.latencyMs + Math.random() * settings.jitterMs;
    if (delay > 0 && c.req.path !== '/api/events') await new Promise((resolve) => setTimeout(resolve, delay));
    await next();
  });

  hono.use('/api/docs/:id', recordConflicts(parts, mode));
  hono.use('/api/docs/:id/transitions', recordConflicts(parts, mode));
  hono.route('/api', documentRoutes(parts));
  hono.route('/api', concurrencyRoutes(parts));
  hono.route('/api', eventRoutes(parts));
  hono.route('/api', simulationRoutes(parts));
  hono.route('/api', statsRoutes(parts, mode));
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
    if (error instanceof StorageError) return storageProblem(error);
    // A client that went away mid-request is not a failure of the server: the request log says so
    // in one line, and nobody is left to read an answer.
    if (error instanceof ClientAbortError) return problem(400, 'bad-request', error.message);
    // The log gets the stack; the client gets a problem that reveals nothing of the code.
    console.error(escapeForLog(`${c.req.method} ${c.req.path} failed:`), error);
    return internalErrorProblem();
  });

  const shutdown = () => {
    // The store may outlive this app (another app over it, a test's next one): its changes stop coming here.
    unsubscribe();
    unsubscribeMissed?.();
    bot.stop();
    events.close();
    presence.close();
    statsFrame.cancel();
  };
  return Object.assign(hono, { settings, events, store, bot, presence, locks, documentModes, stats, shutdown });
}
