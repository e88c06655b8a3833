/**
 * The event hub on its own (one server, its own numbering): the opening of a stream, the frames of
 * an event, what a reconnecting client is sent for each kind of Last-Event-ID, the bound on what
 * waits for a reader that does not read, and the end of every stream. Over HTTP, events.test.ts
 * and slow-streams.test.ts; with a shared epoch, events-shared.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentEvent } from '../src/protocol/types.ts';
import { EventHub, namedFrame } from './events.ts';

const hubs: EventHub[] = [];
afterEach(() => {
  for (const hub of hubs.splice(0)) hub.close();
});
function hub(options?: ConstructorParameters<typeof EventHub>[0]): EventHub {
  const made = new EventHub(options);
  hubs.push(made);
  return made;
}

function event(version: number, updatedBy = 'Ana'): DocumentEvent {
  return { type: 'updated', id: 'd_1', version, etag: `"t.${version}"`, updatedBy, updatedAt: '2026-11-30T10:00:00.000Z' };
}

/** Every block the stream has queued so far, as text; `done` when the stream has ended. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<{ text: string; done: boolean }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let done = false;
  for (;;) {
    const next = await Promise.race([reader.read(), new Promise<null>((resolve) => setImmediate(() => resolve(null)))]);
    if (next === null) break;
    if (next.done) {
      done = true;
      break;
    }
    text += decoder.decode(next.value);
  }
  reader.releaseLock();
  return { text, done };
}

const ids = (text: string) => [...text.matchAll(/^id: (.+)$/gm)].map((match) => match[1]);
const versions = (text: string) => [...text.matchAll(/"version":(\d+)/g)].map((match) => Number(match[1]));

/** The epoch of a hub's ids, read from the first event a subscriber gets. */
async function epochOf(events: EventHub): Promise<string> {
  const stream = events.subscribe(null);
  events.publish(event(1));
  const id = ids((await drain(stream)).text)[0] ?? '';
  return id.slice(0, id.lastIndexOf('-'));
}

describe('a new stream', () => {
  it('opens with the retry time and a comment, then the frames it was given, in order', async () => {
    const events = hub();
    const { text } = await drain(events.subscribe(null, { initialFrames: [namedFrame('a', 1), namedFrame('b', { x: 'y' })] }));
    expect(text).toBe('retry: 2000\n: connected\n\nevent: a\ndata: 1\n\nevent: b\ndata: {"x":"y"}\n\n');
    expect((await drain(hub({ retryMs: 500 }).subscribe(null))).text).toBe('retry: 500\n: connected\n\n');
  });

  it('gets each event as one frame with an id of the epoch and the next number', async () => {
    const events = hub();
    const stream = events.subscribe(null);
    events.publish(event(1));
    events.publish({ ...event(2), type: 'deleted' });
    const { text } = await drain(stream);
    const [first, second] = ids(text);
    const epoch = first?.split('-')[0] ?? '';
    expect(epoch).toMatch(/^[a-z0-9]{1,8}$/);
    expect([first, second]).toEqual([`${epoch}-1`, `${epoch}-2`]);
    expect(text).toContain(`id: ${epoch}-1\nevent: updated\ndata: ${JSON.stringify(event(1))}\n\n`);
    expect(text).toContain(`id: ${epoch}-2\nevent: deleted\ndata: `);
  });

  it('gets a named event without an id, and a later stream is not sent it again', async () => {
    const events = hub();
    const stream = events.subscribe(null);
    events.broadcastNamed('presence', { who: ['Ana'] });
    expect((await drain(stream)).text).toContain('\nevent: presence\ndata: {"who":["Ana"]}\n\n');
    expect((await drain(events.subscribe('anything'))).text).toBe('retry: 2000\n: connected\n\n');
  });

  it('gets a heartbeat comment while nothing happens', async () => {
    const events = hub({ heartbeatMs: 10 });
    const stream = events.subscribe(null);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await drain(stream)).text).toContain(': heartbeat\n\n');
  });
});

