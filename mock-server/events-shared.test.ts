/**
 * The event hub of servers that share one PostgreSQL database: ids are positions in the
 * database's order (increasing, with gaps), and a client may resume on a server that started
 * after its id, or that has not yet heard of it.
 */
import { describe, expect, it } from 'vitest';
import type { DocumentEvent } from '../src/protocol/types.ts';
import { EventHub } from './events.ts';

const EPOCH = 'shared1';

function event(version: number): DocumentEvent {
  return { type: 'updated', id: 'd_1', version, etag: `"t.${version}"`, updatedBy: 'Ana', updatedAt: '2026-11-30T10:00:00.000Z' };
}

/** Every block the stream has queued so far, as text. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  // The hub enqueues synchronously: read until nothing more is waiting.
  for (;;) {
    const next = await Promise.race([reader.read(), new Promise<null>((resolve) => setImmediate(() => resolve(null)))]);
    if (next === null || next.done) break;
    text += decoder.decode(next.value);
  }
  reader.releaseLock();
  return text;
}

const ids = (text: string) => [...text.matchAll(/^id: (.+)$/gm)].map((match) => match[1]);

describe('an event hub with a shared epoch', () => {
  it('uses the positions it is given as ids, gaps and all, and replays after any of them', async () => {
    const hub = new EventHub({ epoch: EPOCH, start: 99n });
    hub.publish(event(2), 100n);
    hub.publish(event(3), 4_294_967_396n);
    hub.publish(event(4), 8_589_934_592n);
    const replay = await drain(hub.subscribe(`${EPOCH}-4294967396`));
    expect(ids(replay)).toEqual([`${EPOCH}-8589934592`]);
    hub.close();
  });

  it('tells a client whose id is from before this server started to refetch', async () => {
    const hub = new EventHub({ epoch: EPOCH, start: 1_000n });
    hub.publish(event(2), 1_005n);
    const replay = await drain(hub.subscribe(`${EPOCH}-990`));
    expect(replay).toContain('event: refetch');
    expect(ids(replay)).toEqual([`${EPOCH}-1005`]);
    // The start itself is known: nothing was missed.
    expect(await drain(hub.subscribe(`${EPOCH}-1000`))).not.toContain('event: refetch');
    hub.close();
  });

  it('does not send again what a client got from a server ahead of this one', async () => {
    const hub = new EventHub({ epoch: EPOCH, start: 0n });
    hub.publish(event(2), 10n);
    // The client saw position 30 on another server; this one has sent up to 10.
    const stream = hub.subscribe(`${EPOCH}-30`);
    hub.publish(event(3), 20n);
    hub.publish(event(4), 30n);
    hub.publish(event(5), 40n);
    const text = await drain(stream);
    expect(text).not.toContain('event: refetch');
    expect(ids(text)).toEqual([`${EPOCH}-40`]);
    hub.close();
  });

  it('skips up to a client’s id even when named events and heartbeats come first', async () => {
    const hub = new EventHub({ epoch: EPOCH, start: 0n, heartbeatMs: 1 });
    hub.publish(event(2), 10n);
    const stream = hub.subscribe(`${EPOCH}-30`);
    hub.broadcastNamed('presence', { docs: {} });
    await new Promise((resolve) => setTimeout(resolve, 20));
    hub.publish(event(3), 20n);
    hub.publish(event(4), 40n);
    const text = await drain(stream);
    expect(text).toContain('event: presence');
    expect(text).toContain(': heartbeat');
    expect(ids(text)).toEqual([`${EPOCH}-40`]);
    hub.close();
  });

  it('still numbers events itself when it shares nothing', async () => {
    const hub = new EventHub();
    hub.publish(event(2));
    hub.publish(event(3));
    const text = await drain(hub.subscribe(null));
    hub.publish(event(4));
    expect(ids(text)).toEqual([]);
    const all = await drain(hub.subscribe('not-an-id'));
    expect(ids(all).map((id) => id?.split('-')[1])).toEqual(['1', '2', '3']);
    hub.close();
  });
});
