/**
 * Two servers on one PostgreSQL database, each in its own process, as behind a load balancer:
 * read-modify-write increments split across both lose nothing, and an event saved on one
 * reaches the streams of the other, with ids that resume on either.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseReader } from '../sse-client.ts';
import { postgresEngine } from './engines-under-test.ts';
import { runCounterWriters } from './counter-writers.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const postgres = postgresEngine();

describe.runIf(postgres)('two servers on one PostgreSQL database', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let databaseUrl: string;

  beforeAll(async () => {
    const config = await postgres!.freshConfig({ seed: true });
    if (config.kind !== 'postgres') throw new Error('not a PostgreSQL configuration');
    databaseUrl = config.url;
    [a, b] = await Promise.all([startServerProcess(['--database', config.url]), startServerProcess(['--database', config.url])]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  async function create(base: string, title: string, content: string): Promise<{ id: string; etag: string }> {
    const response = await fetch(`${base}/api/docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-User': 'Setup' },
      body: JSON.stringify({ title, content }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    return { id, etag: response.headers.get('etag') ?? '' };
  }

  // The writers are careful clients (runCounterWriters): a conflict's answer is where they go on
  // from, after a random pause that grows while they keep losing, so most retries find the tag
  // current. A save is one statement on the database, and a conflict one more read.
  it('counts 50 writers × 40 increments split across both servers to exactly 2,000', { timeout: 600_000 }, async () => {
    // A subscriber of B, which hears of A's saves through the database. It connects before the
    // document exists, so it hears the create too, and no event of this document can race it.
    const onB = new SseReader(await fetch(`${b.url}/api/events`), { waitMs: 20_000 });
    await onB.next(); // connected
    const created = await create(a.url, `Counter ${Date.now()}`, '0');
    const { id } = created;
    const title = ((await (await fetch(`${a.url}/api/docs/${id}`)).json()) as { title: string }).title;
    const WRITERS = 50;
    const INCREMENTS = 40;
    const { conflicts } = await runCounterWriters({
      servers: [a.url, b.url],
      id,
      title,
      etag: created.etag,
      content: '0',
      writers: WRITERS,
      increments: INCREMENTS,
    });
    const final = (await (await fetch(`${b.url}/api/docs/${id}`)).json()) as { content: string; version: number };
    expect(final).toMatchObject({ content: String(WRITERS * INCREMENTS), version: WRITERS * INCREMENTS + 1 });
    const { revisions } = (await (await fetch(`${a.url}/api/docs/${id}/revisions`)).json()) as { revisions: Array<{ version: number; etag: string }> };
    expect(revisions.map((r) => r.version)).toEqual(revisions.map((_, i) => i + 1));
    expect(new Set(revisions.map((r) => r.etag)).size).toBe(revisions.length);
    expect(conflicts).toBeGreaterThan(0);

    // The create and every save reached B's stream once, in version order, with increasing ids.
    const versions: number[] = [];
    const ids: bigint[] = [];
    while (versions.at(-1) !== WRITERS * INCREMENTS + 1) {
      const event = await onB.nextEvent();
      if (!event) throw new Error('the stream ended');
      if (event.data.id !== id) continue;
      versions.push(event.data.version);
      ids.push(BigInt(/-(\d+)$/.exec(event.id ?? '')?.[1] ?? '0'));
    }
    await onB.cancel();
    expect(versions).toEqual(Array.from({ length: WRITERS * INCREMENTS + 1 }, (_, i) => i + 1));
    expect(ids.every((position, i) => i === 0 || position > (ids[i - 1] ?? 0n))).toBe(true);
  });

  it('sends a save made on one server to the event streams of the other, with ids both understand', async () => {
    const { id, etag } = await create(a.url, `Events ${Date.now()}`, 'one');
    const onB = new SseReader(await fetch(`${b.url}/api/events`), { waitMs: 20_000 });
    await onB.next(); // connected
    // The title must stay the same: read it back first.
    const title = ((await (await fetch(`${a.url}/api/docs/${id}`)).json()) as { title: string }).title;
    const put = (base: string, ifMatch: string, content: string) =>
      fetch(`${base}/api/docs/${id}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'If-Match': ifMatch, 'X-User': 'Ana' },
        body: JSON.stringify({ title, content }),
      });
    const v2 = await put(a.url, etag, 'two');
    expect(v2.status).toBe(200);
    // (The create's event may reach B after it subscribed: skip it.)
    let seen;
    do seen = await onB.nextEvent();
    while (seen && !(seen.data.id === id && seen.data.version === 2));
    expect(seen?.data).toMatchObject({ type: 'updated', id, version: 2, etag: v2.headers.get('etag') });
    await onB.cancel();

    // An id B gave resumes on A: A replays what came after it, and only that.
    const v3 = await put(b.url, v2.headers.get('etag') ?? '', 'three');
    expect(v3.status).toBe(200);
    const onA = new SseReader(await fetch(`${a.url}/api/events`, { headers: { 'Last-Event-ID': seen?.id ?? '' } }), { waitMs: 20_000 });
    let replayed;
    do replayed = await onA.nextEvent();
    while (replayed && replayed.data.id !== id);
    // The first event of this document after B's id is version 3: version 2 is not sent again.
    expect(replayed?.data).toMatchObject({ id, version: 3 });
    await onA.cancel();
  });

  it('delivers a save that commits late before the saves that started after it, on every server', { timeout: 60_000 }, async () => {
    const first = await create(a.url, `Late ${Date.now()}`, 'one');
    const second = await create(b.url, `Early ${Date.now()}`, 'one');
    const titles = await Promise.all(
      [first, second].map(async ({ id }) => ((await (await fetch(`${a.url}/api/docs/${id}`)).json()) as { title: string }).title),
    );
    const onB = new SseReader(await fetch(`${b.url}/api/events`), { waitMs: 20_000 });
    await onB.next(); // connected
    const put = (base: string, doc: { id: string; etag: string }, title: string) =>
      fetch(`${base}/api/docs/${doc.id}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'If-Match': doc.etag, 'X-User': 'Ana' },
        body: JSON.stringify({ title, content: 'two' }),
      });

    // Another session holds the first document's row, so the save on A starts its transaction,
    // and then waits, while a save of the second document on B starts later and commits first.
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    let lateSave: Promise<Response>;
    let earlySave: Response;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM documents WHERE id = $1 FOR UPDATE', [first.id]);
      lateSave = put(a.url, first, titles[0] ?? '');
      // Wait until A's UPDATE is queued behind the held row.
      for (let waiting = 0; waiting === 0; ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const { rows } = await holder.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        waiting = rows[0]?.n ?? 0;
      }
      earlySave = await put(b.url, second, titles[1] ?? '');
      expect(earlySave.status).toBe(200);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    const late = await lateSave;
    expect(late.status).toBe(200);

    // B's stream has them in one order that every server shares; the late commit comes first,
    // as its transaction started first, so a client that saw the early one saw both.
    const seen: Array<{ id: string | null; doc: string }> = [];
    while (seen.length < 2) {
      const event = await onB.nextEvent();
      if (!event) throw new Error('the stream ended');
      if (event.data.id === first.id || event.data.id === second.id) seen.push({ id: event.id, doc: event.data.id });
    }
    await onB.cancel();
    expect(seen.map((event) => event.doc)).toEqual([first.id, second.id]);
    const position = (id: string | null) => BigInt(/-(\d+)$/.exec(id ?? '')?.[1] ?? '0');
    expect(position(seen[1]?.id ?? null)).toBeGreaterThan(position(seen[0]?.id ?? null));

    // Resuming on A after the late one's id replays the early one, and not the late one again.
    const onA = new SseReader(await fetch(`${a.url}/api/events`, { headers: { 'Last-Event-ID': seen[0]?.id ?? '' } }), { waitMs: 20_000 });
    let replayed;
    do replayed = await onA.nextEvent();
    while (replayed && replayed.data.id !== first.id && replayed.data.id !== second.id);
    expect(replayed?.data).toMatchObject({ id: second.id, version: 2, etag: earlySave.headers.get('etag') });
    await onA.cancel();
  });
});
