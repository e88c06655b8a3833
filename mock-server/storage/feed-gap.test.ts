/**
 * A server cut off from the shared change feed for longer than the changes are kept: when it
 * reads again, changes it never read are gone. It must say so (`event: refetch` to every stream,
 * and to a client resuming from before the gap) and go on, instead of skipping them in silence.
 * The retention is shortened for the server that prunes; the other one is paused for real
 * (SIGSTOP), so it reads nothing while the change is saved and pruned.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseReader } from '../sse-client.ts';
import { startTestServer } from '../test-server.ts';
import type { RunningServer } from '../server.ts';
import { postgresEngine } from './engines-under-test.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const postgres = postgresEngine();
const RETENTION_MS = 300;

describe.runIf(postgres)('a server that missed pruned changes', () => {
  let a: RunningServer;
  let b: ServerProcess;
  let db: pg.Client;

  beforeAll(async () => {
    const config = await postgres!.freshConfig({ seed: false });
    if (config.kind !== 'postgres') throw new Error('not a PostgreSQL configuration');
    a = await startTestServer({ storage: { ...config, changeRetentionMs: RETENTION_MS } });
    b = await startServerProcess(['--database', config.url]);
    db = new pg.Client({ connectionString: config.url });
    await db.connect();
  });

  afterAll(async () => {
    b?.child.kill('SIGCONT');
    await Promise.all([a?.close(), b?.stop(), db?.end()]);
  });

  const save = async (id: string, etag: string, title: string, content: string): Promise<string> => {
    const saved = await fetch(`${a.url}/api/docs/${id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'If-Match': etag, 'X-User': 'Ana' },
      body: JSON.stringify({ title, content }),
    });
    expect(saved.status).toBe(200);
    return saved.headers.get('etag') ?? '';
  };

  it('tells its streams to refetch, and to a client resuming from before the gap, then goes on', { timeout: 120_000 }, async () => {
    const onA = new SseReader(await fetch(`${a.url}/api/events`), { waitMs: 20_000 });
    const onB = new SseReader(await fetch(`${b.url}/api/events`), { waitMs: 20_000 });
    await Promise.all([onA.next(), onB.next()]); // connected
    const title = `Gap ${Date.now()}`;
    const created = await fetch(`${a.url}/api/docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-User': 'Ana' },
      body: JSON.stringify({ title, content: 'one' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // B has read up to the create.
    const seenOnB = await onB.nextEvent();
    expect(seenOnB?.data).toMatchObject({ type: 'created', id, version: 1 });

    b.child.kill('SIGSTOP');
    let etag = await save(id, created.headers.get('etag') ?? '', title, 'two');
    // A prunes version 2's change once it is older than the retention (A read it first).
    for (let left = 1; left > 0; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM changes');
      left = rows[0]?.n ?? 0;
    }
    b.child.kill('SIGCONT');
    etag = await save(id, etag, title, 'three');

    // B's stream says to refetch before anything else, version 2 never comes, and it goes on:
    // the save after the gap reaches it.
    let message;
    do message = await onB.next();
    while (message && message.event !== 'refetch' && message.event !== 'updated');
    expect(message).toMatchObject({ event: 'refetch', id: null });
    expect(JSON.parse(message?.data ?? '{}')).toEqual({ reason: 'events-expired' });
    const next = await onB.nextEvent();
    expect(next?.data).toMatchObject({ type: 'updated', id, version: 3, etag });
    await onB.cancel();

    // A client that last saw the create on B is told to refetch as well, then gets the events B
    // has (§1.7: the whole ring), version 3 among them.
    const resumed = new SseReader(await fetch(`${b.url}/api/events`, { headers: { 'Last-Event-ID': seenOnB?.id ?? '' } }), { waitMs: 20_000 });
    const refetch = await resumed.nextNamed<{ reason: string }>('refetch');
    expect(refetch).toEqual({ reason: 'events-expired' });
    const replayed: number[] = [];
    while (replayed.at(-1) !== 3) replayed.push((await resumed.nextEvent())?.data.version ?? Number.NaN);
    expect(replayed).not.toContain(2);
    await resumed.cancel();

    // A, which read every change before pruning it, told them all and no refetch.
    const onAEvents: Array<string | null> = [];
    while (onAEvents.length < 3) {
      const seen = await onA.next();
      if (!seen) throw new Error('the stream ended');
      if (seen.event === 'refetch') throw new Error('A was told to refetch');
      if (seen.event === 'created' || seen.event === 'updated') onAEvents.push(seen.event);
    }
    expect(onAEvents).toEqual(['created', 'updated', 'updated']);
    await onA.cancel();
  });
});
