/**
 * The HTTP API of docs/protocol.md §1 as a Hono app, apart from any CLI or listening socket, so the
 * CLI, the Vite dev server, the tests and the benchmark all run the very same app.
 */
import { Hono, type Context } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import {
  EntityTagSyntaxError,
  ifNoneMatchMatches,
  parseEntityTagCondition,
  type EntityTagCondition,
} from '../src/protocol/etag.ts';
import { PROBLEM_CONTENT_TYPE, problemType, type ProblemSlug } from '../src/protocol/problems.ts';
import { DEFAULT_BODY_LIMIT, DEFAULT_USER } from '../src/protocol/types.ts';
import { parseEntityTagCondition as conditionOf } from '../src/protocol/etag.ts';
import { scenarioNames, type ScenarioName, type ScenarioResult, type SimulationState } from '../src/protocol/simulation.ts';
import { EventHub, namedFrame } from './events.ts';
import { PresenceRegistry } from './presence.ts';
import { nodeBodySource, readJsonBody, validateDocumentInput, type BodyFailure, type BodyResult } from './request-body.ts';
import {
  Bot,
  editOtherParagraph,
  editSameLine,
  TOKEN,
  validateBotRequest,
  validatePresenceRequest,
  validateScenarioRequest,
  validateSettingsPatch,
} from './simulation.ts';
import type { Conflict, DocumentStore, StoredRevision } from './store.ts';

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
}

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

export const MAX_USER_LENGTH = 64;

export function defaultSettings(): ServerSettings {
  return { conflictStatus: 409, latencyMs: 0, jitterMs: 0, bodyLimit: DEFAULT_BODY_LIMIT };
}

const PROBLEM_TITLES: Record<ProblemSlug, string> = {
  'bad-request': 'Bad request',
  'not-found': 'Not found',
  gone: 'Gone',
  'edit-conflict': 'Edit conflict',
  'duplicate-title': 'Duplicate title',
  'precondition-required': 'Precondition required',
  'payload-too-large': 'Payload too large',
  'unsupported-media-type': 'Unsupported media type',
  'validation-failed': 'Validation failed',
  'method-not-allowed': 'Method not allowed',
  'internal-error': 'Internal server error',
};

/**
 * On every API answer, so a page on another origin may read the tags. Written into each answer as
 * it is made: setting it afterwards, on a finished Response, turns the adapter's plain header
 * record into a Headers object, a measurable cost on every request.
 */
const EXPOSE_HEADERS = { 'Access-Control-Expose-Headers': 'ETag, Location' } as const;

function problem(
  status: number,
  slug: ProblemSlug,
  detail: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const body = { type: problemType(slug), title: PROBLEM_TITLES[slug], status, detail, ...extensions };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store', ...EXPOSE_HEADERS, ...headers },
  });
}

// A revision never changes, so its JSON is built once; the ETag describes exactly these bytes.
const serialized = new WeakMap<StoredRevision, string>();
function documentJson(revision: StoredRevision): string {
  let json = serialized.get(revision);
  if (json === undefined) {
    json = JSON.stringify(revision.document);
    serialized.set(revision, json);
  }
  return json;
}

function documentResponse(revision: StoredRevision, status: 200 | 201 = 200, headers: Record<string, string> = {}): Response {
  return new Response(documentJson(revision), {
    status,
    headers: {
      'Content-Type': 'application/json',
      ETag: revision.etag,
      'Cache-Control': 'no-cache',
      ...EXPOSE_HEADERS,
      ...headers,
    },
  });
}

function jsonResponse(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', ...EXPOSE_HEADERS },
  });
}

function bodyProblem(failure: BodyFailure): Response {
  switch (failure.kind) {
    case 'unsupported-media-type':
      return problem(
        415,
        'unsupported-media-type',
        `Send the document as application/json (this request said ${failure.contentType ?? 'nothing'}).`,
        {},
        { 'Accept-Post': 'application/json', 'Accept-Patch': 'application/json' },
      );
    case 'payload-too-large':
      // The rest of an oversized body is not read; closing the connection tells the client to stop.
      return problem(413, 'payload-too-large', `The request body is over the limit of ${failure.limit} bytes.`, { limit: failure.limit }, { Connection: 'close' });
    case 'bad-request':
      return problem(400, 'bad-request', failure.detail);
    case 'validation-failed':
      return problem(422, 'validation-failed', failure.errors.map((e) => e.message).join(' '), { errors: failure.errors });
  }
}

