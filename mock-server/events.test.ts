/**
 * `GET /api/events` over real HTTP: one event per change, ids, Last-Event-ID replay, heartbeats.
 */
import { describe, expect, it } from 'vitest';
import { SseReader, SseWaitError } from './sse-client.ts';
import { createDoc, saveDoc, useTestServer, changeInit } from './test-server.ts';

const server = useTestServer({ heartbeatMs: 100 });

async function subscribe(lastEventId?: string): Promise<{ response: Response; reader: SseReader }> {
  const response = await fetch(`${server.url}/api/events`, lastEventId ? { headers: { 'Last-Event-ID': lastEventId } } : {});
  return { response, reader: new SseReader(response) };
}

describe('server-sent events', () => {
  it('answers as an event stream that is never cached', async () => {
    const { response, reader } = await subscribe();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const opening = await reader.next();
    expect(opening?.comments).toContain('connected');
    await reader.cancel();
  });

  it('sends one event per create, update and delete, with ids and the contract’s fields', async () => {
    const { reader } = await subscribe();
    const { doc, etag: v1 } = await createDoc(server.url, undefined, 'one', 'Ana');
    const saved = await saveDoc(server.url, doc.id, { title: doc.title, content: 'two' }, v1, 'Bob');
    const v2 = saved.headers.get('etag') ?? '';
    // A refused save is not a change and sends nothing.
    expect((await saveDoc(server.url, doc.id, { title: doc.title, content: 'x' }, v1)).status).toBe(409);
    const deleted = await fetch(`${server.url}/api/docs/${doc.id}`, changeInit('DELETE', { 'If-Match': v2, 'X-User': 'Carol' }));
    expect(deleted.status).toBe(204);

    const received = [];
    while (received.length < 3) {
      const event = await reader.nextEvent();
      if (!event) throw new Error('stream ended early');
      if (event.data.id === doc.id) received.push(event);
    }
    await reader.cancel();

    expect(received.map((e) => e.event)).toEqual(['created', 'updated', 'deleted']);
    expect(received.map((e) => e.data)).toEqual([
      { type: 'created', id: doc.id, version: 1, etag: v1, updatedBy: 'Ana', updatedAt: doc.updatedAt },
      { type: 'updated', id: doc.id, version: 2, etag: v2, updatedBy: 'Bob', updatedAt: expect.any(String) },
      { type: 'deleted', id: doc.id, version: 2, etag: v2, updatedBy: 'Carol', updatedAt: expect.any(String) },
    ]);
    const ids = received.map((e) => e.id);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(3);
  });

  it('replays what a client missed after its Last-Event-ID, and nothing it already had', async () => {
    const first = await subscribe();
    const { doc, etag } = await createDoc(server.url);
    const created = await first.reader.nextEvent();
    expect(created?.data).toMatchObject({ type: 'created', id: doc.id });
    await first.reader.cancel();

    // While disconnected: two saves.
    const s2 = await saveDoc(server.url, doc.id, { title: doc.title, content: 'two' }, etag);
    await saveDoc(server.url, doc.id, { title: doc.title, content: 'three' }, s2.headers.get('etag') ?? '');

    const again = await subscribe(created?.id ?? '');
    // Then a live change: once it arrives, everything replayed before it has arrived too, so a
    // skipped or repeated event shows in the list below (the reader's wait is bounded, so a
    // missing one fails in seconds, saying so).
    await fetch(`${server.url}/api/docs/${doc.id}`, changeInit('DELETE', { 'If-Match': '*' }));
    const received: Array<[string, number]> = [];
    for (;;) {
      const event = await again.reader.nextEvent();
      if (!event) throw new Error('The stream ended before the live delete arrived.');
      received.push([event.data.type, event.data.version]);
      if (event.data.type === 'deleted') break;
    }
    await again.reader.cancel();
    expect(received).toEqual([
      ['updated', 2],
      ['updated', 3],
      ['deleted', 3],
    ]);
  });

  it('replays everything it still holds for an id from another run of the server', async () => {
    const { doc } = await createDoc(server.url);
    const { reader } = await subscribe('oldrun-5');
    const seen: string[] = [];
    for (;;) {
      const event = await reader.nextEvent();
      if (!event) break;
      seen.push(event.data.id);
      if (event.data.id === doc.id) break;
    }
    await reader.cancel();
    expect(seen).toContain(doc.id);
    expect(seen.length).toBeGreaterThan(1);
  });

  it('sends a comment heartbeat while nothing happens', async () => {
    const { reader } = await subscribe();
    let heartbeat = false;
    while (!heartbeat) {
      const message = await reader.next();
      if (!message) throw new Error('stream ended');
      heartbeat = message.comments.includes('heartbeat');
    }
    await reader.cancel();
    expect(heartbeat).toBe(true);
  });

  it('forgets a subscriber that went away', async () => {
    // Earlier tests' readers went away too; their sockets close asynchronously.
    await expect.poll(() => server.app.events.subscriberCount).toBe(0);
    const { reader } = await subscribe();
    await reader.next();
    expect(server.app.events.subscriberCount).toBe(1);
    await reader.cancel();
    await expect.poll(() => server.app.events.subscriberCount).toBe(0);
  });

  it('fails a wait for an event that does not come, saying what it waited for', async () => {
    const response = await fetch(`${server.url}/api/events`);
    const reader = new SseReader(response, { waitMs: 400 });
    // Heartbeats keep coming every 100 ms; none of them is a document event.
    await expect(reader.nextEvent()).rejects.toThrow(new SseWaitError('No document event on the event stream within 400 ms.'));
    await expect(reader.nextNamed('lock')).rejects.toThrow('No event "lock" on the event stream within 400 ms.');
    // The read that was going on when the wait gave up is taken over: nothing is lost.
    const { doc } = await createDoc(server.url);
    const event = await reader.nextEvent();
    expect(event?.data).toMatchObject({ type: 'created', id: doc.id });
    await reader.cancel();
  });
});