describe('a client that comes back with Last-Event-ID', () => {
  it('gets what came after its id, and nothing for the newest id', async () => {
    const events = hub();
    const epoch = await epochOf(events);
    events.publish(event(2));
    events.publish(event(3));
    expect(versions((await drain(events.subscribe(`${epoch}-1`))).text)).toEqual([2, 3]);
    expect(versions((await drain(events.subscribe(` ${epoch}-2 `))).text)).toEqual([3]);
    const newest = (await drain(events.subscribe(`${epoch}-3`))).text;
    expect(versions(newest)).toEqual([]);
    expect(newest).not.toContain('refetch');
  });

  it('with an id of another run, or no id at all, gets everything the ring holds, without a refetch', async () => {
    const events = hub();
    const epoch = await epochOf(events);
    events.publish(event(2));
    for (const other of ['zzzzzz-1', `${epoch}x-1`, `${epoch}-`, `${epoch}-1x`, `${epoch}-${'9'.repeat(31)}`, '']) {
      const { text } = await drain(events.subscribe(other));
      expect(versions(text), other).toEqual([1, 2]);
      expect(text, other).not.toContain('refetch');
    }
  });

  it('with an id ahead of this server gets nothing now, and every event from then on', async () => {
    const events = hub();
    const epoch = await epochOf(events);
    const stream = events.subscribe(`${epoch}-5`);
    events.publish(event(2));
    events.publish(event(3));
    expect(versions((await drain(stream)).text)).toEqual([2, 3]);
  });

  it('keeps the last 1,000 events by default: older than those is a refetch and the whole ring', async () => {
    const events = hub();
    const epoch = await epochOf(events);
    for (let version = 2; version <= 1000; version++) events.publish(event(version));
    // Event 1 is still held: nothing was missed.
    const full = (await drain(events.subscribe(`${epoch}-0`))).text;
    expect(full).not.toContain('refetch');
    expect(versions(full)).toHaveLength(1000);
    events.publish(event(1001));
    const after = (await drain(events.subscribe(`${epoch}-0`))).text;
    expect(after.indexOf('event: refetch\ndata: {"reason":"events-expired"}\n\n')).toBeLessThan(after.indexOf('id: '));
    expect(versions(after)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 2));
    // The oldest held event's predecessor is still exact.
    const exact = (await drain(events.subscribe(`${epoch}-1`))).text;
    expect(exact).not.toContain('refetch');
    expect(versions(exact)).toHaveLength(1000);
  });

  it('with a smaller ring, keeps only as many', async () => {
    const events = hub({ ringSize: 2 });
    const epoch = await epochOf(events);
    events.publish(event(2));
    events.publish(event(3));
    expect(versions((await drain(events.subscribe('other'))).text)).toEqual([2, 3]);
    expect((await drain(events.subscribe(`${epoch}-0`))).text).toContain('event: refetch');
    expect((await drain(events.subscribe(`${epoch}-1`))).text).not.toContain('event: refetch');
  });

  it('with an id that only ends like one of this run, gets everything the ring holds', async () => {
    const events = hub();
    const epoch = await epochOf(events);
    events.publish(event(2));
    for (const other of [`_${epoch}-1`, `A${epoch}-1`, `x-${epoch}-1`]) {
      expect(versions((await drain(events.subscribe(other))).text), other).toEqual([1, 2]);
    }
  });
});

describe('events this server missed (expire)', () => {
  const REFETCH = 'event: refetch\ndata: {"reason":"events-expired"}\n\n';

  it('tells every open stream to refetch, with no id', async () => {
    const events = hub();
    const streams = [events.subscribe(null), events.subscribe(null)];
    events.expire(5n);
    for (const stream of streams) expect((await drain(stream)).text).toBe(`retry: 2000\n: connected\n\n${REFETCH}`);
  });

  it('numbers the next event after the missed ones, and a client from before them is told to refetch', async () => {
    const events = hub();
    const epoch = await epochOf(events);
    events.expire(10n);
    const stream = events.subscribe(null);
    events.publish(event(2));
    expect(ids((await drain(stream)).text)).toEqual([`${epoch}-11`]);
    const before = (await drain(events.subscribe(`${epoch}-1`))).text;
    expect(before.startsWith(`retry: 2000\n: connected\n\n${REFETCH}`)).toBe(true);
    expect(versions(before)).toEqual([1, 2]);
    // The last one missed is known: from there on, nothing is.
    const exact = (await drain(events.subscribe(`${epoch}-10`))).text;
    expect(exact).not.toContain('refetch');
    expect(versions(exact)).toEqual([2]);
  });

  it('up to a position it has already passed: the numbering goes on, and later ids still replay exactly', async () => {
    const events = hub();
    const epoch = await epochOf(events);
    for (let version = 2; version <= 5; version++) events.publish(event(version));
    events.expire(3n);
    const stream = events.subscribe(null);
    events.publish(event(6));
    expect(ids((await drain(stream)).text)).toEqual([`${epoch}-6`]);
    expect((await drain(events.subscribe(`${epoch}-2`))).text).toContain('event: refetch');
    const after = (await drain(events.subscribe(`${epoch}-4`))).text;
    expect(after).not.toContain('refetch');
    expect(versions(after)).toEqual([5, 6]);
  });

  it('never lowers how far back replay is exact', async () => {
    const events = hub({ ringSize: 2 });
    const epoch = await epochOf(events);
    for (let version = 2; version <= 5; version++) events.publish(event(version));
    // Events 1 to 3 fell off the ring; missing events up to 1 changes nothing.
    events.expire(1n);
    const resumed = (await drain(events.subscribe(`${epoch}-2`))).text;
    expect(resumed).toContain('event: refetch');
    expect(versions(resumed)).toEqual([4, 5]);
  });
});