function actingUser(c: Context): string {
  const name = (c.req.header('x-user') ?? '').trim();
  if (name === '') return DEFAULT_USER;
  return [...name].slice(0, MAX_USER_LENGTH).join('');
}

type ConditionHeader = { ok: true; raw: string | null; condition: EntityTagCondition | null } | { ok: false; response: Response };

function conditionHeader(c: Context, name: 'If-Match' | 'If-None-Match'): ConditionHeader {
  const raw = c.req.header(name) ?? null;
  if (raw === null) return { ok: true, raw, condition: null };
  try {
    return { ok: true, raw, condition: parseEntityTagCondition(raw) };
  } catch (error) {
    if (!(error instanceof EntityTagSyntaxError)) throw error;
    return {
      ok: false,
      response: problem(400, 'bad-request', `${name} is not a valid list of entity tags or "*": ${error.message}`, { header: name }),
    };
  }
}

function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The conflict in plain words, e.g. "Bob saved version 7 after the version 5 you edited." */
export function conflictDetail(conflict: Conflict, action: 'edited' | 'meant to delete'): string {
  const { current, base, changesSince } = conflict;
  if (base && base.document.version === current.document.version) {
    return `Your If-Match names version ${base.document.version} with a weak tag, and a change needs the strong tag ${current.etag}.`;
  }
  const first = changesSince[0];
  const last = changesSince.at(-1);
  if (!base || !first || !last) {
    return `The document is at version ${current.document.version}, last saved by ${current.document.updatedBy}; the version you ${action} is not one this server knows.`;
  }
  const who = listNames([...new Set(changesSince.map((c) => c.updatedBy))]);
  const what = first === last ? `version ${first.version}` : `versions ${first.version} to ${last.version}`;
  return `${who} saved ${what} after the version ${base.document.version} you ${action}.`;
}

function conflictProblem(status: 409 | 412, conflict: Conflict, yourEtag: string, action: 'edited' | 'meant to delete'): Response {
  return problem(status, 'edit-conflict', conflictDetail(conflict, action), {
    yourEtag,
    current: conflict.current.document,
    currentEtag: conflict.current.etag,
    base: conflict.base?.document ?? null,
    changesSince: conflict.changesSince,
  });
}

function goneProblem(id: string, at: string, by: string): Response {
  return problem(410, 'gone', `Document ${id} was deleted by ${by} at ${at}.`, { id, deletedAt: at, deletedBy: by });
}

function notFoundProblem(id: string): Response {
  return problem(404, 'not-found', `There is no document ${id}.`, { id });
}

/** The current revision of a live document, or the problem that says why there is none (404, 410). */
function liveRevision(store: DocumentStore, id: string): StoredRevision | Response {
  const found = store.get(id);
  if (found.kind === 'not-found') return notFoundProblem(id);
  if (found.kind === 'gone') return goneProblem(id, found.at, found.by);
  return found.revision;
}

// A new document may leave its content out; a save must send it (docs/protocol.md §1.4).
const validateNewDocument = (value: unknown) => validateDocumentInput(value, false);
const validateSavedDocument = (value: unknown) => validateDocumentInput(value, true);

function clientIdProblem(): Response {
  return problem(400, 'bad-request', 'A client id is 1 to 100 letters, digits, "-" or "_".');
}

function preconditionRequired(action: 'save' | 'delete'): Response {
  // No tag in this answer: a client must load the document (and see what it overwrites) first.
  return problem(
    428,
    'precondition-required',
    `To ${action} a document, send If-Match with the ETag of the version you loaded, so a newer save is never overwritten unseen.`,
  );
}

