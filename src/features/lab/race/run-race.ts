/**
 * Runs the scripted race (script.ts) against the real server, once per concurrency mode, each on a
 * throwaway document of its own made for this run, all modes at the same moments. Every request
 * goes through the transport it is given (in the app: the one API client, so the protocol
 * inspector shows them) and is recorded with what it carried and what came back.
 */
import { IDEMPOTENCY_KEY_HEADER, newIdempotencyKey } from '../../../lib/idempotency-key.ts';
import { concurrencyPaths, type ConcurrencyMode, type Lease } from '../../../protocol/concurrency.ts';
import { apiPaths } from '../../../protocol/paths.ts';
import type { Document, RevisionList } from '../../../protocol/types.ts';
import type { Exchange, ModeRun, RecordedProblem, StepKind } from './record.ts';
import { RACE_HOST, applyEdit, saveHeaders, takesLock, type RaceScript, type Racer, type ReadVersion } from './script.ts';

export interface RaceRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  /** The acting user (`X-User`). */
  user: string;
  body?: unknown;
  /** Condition headers and the like; the transport adds the rest (`X-User`, `Content-Type`). */
  headers: Record<string, string>;
}

export interface RaceAnswer {
  /** 0 when no answer came. */
  status: number;
  body: unknown;
  headers: Headers | null;
  /** Why no answer came, or null. */
  failure: string | null;
}

export type RaceTransport = (request: RaceRequest) => Promise<RaceAnswer>;

export interface RaceDeps {
  send: RaceTransport;
  /** Milliseconds on this machine's wall clock (Date.now). */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** A new document id (unique on the server). */
  newId: () => string;
  /** Called as each mode's record grows, so a page can show the race as it runs. */
  onProgress?: (run: ModeRun) => void;
}

/** The headers a race request may carry that decide or record what a write is based on. */
const CONDITION_HEADERS = ['If-Match', 'If-None-Match', 'If-Unmodified-Since', 'X-Based-On'];

