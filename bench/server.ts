/**
 * `npm run bench:server`: how much the mock server's framework, validation and history cost,
 * measured against a bare node:http loop doing the same work, in the same run, on loopback.
 *
 * Each server runs in its own child process; autocannon (50 connections, ~5 s per run) runs here.
 *
 *   GET  /api/docs/{id}   plain reads of a stored document.
 *   PUT  /api/docs/{id}   conditional saves with the document's *current* tag: every save must
 *                         pass the strong If-Match comparison and write a new version. Each
 *                         connection takes a document no other connection is saving, sends the
 *                         tag from that document's last answer, and hands it back with the new
 *                         tag; so no save is a conflict, none takes the lost-response shortcut,
 *                         and none is waved through by `*`.
 *   SSE               100 subscribers to /api/events; the time from sending a save to each of
 *                     them receiving its event (median and 95th percentile).
 *
 * Targets: ≥ 60 % of the bare loop's req/s for GET and PUT; SSE median ≤ 50 ms.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ifMatchPasses, parseEntityTagCondition } from '../src/protocol/etag.ts';
import { DEFAULT_BODY_LIMIT, MAX_TITLE_LENGTH, type Document } from '../src/protocol/types.ts';
import { SseReader } from '../mock-server/sse-client.ts';
import { startServer } from '../mock-server/server.ts';
import { cannon, conditionalPuts, launchServer, seedDocuments } from './load.ts';

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const DOCS = 100;
const SUBSCRIBERS = 100;
const SSE_SAVES = 30;

type Kind = 'conflict-lab' | 'bare';

// ---------------------------------------------------------------------------------------------
// The bare peer: node:http, no framework, same work per request (content-type and size checks,
// JSON parse and validation, strong If-Match comparison, a new immutable version kept in
// history, a serialized answer with ETag and Cache-Control, an event to every subscriber).

function startBare(): Promise<number> {
  interface Revision {
    document: Document;
    etag: string;
    json: string;
  }
  const docs = new Map<string, Revision[]>();
  const subscribers = new Set<ServerResponse>();
  let tagCounter = 0;
  let eventId = 0;
  const epoch = Math.random().toString(16).slice(2);

  function store(document: Document): Revision {
    tagCounter += 1;
    const revision = { document, etag: `"${epoch}.${tagCounter}"`, json: JSON.stringify(document) };
    const history = docs.get(document.id) ?? [];
    history.push(revision);
    docs.set(document.id, history);
    eventId += 1;
    const frame = `id: ${eventId}\nevent: ${history.length === 1 ? 'created' : 'updated'}\ndata: ${JSON.stringify({
      type: history.length === 1 ? 'created' : 'updated',
      id: document.id,
      version: document.version,
      etag: revision.etag,
      updatedBy: document.updatedBy,
      updatedAt: document.updatedAt,
    })}\n\n`;
    for (const subscriber of subscribers) subscriber.write(frame);
    return revision;
  }

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
    res.end(body);
  }

  async function readInput(req: IncomingMessage): Promise<{ title: string; content: string } | string> {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return 'unsupported media type';
    if (Number(req.headers['content-length'] ?? 0) > DEFAULT_BODY_LIMIT) return 'too large';
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > DEFAULT_BODY_LIMIT) return 'too large';
      chunks.push(chunk);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return 'malformed';
    }
    const { title, content } = (body ?? {}) as Record<string, unknown>;
    if (typeof title !== 'string' || title.trim() === '' || [...title].length > MAX_TITLE_LENGTH || typeof content !== 'string') {
      return 'invalid';
    }
    return { title, content };
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '/';
      if (url === '/api/events') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        res.write(': connected\n\n');
        subscribers.add(res);
        req.on('close', () => subscribers.delete(res));
        return;
      }
      if (url === '/api/docs' && req.method === 'POST') {
        const input = await readInput(req);
        if (typeof input === 'string') return send(res, 400, JSON.stringify({ error: input }));
        const id = `d_${Math.random().toString(16).slice(2, 18)}`;
        const revision = store({ id, ...input, version: 1, updatedAt: new Date().toISOString(), updatedBy: String(req.headers['x-user'] ?? 'anonymous'), state: 'draft' });
        return send(res, 201, revision.json, { ETag: revision.etag, Location: `/api/docs/${id}`, 'Cache-Control': 'no-cache' });
      }
      const id = /^\/api\/docs\/([^/]+)$/.exec(url)?.[1];
      const history = id ? docs.get(id) : undefined;
      const current = history?.at(-1);
      if (!id || !current) return send(res, 404, '{"error":"not found"}');
      if (req.method === 'GET') return send(res, 200, current.json, { ETag: current.etag, 'Cache-Control': 'no-cache' });
      if (req.method === 'PUT') {
        const ifMatch = req.headers['if-match'];
        if (!ifMatch) return send(res, 428, '{"error":"precondition required"}');
        const input = await readInput(req);
        if (typeof input === 'string') return send(res, 400, JSON.stringify({ error: input }));
        if (!ifMatchPasses(parseEntityTagCondition(ifMatch), current.etag)) return send(res, 409, '{"error":"conflict"}');
        const revision = store({
          id,
          ...input,
          version: current.document.version + 1,
          updatedAt: new Date().toISOString(),
          updatedBy: String(req.headers['x-user'] ?? 'anonymous'),
          state: 'draft',
        });
        return send(res, 200, revision.json, { ETag: revision.etag, 'Cache-Control': 'no-cache' });
      }
      return send(res, 405, '{"error":"method not allowed"}');
    })();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function serve(kind: Kind): Promise<void> {
  const port =
    kind === 'bare' ? await startBare() : (await startServer({ port: 0, host: '127.0.0.1' })).port;
  console.log(`PORT ${port}`);
}

// ---------------------------------------------------------------------------------------------
// The measuring side.

function launch(kind: Kind): Promise<{ child: ChildProcess; base: string }> {
  return launchServer(fileURLToPath(import.meta.url), [kind]);
}

const seed = (base: string) => seedDocuments(base, DOCS);

interface Throughput {
  getRps: number;
  putRps: number;
  getErrors: number;
  putErrors: number;
}

async function throughput(base: string): Promise<Throughput> {
  const docs = await seed(base);
  const get = await cannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [{ method: 'GET', path: `/api/docs/${docs[0]?.id}` }],
  });

  const put = await conditionalPuts(base, docs, CONNECTIONS, DURATION_S);
  return {
    getRps: get.requests.average,
    putRps: put.requests.average,
    getErrors: get.errors + get.non2xx,
    putErrors: put.errors + put.non2xx,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function sseLatency(base: string): Promise<{ median: number; p95: number; samples: number }> {
  const [doc] = await seed(base);
  if (!doc) throw new Error('no document');
  const readers = await Promise.all(
    Array.from({ length: SUBSCRIBERS }, async () => {
      const reader = new SseReader(await fetch(`${base}/api/events`));
      await reader.next(); // the opening comment: subscribed
      return reader;
    }),
  );
  const samples: number[] = [];
  let etag = doc.etag;
  for (let save = 1; save <= SSE_SAVES; save++) {
    const version = save + 1;
    const sent = performance.now();
    const arrivals = readers.map(async (reader) => {
      for (;;) {
        const event = await reader.nextEvent();
        if (!event) throw new Error('event stream ended');
        if (event.data.id === doc.id && event.data.version === version) return performance.now() - sent;
      }
    });
    const response = await fetch(`${base}/api/docs/${doc.id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'If-Match': etag, 'X-User': 'bench' },
      body: JSON.stringify({ title: doc.title, content: `save ${save}` }),
    });
    if (response.status !== 200) throw new Error(`save answered ${response.status}`);
    etag = response.headers.get('etag') ?? '';
    await response.arrayBuffer();
    samples.push(...(await Promise.all(arrivals)));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await Promise.all(readers.map((reader) => reader.cancel()));
  return { median: percentile(samples, 50), p95: percentile(samples, 95), samples: samples.length };
}

async function measure(kind: Kind): Promise<Throughput & { sse: Awaited<ReturnType<typeof sseLatency>> }> {
  const { child, base } = await launch(kind);
  try {
    process.stdout.write(`${kind}: GET and PUT… `);
    const result = await throughput(base);
    process.stdout.write('SSE… ');
    const sse = await sseLatency(base);
    process.stdout.write('done\n');
    return { ...result, sse };
  } finally {
    child.kill('SIGTERM');
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(8);
}

async function main(): Promise<void> {
  console.log(`Loopback, ${CONNECTIONS} connections, ${DURATION_S} s per run; servers in child processes.\n`);
  // Bare first, then ours, so neither gets a warmer machine by position alone... both run once.
  const bare = await measure('bare');
  const ours = await measure('conflict-lab');
  const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(0)} %`;
  const check = (ok: boolean) => (ok ? 'ok' : 'BELOW TARGET');

  console.log('                      conflict-lab     bare node:http   ratio   target');
  console.log(
    `GET /api/docs/{id}    ${fmt(ours.getRps)} req/s ${fmt(bare.getRps)} req/s   ${ratio(ours.getRps, bare.getRps).padStart(5)}   ≥ 60 % ${check(ours.getRps >= 0.6 * bare.getRps)}`,
  );
  console.log(
    `PUT If-Match current  ${fmt(ours.putRps)} req/s ${fmt(bare.putRps)} req/s   ${ratio(ours.putRps, bare.putRps).padStart(5)}   ≥ 60 % ${check(ours.putRps >= 0.6 * bare.putRps)}`,
  );
  console.log(
    `SSE save → event     median ${ours.sse.median.toFixed(1)} ms (p95 ${ours.sse.p95.toFixed(1)})   bare median ${bare.sse.median.toFixed(1)} ms (p95 ${bare.sse.p95.toFixed(1)})   ` +
      `${SUBSCRIBERS} subscribers × ${SSE_SAVES} saves   ≤ 50 ms ${check(ours.sse.median <= 50)}`,
  );
  const errors = ours.getErrors + ours.putErrors + bare.getErrors + bare.putErrors;
  console.log(`\nErrors or non-2xx answers: ${errors} (must be 0: every PUT named the current tag).`);
  console.log('PUT writes a new version per request in both servers; the bare loop keeps history too.');
  if (errors > 0) process.exitCode = 1;
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex !== -1) {
  await serve(process.argv[serveIndex + 1] === 'bare' ? 'bare' : 'conflict-lab');
} else {
  await main();
}