function methodNotAllowed(allow: string): (c: Context) => Response {
  return (c) => problem(405, 'method-not-allowed', `${c.req.method} is not allowed here; use ${allow}.`, {}, { Allow: allow });
}

const ANSI = { reset: '\u001b[0m', yellow: '\u001b[1;33m', red: '\u001b[1;31m', dim: '\u001b[2m' };

export function createApp(store: DocumentStore, options: AppOptions = {}): ConflictLabApp {
  const settings: ServerSettings = { ...defaultSettings(), ...options.settings };
  const events = options.events ?? new EventHub();
  const log = options.log;
  const hono = new Hono();
  const bot = new Bot(store);
  const presence = new PresenceRegistry({ onChange: (snapshot) => events.broadcastNamed('presence', snapshot) });

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

  if (log) {
    hono.use('/api/*', async (c, next) => {
      const started = performance.now();
      await next();
      const ms = (performance.now() - started).toFixed(1);
      const status = c.res.status;
      const ifMatch = c.req.header('if-match');
      const etag = c.res.headers.get('etag');
      let line = `${c.req.method} ${c.req.path} If-Match=${ifMatch ?? '-'} → ${status} ETag=${etag ?? '-'} ${ms}ms`;
      if (options.color) {
        if (status === 409 || status === 412) line = `${ANSI.yellow}${line}  (conflict)${ANSI.reset}`;
        else if (status >= 500) line = `${ANSI.red}${line}${ANSI.reset}`;
      } else if (status === 409 || status === 412) {
        line += '  (conflict)';
      }
      log(line);
    });
  }

  hono.use('/api/*', async (c, next) => {
    const delay = settings.latencyMs + Math.random() * settings.jitterMs;
    if (delay > 0 && c.req.path !== '/api/events') await new Promise((resolve) => setTimeout(resolve, delay));
    await next();
  });

  /** The request's JSON body, read from the Node request stream when there is one (much faster). */
  const jsonBody = (c: Context): Promise<BodyResult<unknown>> => readJsonBody(c.req.raw, settings.bodyLimit, nodeBodySource(c.env));
  /** The JSON body checked by `validate`; either step's failure is answered by bodyProblem. */
  const validBody = async <T>(
    c: Context,
    validate: (value: unknown) => BodyResult<T>,
    read: (c: Context) => Promise<BodyResult<unknown>> = jsonBody,
  ): Promise<BodyResult<T>> => {
    const body = await read(c);
    return body.ok ? validate(body.value) : { ok: false, failure: body.failure };
  };

  hono.get('/api/docs', () => jsonResponse({ docs: store.list() }));

  hono.post('/api/docs', async (c) => {
    const input = await validBody(c, validateNewDocument);
    if (!input.ok) return bodyProblem(input.failure);
    const result = store.create(input.value, actingUser(c));
    if (result.kind === 'duplicate-title') {
      return problem(409, 'duplicate-title', `A document titled "${result.existing.title}" already exists.`, { existing: result.existing });
    }
    return documentResponse(result.revision, 201, { Location: `/api/docs/${encodeURIComponent(result.revision.document.id)}` });
  });
  hono.all('/api/docs', methodNotAllowed('GET, HEAD, POST'));

  hono.get('/api/docs/:id', (c) => {
    const id = c.req.param('id');
    const current = liveRevision(store, id);
    if (current instanceof Response) return current;
    const ifNoneMatch = conditionHeader(c, 'If-None-Match');
    if (!ifNoneMatch.ok) return ifNoneMatch.response;
    if (ifNoneMatch.condition && ifNoneMatchMatches(ifNoneMatch.condition, current.etag)) {
      return new Response(null, { status: 304, headers: { ETag: current.etag, 'Cache-Control': 'no-cache', ...EXPOSE_HEADERS } });
    }
    return documentResponse(current);
  });

  hono.put('/api/docs/:id', async (c) => {
    const id = c.req.param('id');
    const current = liveRevision(store, id);
    if (current instanceof Response) return current;
    const ifMatch = conditionHeader(c, 'If-Match');
    if (!ifMatch.ok) return ifMatch.response;
    if (!ifMatch.condition) return preconditionRequired('save');
    const input = await validBody(c, validateSavedDocument);
    if (!input.ok) return bodyProblem(input.failure);
    // The store checks the tag and writes in one synchronous step, after the body is in.
    const result = store.update(id, input.value, ifMatch.condition, actingUser(c));
    switch (result.kind) {
      case 'updated':
      case 'unchanged-retry':
        return documentResponse(result.revision);
      case 'conflict':
        return conflictProblem(settings.conflictStatus, result, ifMatch.raw ?? '', 'edited');
      case 'duplicate-title':
        return problem(409, 'duplicate-title', `Another document is already titled "${result.existing.title}".`, { existing: result.existing });
      case 'precondition-required':
        return preconditionRequired('save');
      case 'not-found':
        return notFoundProblem(id);
      case 'gone':
        return goneProblem(id, result.at, result.by);
    }
  });

  hono.delete('/api/docs/:id', (c) => {
    const id = c.req.param('id');
    const ifMatch = conditionHeader(c, 'If-Match');
    const current = liveRevision(store, id);
    if (current instanceof Response) return current;
    if (!ifMatch.ok) return ifMatch.response;
    const result = store.remove(id, ifMatch.condition, actingUser(c));
    switch (result.kind) {
      case 'deleted':
        return new Response(null, { status: 204, headers: EXPOSE_HEADERS });
      case 'conflict':
        return conflictProblem(settings.conflictStatus, result, ifMatch.raw ?? '', 'meant to delete');
      case 'precondition-required':
        return preconditionRequired('delete');
      case 'not-found':
        return notFoundProblem(id);
      case 'gone':
        return goneProblem(id, result.at, result.by);
    }
  });
  hono.all('/api/docs/:id', methodNotAllowed('GET, HEAD, PUT, DELETE'));

  hono.get('/api/docs/:id/revisions', (c) => {
    const id = c.req.param('id');
    const revisions = store.revisions(id);
    if (!revisions) return notFoundProblem(id);
    return jsonResponse({ revisions });
  });
  hono.all('/api/docs/:id/revisions', methodNotAllowed('GET, HEAD'));

  hono.get('/api/docs/:id/revisions/:version', (c) => {
    const id = c.req.param('id');
    const version = c.req.param('version');
    const revision = /^[1-9][0-9]{0,8}$/.test(version) ? store.revision(id, Number(version)) : null;
    if (!revision) {
      if (!store.revisions(id)) return notFoundProblem(id);
      return problem(404, 'not-found', `Document ${id} has no version ${version}.`, { id });
    }
    return documentResponse(revision);
  });
  hono.all('/api/docs/:id/revisions/:version', methodNotAllowed('GET, HEAD'));

  hono.get('/api/events', (c) => {
    const client = c.req.query('client') ?? null;
    if (client !== null && !TOKEN.test(client)) return clientIdProblem();
    const leave = client === null ? undefined : presence.attach(client);
    const stream = events.subscribe(c.req.header('last-event-id') ?? null, {
      // Who is here now, so a new tab does not wait for the next change to know.
      initialFrames: [namedFrame('presence', presence.snapshot())],
      ...(leave && { onClose: leave }),
    });
    return new Response(stream, {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache',
        // Reverse proxies (nginx) otherwise hold events back in a buffer.
        'X-Accel-Buffering': 'no',
        ...EXPOSE_HEADERS,
      },
    });
  });
  hono.all('/api/events', methodNotAllowed('GET, HEAD'));

  // --- The simulation API (src/protocol/simulation.ts): demo controls, not part of the contract.

  const simulationState = (): SimulationState => ({
    conflictStatus: settings.conflictStatus,
    latencyMs: settings.latencyMs,
    jitterMs: settings.jitterMs,
    bot: bot.current,
  });

  /** A JSON body that may be left out entirely (then `{}`). */
  const optionalJsonBody = async (c: Context): Promise<BodyResult<unknown>> => {
    const request = c.req.raw;
    const length = request.headers.get('content-length');
    const chunked = request.headers.get('transfer-encoding') !== null;
    if (!chunked && (length === null || length === '0') && !request.headers.get('content-type')) return { ok: true, value: {} };
    return jsonBody(c);
  };

  hono.get('/api/simulation', () => jsonResponse(simulationState()));
  hono.patch('/api/simulation', async (c) => {
    const patch = await validBody(c, validateSettingsPatch);
    if (!patch.ok) return bodyProblem(patch.failure);
    Object.assign(settings, patch.value);
    return jsonResponse(simulationState());
  });
  hono.all('/api/simulation', methodNotAllowed('GET, HEAD, PATCH'));

  hono.put('/api/simulation/bot', async (c) => {
    const request = await validBody(c, validateBotRequest);
    if (!request.ok) return bodyProblem(request.failure);
    const target = liveRevision(store, request.value.docId);
    if (target instanceof Response) return target;
    bot.start(request.value);
    return jsonResponse(simulationState());
  });
  hono.delete('/api/simulation/bot', () => {
    bot.stop();
    return jsonResponse(simulationState());
  });
  hono.all('/api/simulation/bot', methodNotAllowed('PUT, DELETE'));

  hono.post('/api/simulation/reset', (c) => {
    bot.stop();
    return jsonResponse({ docs: store.resetToSamples(actingUser(c)) });
  });
  hono.all('/api/simulation/reset', methodNotAllowed('POST'));

  hono.post('/api/docs/:id/scenarios/:name', async (c) => {
    const id = c.req.param('id');
    const name = c.req.param('name');
    if (!(scenarioNames as readonly string[]).includes(name)) {
      return problem(422, 'validation-failed', `There is no scenario "${name}"; the scenarios are ${scenarioNames.join(', ')}.`, {
        errors: [{ field: 'name', message: `Use one of ${scenarioNames.join(', ')}.` }],
      });
    }
    const request = await validBody(c, validateScenarioRequest, optionalJsonBody);
    if (!request.ok) return bodyProblem(request.failure);
    const current = liveRevision(store, id);
    if (current instanceof Response) return current;
    const { document, etag } = current;
    const { user, line } = request.value;
    const scenario = name as ScenarioName;
    // The scenario acts like any client: it names the version it read in If-Match.
    if (scenario === 'delete') {
      store.remove(id, conditionOf(etag), user);
      const result: ScenarioResult = { scenario, document: null, etag: null };
      return jsonResponse(result);
    }
    const content = scenario === 'same-line' ? editSameLine(document.content, line, user) : editOtherParagraph(document.content, line, user);
    const saved = store.update(id, { title: document.title, content }, conditionOf(etag), user);
    if (saved.kind !== 'updated') throw new Error(`The ${scenario} scenario could not save: ${saved.kind}`);
    const result: ScenarioResult = { scenario, document: saved.revision.document, etag: saved.revision.etag };
    return jsonResponse(result);
  });
  hono.all('/api/docs/:id/scenarios/:name', methodNotAllowed('POST'));

  hono.put('/api/presence/:clientId', async (c) => {
    const clientId = c.req.param('clientId');
    if (!TOKEN.test(clientId)) return clientIdProblem();
    const request = await validBody(c, validatePresenceRequest);
    if (!request.ok) return bodyProblem(request.failure);
    presence.announce(clientId, request.value);
    return new Response(null, { status: 204, headers: EXPOSE_HEADERS });
  });
  hono.all('/api/presence/:clientId', methodNotAllowed('PUT'));

  hono.all('/api/*', (c) => problem(404, 'not-found', `No API route ${c.req.method} ${c.req.path}.`));
  hono.all('/api', (c) => problem(404, 'not-found', `No API route ${c.req.method} ${c.req.path}.`));

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
    return problem(500, 'internal-error', 'The server failed while answering this request. The server log has the details.');
  });

  const shutdown = () => {
    bot.stop();
    events.close();
    presence.close();
  };
  return Object.assign(hono, { settings, events, store, bot, presence, shutdown });
}