function problemOf(status: number, body: unknown): RecordedProblem | null {
  if (status < 400 || typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const lock = record.lock as Partial<Lease> | null | undefined;
  return {
    type: typeof record.type === 'string' ? record.type : 'about:blank',
    title: typeof record.title === 'string' ? record.title : `HTTP ${status}`,
    detail: typeof record.detail === 'string' ? record.detail : '',
    holder: lock && typeof lock.holder === 'string' ? lock.holder : null,
  };
}

function documentOf(body: unknown): Partial<Document> & { overwrote?: unknown; mergedFrom?: unknown } {
  return typeof body === 'object' && body !== null ? (body as Partial<Document>) : {};
}

/** One mode's race, recorded as it goes. */
class Recorder {
  readonly run: ModeRun;
  private readonly deps: RaceDeps;
  private readonly startedAt: number;

  constructor(deps: RaceDeps, startedAt: number, mode: ConcurrencyMode, docId: string, title: string) {
    this.deps = deps;
    this.startedAt = startedAt;
    this.run = { mode, docId, title, exchanges: [], final: null, lostVersions: [], error: null };
  }

  /** Sends one request, records it, and returns the answer (every status is an answer here). */
  async send(actor: string, step: StepKind, request: Omit<RaceRequest, 'user'>): Promise<{ exchange: Exchange; answer: RaceAnswer }> {
    const startedAt = this.deps.now() - this.startedAt;
    const answer = await this.deps.send({ ...request, user: actor });
    const doc = documentOf(answer.body);
    const ok = answer.status >= 200 && answer.status < 300;
    const merged = Array.isArray(doc.mergedFrom) && doc.mergedFrom.length === 2 ? (doc.mergedFrom as [number, number]) : null;
    const exchange: Exchange = {
      actor,
      step,
      method: request.method,
      path: request.path,
      conditions: Object.entries(request.headers).filter(([name]) => CONDITION_HEADERS.includes(name)),
      startedAt,
      endedAt: this.deps.now() - this.startedAt,
      status: answer.status,
      version: ok && typeof doc.version === 'number' ? doc.version : null,
      etag: answer.headers?.get('ETag') ?? null,
      lastModified: answer.headers?.get('Last-Modified') ?? null,
      overwrote: ok && Array.isArray(doc.overwrote) ? doc.overwrote.filter((v): v is number => typeof v === 'number') : [],
      mergedFrom: ok ? merged : null,
      problem: problemOf(answer.status, answer.body),
      failure: answer.failure,
    };
    this.run.exchanges.push(exchange);
    this.deps.onProgress?.(this.snapshot());
    return { exchange, answer };
  }

  fail(reason: string): ModeRun {
    this.run.error = reason;
    return this.snapshot();
  }

  snapshot(): ModeRun {
    return { ...this.run, exchanges: [...this.run.exchanges], lostVersions: [...this.run.lostVersions] };
  }
}

const ok = (status: number) => status >= 200 && status < 300;

/** A short name for this run, so its documents' titles are unique and found together. */
function runLabel(now: number, id: string): string {
  const time = new Date(now).toISOString().slice(11, 19);
  return `${time} ${id.slice(-4)}`;
}

export interface RaceRun {
  label: string;
  runs: ModeRun[];
}

/**
 * The race in every mode given. The documents are made at the start of a second on this machine's
 * clock, so the `same-second` race fits in one second of `Last-Modified` (the server's clock is
 * taken to be this one's, as it is when the server runs here; when it is not, the answers say
 * what happened anyway).
 */
export async function runRace(script: RaceScript, modes: readonly ConcurrencyMode[], deps: RaceDeps): Promise<RaceRun> {
  const label = runLabel(deps.now(), deps.newId());
  const intoSecond = deps.now() % 1000;
  // A few ms into the next second: the same-second race then has almost the whole second.
  await deps.sleep(1000 - intoSecond + 20);
  const startedAt = deps.now();
  const runs = await Promise.all(modes.map((mode) => runMode(script, mode, label, startedAt, deps)));
  return { label, runs };
}

async function runMode(script: RaceScript, mode: ConcurrencyMode, label: string, startedAt: number, deps: RaceDeps): Promise<ModeRun> {
  const docId = deps.newId();
  const title = `Race ${label} · ${mode}`;
  const rec = new Recorder(deps, startedAt, mode, docId, title);
  const doc = apiPaths.doc(docId);

  const created = await rec.send(RACE_HOST, 'create', { method: 'PUT', path: doc, body: { title, content: script.base }, headers: { 'If-None-Match': '*' } });
  if (!ok(created.answer.status)) return rec.fail('the document could not be made.');
  const madeAt = startedAt + created.exchange.endedAt;
  const moded = await rec.send(RACE_HOST, 'mode', { method: 'PUT', path: concurrencyPaths.concurrency(docId), body: { concurrency: mode }, headers: {} });
  if (!ok(moded.answer.status)) return rec.fail(`the mode could not be set to ${mode}.`);

  // Locks are asked for in order, before anyone reads: the first holds it, the others are told.
  let holder: string | null = null;
  if (takesLock(mode)) {
    for (const racer of script.racers) {
      const { answer } = await rec.send(racer.name, 'lock', { method: 'POST', path: concurrencyPaths.lock(docId), body: { seconds: 30 }, headers: {} });
      if (ok(answer.status) && holder === null) holder = racer.name;
    }
  }

  const reads = new Map<string, { read: ReadVersion; content: string }>();
  for (const racer of script.racers) {
    const { exchange, answer } = await rec.send(racer.name, 'read', { method: 'GET', path: doc, headers: {} });
    const body = documentOf(answer.body);
    if (!ok(answer.status) || !exchange.etag || typeof body.content !== 'string' || typeof body.updatedAt !== 'string')
      return rec.fail(`${racer.name} could not read the document.`);
    reads.set(racer.name, { read: { etag: exchange.etag, lastModified: exchange.lastModified, updatedAt: body.updatedAt }, content: body.content });
  }

  const save = (racer: Racer) => {
    const seen = reads.get(racer.name);
    if (!seen) return Promise.resolve();
    return rec.send(racer.name, 'save', {
      method: 'PUT',
      path: doc,
      body: { title, content: applyEdit(seen.content, racer) },
      // One save attempt, named as every save of the app is (docs/protocol.md §1.3).
      headers: { ...saveHeaders(mode, seen.read), [IDEMPOTENCY_KEY_HEADER]: newIdempotencyKey() },
    });
  };
  if (script.together) {
    await Promise.all(script.racers.map(save));
  } else {
    for (const [i, racer] of script.racers.entries()) {
      const delay = script.saveDelays[i];
      if (delay !== null && delay !== undefined) await deps.sleep(Math.max(0, madeAt + delay - deps.now()));
      await save(racer);
    }
  }

  if (holder !== null) await rec.send(holder, 'unlock', { method: 'DELETE', path: concurrencyPaths.lock(docId), headers: {} });

  const final = await rec.send(RACE_HOST, 'final', { method: 'GET', path: doc, headers: {} });
  const finalDoc = documentOf(final.answer.body);
  if (!ok(final.answer.status) || typeof finalDoc.content !== 'string' || typeof finalDoc.version !== 'number') return rec.fail('the result could not be read.');
  rec.run.final = { content: finalDoc.content, version: finalDoc.version };
  // The server's own account: which versions its history marks lost.
  const history = await deps.send({ method: 'GET', path: apiPaths.revisions(docId), user: RACE_HOST, headers: {} });
  if (ok(history.status)) {
    const { revisions } = history.body as RevisionList;
    rec.run.lostVersions = revisions.filter((r) => r.lost).map((r) => r.version);
  }
  return rec.snapshot();
}

/**
 * Deletes a race's documents (each with `If-Match` on the version the race ended with), so runs do
 * not pile up in everyone's list. Answers, per document, whether it is gone: a document someone
 * changed since is kept (409), as any stale delete is.
 */
export async function deleteRaceDocuments(runs: readonly ModeRun[], send: RaceTransport): Promise<Array<{ docId: string; deleted: boolean }>> {
  return Promise.all(
    runs.map(async (run) => {
      const etag = run.exchanges.findLast((e) => e.step === 'final')?.etag ?? null;
      if (!etag) return { docId: run.docId, deleted: false };
      const answer = await send({ method: 'DELETE', path: apiPaths.doc(run.docId), user: RACE_HOST, headers: { 'If-Match': etag } });
      return { docId: run.docId, deleted: answer.status === 204 || answer.status === 410 };
    }),
  );
}
