/**
 * Slow, half-open and spoofing clients of the event stream (docs/protocol.md §1.7, §1.8), over real
 * HTTP: HEAD opens nothing, presence belongs to the stream that made it and is coalesced, a reader
 * that stops reading is cut off instead of queued for without limit, and a client that was away
 * too long is told to refetch.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { PresenceSnapshot, PresenceTokenEvent } from '../src/protocol/presence.ts';
import type { DocumentEvent } from '../src/protocol/types.ts';
import { SseReader } from './sse-client.ts';
import { createDoc, expectProblem, jsonInit, useTestServer } from './test-server.ts';

const INTERVAL_MS = 100;
const server = useTestServer({ perTest: true, presenceIntervalMs: INTERVAL_MS, maxQueuedBytes: 64 * 1024 });

async function open(query = ''): Promise<SseReader> {
  return new SseReader(await fetch(`${server.url}/api/events${query}`));
}

async function tab(clientId: string): Promise<{ reader: SseReader; token: string }> {
  const reader = await open(`?client=${clientId}`);
  const { token } = await reader.nextNamed<PresenceTokenEvent>('presence-token');
  return { reader, token };
}

function announce(clientId: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.url}/api/presence/${clientId}`, jsonInit('PUT', { user: 'Ana', color: '#0b57d0', docId: null, ...body }));
}

describe('HEAD /api/events', () => {
  it('answers with the stream’s headers and opens no stream, and makes nobody present', async () => {
    for (let i = 0; i < 50; i++) {
      const response = await fetch(`${server.url}/api/events?client=ghost-${i}`, { method: 'HEAD' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    }
    expect(server.app.events.subscriberCount).toBe(0);
    const watcher = await open();
    expect(await watcher.nextNamed<PresenceSnapshot>('presence')).toEqual({ docs: {} });
    await watcher.cancel();
  });
});

describe('presence tokens', () => {
  it('are handed out as the first event of a stream opened with a client id, and differ per stream', async () => {
    const first = await open('?client=tab-a');
    const opening = await first.next();
    expect(opening?.comments).toContain('connected');
    const tokenEvent = await first.next();
    expect(tokenEvent?.event).toBe('presence-token');
    expect(tokenEvent?.id).toBeNull();
    const again = await tab('tab-a');
    expect(again.token).not.toBe((JSON.parse(tokenEvent?.data ?? '{}') as PresenceTokenEvent).token);
    await first.cancel();
    await again.reader.cancel();
  });

  it('keep a tab’s entry its own: no other client can change it or keep it alive', async () => {
    const { doc } = await createDoc(server.url);
    const ana = await tab('tab-ana');
    expect((await announce('tab-ana', { docId: doc.id, token: ana.token })).status).toBe(204);

    // Without the token, with a made-up one, or with a token of another tab's stream: refused.
    await expectProblem(await announce('tab-ana', { user: 'Mallory', docId: doc.id }), 422, 'validation-failed');
    await expectProblem(await announce('tab-ana', { user: 'Mallory', token: 'guess' }), 403, 'stale-presence-token');
    const mallory = await tab('tab-mallory');
    await expectProblem(await announce('tab-ana', { user: 'Mallory', token: mallory.token }), 403, 'stale-presence-token');
    // A stream that claims Ana's client id gets an entry of its own, beside Ana's, not hers.
    const copycat = await tab('tab-ana');
    expect((await announce('tab-ana', { user: 'Mallory', docId: doc.id, token: copycat.token })).status).toBe(204);
    expect(server.app.presence.snapshot().docs[doc.id]).toEqual([
      { clientId: 'tab-ana', user: 'Ana', color: '#0b57d0' },
      { clientId: 'tab-ana', user: 'Mallory', color: '#0b57d0' },
    ]);

    // Ana's entry goes with Ana's stream, whatever the others do; her old token is dead.
    await ana.reader.cancel();
    await expect.poll(() => server.app.presence.snapshot().docs[doc.id]).toEqual([{ clientId: 'tab-ana', user: 'Mallory', color: '#0b57d0' }]);
    await expectProblem(await announce('tab-ana', { docId: doc.id, token: ana.token }), 403, 'stale-presence-token');
    await mallory.reader.cancel();
    await copycat.reader.cancel();
  });
});

describe('presence snapshots', () => {
  it('are coalesced: at most one per interval for a flood of changes, the last one right', async () => {
    const docs = await Promise.all([createDoc(server.url), createDoc(server.url), createDoc(server.url)]);
    const watcher = await open();
    await watcher.nextNamed('presence');
    const ana = await tab('tab-ana');
    const started = performance.now();
    const changes = 300;
    for (let i = 0; i < changes; i++) {
      expect((await announce('tab-ana', { docId: docs[i % 2]?.doc.id, token: ana.token })).status).toBe(204);
    }
    // The last change goes to a document no earlier change named, so its snapshot is recognisable.
    const lastDoc = docs[2]?.doc.id ?? '';
    expect((await announce('tab-ana', { docId: lastDoc, token: ana.token })).status).toBe(204);
    const seen: PresenceSnapshot[] = [];
    for (;;) {
      const snapshot = await watcher.nextNamed<PresenceSnapshot>('presence');
      seen.push(snapshot);
      if (Object.hasOwn(snapshot.docs, lastDoc)) break;
    }
    const elapsed = performance.now() - started;
    // One at once, then at most one at the end of each interval.
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(elapsed / INTERVAL_MS) + 1);
    expect(seen.length).toBeLessThan(changes / 10);
    // The same announcement again sends nothing: the next snapshot is the leave.
    expect((await announce('tab-ana', { docId: lastDoc, token: ana.token })).status).toBe(204);
    await ana.reader.cancel();
    expect(await watcher.nextNamed<PresenceSnapshot>('presence')).toEqual({ docs: {} });
    await watcher.cancel();
  });
});

/** A GET /api/events whose response is never read: a paused tab, or a client gone half-open. */
function pausedReader(url: string): Promise<IncomingMessage> {
  const target = new URL(`${url}/api/events?client=paused`);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}` }, (res) => {
      res.pause();
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

function event(n: number): DocumentEvent {
  return { type: 'updated', id: 'd_flood', version: n, etag: `"flood.${n}"`, updatedBy: 'Flood', updatedAt: new Date(0).toISOString() };
}

describe('a stream that does not read', () => {
  it('is closed once its queue passes the bound, instead of holding every event in memory', async () => {
    const paused = await pausedReader(server.url);
    const ended = new Promise<void>((resolve) => paused.once('close', () => resolve()));
    await expect.poll(() => server.app.events.subscriberCount).toBe(1);
    // Far more than the socket buffers and the 64 KiB bound hold (about 50 MB of events).
    let published = 0;
    while (server.app.events.subscriberCount > 0 && published < 200_000) {
      server.app.events.publish(event(++published));
      if (published % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.app.events.subscriberCount).toBe(0);
    expect(published).toBeLessThan(200_000);
    // Its presence went with it, and the client sees its connection end (and would resume).
    paused.resume();
    await ended;
    const watcher = await open();
    expect(await watcher.nextNamed<PresenceSnapshot>('presence')).toEqual({ docs: {} });
    await watcher.cancel();
  });
});

describe('Last-Event-ID', () => {
  it('older than the ring holds gets a refetch event first, then the whole ring', async () => {
    const first = await open();
    server.app.events.publish(event(1));
    const seen = await first.nextEvent();
    await first.cancel();
    for (let n = 2; n <= 1_100; n++) server.app.events.publish(event(n));

    const again = await open();
    await again.cancel();
    const late = new SseReader(await fetch(`${server.url}/api/events`, { headers: { 'Last-Event-ID': seen?.id ?? '' } }));
    let refetch = false;
    for (;;) {
      const message = await late.next();
      if (!message) throw new Error('stream ended');
      if (message.event === 'refetch') {
        refetch = true;
        expect(message.id).toBeNull();
        continue;
      }
      if (message.event === 'updated') {
        // The refetch came before the first replayed event, and the ring starts after what was lost.
        expect(refetch).toBe(true);
        expect((JSON.parse(message.data) as DocumentEvent).version).toBe(101);
        break;
      }
    }
    await late.cancel();
  });

  it('that is not an id of this run replays the whole ring without a refetch, as before', async () => {
    server.app.events.publish(event(1));
    server.app.events.publish(event(2));
    for (const id of ['oldrun-5', 'not an id', '12']) {
      const reader = new SseReader(await fetch(`${server.url}/api/events`, { headers: { 'Last-Event-ID': id } }));
      const events: string[] = [];
      while (events.length < 2) {
        const message = await reader.next();
        if (!message) throw new Error('stream ended');
        if (message.event !== null) events.push(message.event);
      }
      await reader.cancel();
      expect(events.filter((name) => name !== 'presence')).not.toContain('refetch');
    }
  });
});
