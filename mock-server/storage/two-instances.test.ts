/**
 * Two servers on one PostgreSQL database, each in its own process, as behind a load balancer:
 * read-modify-write increments split across both lose nothing, and an event saved on one
 * reaches the streams of the other, with ids that resume on either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseReader } from '../sse-client.ts';
import { postgresEngine } from './engines-under-test.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const postgres = postgresEngine();

describe.runIf(postgres)('two servers on one PostgreSQL database', () => {
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    const config = await postgres!.freshConfig({ seed: true });
    if (config.kind !== 'postgres') throw new Error('not a PostgreSQL configuration');
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

  it('counts 50 writers × 40 increments split across both servers to exactly 2,000', { timeout: 120_000 }, async () => {
    const { id } = await create(a.url, `Counter ${Date.now()}`, '0');
    const title = ((await (await fetch(`${a.url}/api/docs/${id}`)).json()) as { title: string }).title;
    const WRITERS = 50;
    const INCREMENTS = 40;
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let done = 0, turn = 0; done < INCREMENTS; turn++) {
          // Each writer alternates between the servers, so reads and writes cross over.
          const base = (w + turn) % 2 === 0 ? a.url : b.url;
          const read = await fetch(`${base}/api/docs/${id}`);
          const etag = read.headers.get('etag') ?? '';
          const { content } = (await read.json()) as { content: string };
          const saved = await fetch(`${base}/api/docs/${id}`, {
            method: 'PUT',
            headers: { 'Content-Type': 'application/json', 'If-Match': etag, 'X-User': 'anonymous' },
            body: JSON.stringify({ title, content: String(Number(content) + 1) }),
          });
          await saved.arrayBuffer();
          if (saved.status === 200) done += 1;
          else if (saved.status === 409) conflicts += 1;
          else throw new Error(`unexpected ${saved.status}`);
        }
      }),
    );
    const final = (await (await fetch(`${b.url}/api/docs/${id}`)).json()) as { content: string; version: number };
    expect(final).toMatchObject({ content: String(WRITERS * INCREMENTS), version: WRITERS * INCREMENTS + 1 });
    const { revisions } = (await (await fetch(`${a.url}/api/docs/${id}/revisions`)).json()) as { revisions: Array<{ version: number; etag: string }> };
    expect(revisions.map((r) => r.version)).toEqual(revisions.map((_, i) => i + 1));
    expect(new Set(revisions.map((r) => r.etag)).size).toBe(revisions.length);
    expect(conflicts).toBeGreaterThan(0);
  });

  it('sends a save made on one server to the event streams of the other, with ids both understand', async () => {
    const { id, etag } = await create(a.url, `Events ${Date.now()}`, 'one');
    const onB = new SseReader(await fetch(`${b.url}/api/events`));
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
    let seen;
    do seen = await onB.nextEvent();
    while (seen && seen.data.id !== id);
    expect(seen?.data).toMatchObject({ type: 'updated', id, version: 2, etag: v2.headers.get('etag') });
    await onB.cancel();

    // An id B gave resumes on A: A replays what came after it, and only that.
    const v3 = await put(b.url, v2.headers.get('etag') ?? '', 'three');
    expect(v3.status).toBe(200);
    const onA = new SseReader(await fetch(`${a.url}/api/events`, { headers: { 'Last-Event-ID': seen?.id ?? '' } }));
    const replayed = await onA.nextEvent();
    expect(replayed?.data).toMatchObject({ id, version: 3 });
    await onA.cancel();
  });
});