describe('a reader that does not read', () => {
  const PAYLOAD = 'x'.repeat(64 * 1024);

  it('keeps its stream while up to 1 MiB waits for it, and loses it past that', async () => {
    const events = hub();
    let closed = 0;
    const stream = events.subscribe(null, { onClose: () => (closed += 1) });
    for (let version = 1; version <= 15; version++) events.publish(event(version, PAYLOAD));
    // 15 × 64 KiB and the frames around them: under 1 MiB.
    expect(events.subscriberCount).toBe(1);
    events.publish(event(16, PAYLOAD));
    events.publish(event(17, PAYLOAD));
    expect(events.subscriberCount).toBe(0);
    expect(closed).toBe(1);
    await expect(stream.getReader().read()).rejects.toThrow('The client fell too far behind the event stream.');
  });

  it('keeps a stream with exactly the bound waiting, and loses it one frame later', async () => {
    const opening = new TextEncoder().encode('retry: 2000\n: connected\n\n').byteLength;
    const frame = namedFrame('presence', { docs: {} });
    const events = hub({ maxQueuedBytes: opening + new TextEncoder().encode(frame).byteLength });
    events.subscribe(null);
    events.broadcastNamed('presence', { docs: {} });
    expect(events.subscriberCount).toBe(1);
    events.broadcastNamed('presence', { docs: {} });
    expect(events.subscriberCount).toBe(0);
  });

  it('is ended through its hook when it has one, and told of nothing more', async () => {
    const events = hub({ maxQueuedBytes: 1000 });
    let overflowed = 0;
    let closed = 0;
    const stream = events.subscribe(null, { onOverflow: () => (overflowed += 1), onClose: () => (closed += 1) });
    events.publish(event(1, 'y'.repeat(2000)));
    expect([overflowed, closed, events.subscriberCount]).toEqual([1, 1, 0]);
    events.publish(event(2));
    const { text } = await drain(stream);
    expect(versions(text)).toEqual([1]);
  });
});

describe('the end of a stream', () => {
  it('when the client goes away: it is forgotten, and told so once', async () => {
    const events = hub();
    let closed = 0;
    const reader = events.subscribe(null, { onClose: () => (closed += 1) }).getReader();
    events.subscribe(null);
    expect(events.subscriberCount).toBe(2);
    await reader.cancel();
    expect(events.subscriberCount).toBe(1);
    events.publish(event(1));
    expect(closed).toBe(1);
  });

  it('when the server closes: every stream ends, each told once, and a later one is empty and closed', async () => {
    const events = hub();
    const closed: string[] = [];
    const first = events.subscribe(null, { onClose: () => closed.push('first') });
    const second = events.subscribe(null, { onClose: () => closed.push('second') });
    events.close();
    expect(closed).toEqual(['first', 'second']);
    expect(events.subscriberCount).toBe(0);
    expect(await drain(first)).toEqual({ text: 'retry: 2000\n: connected\n\n', done: true });
    expect((await drain(second)).done).toBe(true);
    events.publish(event(1));
    events.broadcastNamed('presence', {});
    expect(await drain(events.subscribe(null))).toEqual({ text: '', done: true });
    expect(closed).toHaveLength(2);
  });
});
