/**
 * The concurrency modes behind two servers on one PostgreSQL database (docs/protocol.md §1.11,
 * "Several servers"): what is shared and exact (lost updates, read from the shared history), what
 * each server counts (the lost updates of the saves it answered), and what stays one server's own
 * (leases, modes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsSnapshot } from '../src/protocol/stats.ts';
import type { SimulationState } from '../src/protocol/simulation.ts';
import type { RevisionList } from '../src/protocol/types.ts';
import { SseReader } from './sse-client.ts';
import { postgresEngine } from './storage/engines-under-test.ts';
import { startServerProcess, type ServerProcess } from './storage/server-process.ts';
import { jsonInit } from './test-server.ts';

const postgres = postgresEngine();

describe.runIf(postgres)('concurrency modes behind two servers on one database', () => {
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    const config = await postgres!.freshConfig();
    if (config.kind !== 'postgres') throw new Error('not a PostgreSQL configuration');
    [a, b] = await Promise.all([startServerProcess(['--database', config.url]), startServerProcess(['--database', config.url])]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  async function create(base: string): Promise<{ id: string; title: string; etag: string }> {
    const response = await fetch(`${base}/api/docs`, jsonInit('POST', { title: `Two servers ${Date.now()} ${Math.random()}`, content: 'one\n' }, { 'X-User': 'Setup' }));
    expect(response.status).toBe(201);
    const { id, title } = (await response.json()) as { id: string; title: string };
    return { id, title, etag: response.headers.get('etag') ?? '' };
  }
  const setMode = async (base: string, id: string, concurrency: string) =>
    expect((await fetch(`${base}/api/docs/${id}/concurrency`, jsonInit('PUT', { concurrency }))).status).toBe(200);
  const put = (base: string, doc: { id: string; title: string }, content: string, etag: string, user: string) =>
    fetch(`${base}/api/docs/${doc.id}`, jsonInit('PUT', { title: doc.title, content }, { 'If-Match': etag, 'X-User': user }));
  const lostCounted = async (base: string) => ((await (await fetch(`${base}/api/stats`)).json()) as StatsSnapshot).totals.lostUpdates;

  it('a lost update is told exactly by both servers and counted once, by the server that answered the save', async () => {
    const doc = await create(a.url);
    // A document's own mode is each server's: both are told.
    await setMode(a.url, doc.id, 'none');
    await setMode(b.url, doc.id, 'none');
    const events = new SseReader(await fetch(`${a.url}/api/events`), { waitMs: 20_000 });
    try {
      expect((await put(a.url, doc, 'one\nBob\n', doc.etag, 'Bob')).status).toBe(200);
      const blind = await put(b.url, doc, 'one\nAlice\n', doc.etag, 'Alice');
      expect(blind.status).toBe(200);
      expect(await blind.json()).toMatchObject({ version: 3, overwrote: [2] });

      // Server A heard B's save through the database, with what it overwrote.
      for (;;) {
        const event = await events.nextEvent();
        if (event?.data.id === doc.id && event.data.version === 3) {
          expect(event.data.overwrote).toEqual([2]);
          break;
        }
      }
      for (const server of [a, b]) {
        const { revisions } = (await (await fetch(`${server.url}/api/docs/${doc.id}/revisions`)).json()) as RevisionList;
        expect(revisions.filter((r) => r.lost).map((r) => r.version)).toEqual([2]);
        expect(((await (await fetch(`${server.url}/api/simulation`)).json()) as SimulationState).lostUpdates).toBe(1);
      }
      expect(await lostCounted(b.url)).toBe(1);
      expect(await lostCounted(a.url)).toBe(0);
    } finally {
      await events.cancel();
    }
  });

  it('a lease and a mode are one server’s own: a lock taken on one does not refuse a save on the other', async () => {
    const doc = await create(a.url);
    await setMode(a.url, doc.id, 'lock');
    expect((await fetch(`${a.url}/api/docs/${doc.id}/lock`, jsonInit('POST', {}, { 'X-User': 'Bob' }))).status).toBe(200);
    expect((await put(a.url, doc, 'Alice on A\n', doc.etag, 'Alice')).status).toBe(409);
    // Server B knows neither the lease nor the mode (docs/protocol.md §1.11 says to route a
    // locked document's requests to one server).
    expect(((await (await fetch(`${b.url}/api/docs/${doc.id}/lock`)).json()) as { lock: unknown; enforced: boolean })).toEqual({ lock: null, enforced: false });
    expect((await put(b.url, doc, 'Alice on B\n', doc.etag, 'Alice')).status).toBe(200);
  });
});
