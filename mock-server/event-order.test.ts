/**
 * Events go out in the order their changes were committed, also when one of them waits for a
 * history read (a save that overwrote versions unseen carries which ones): a change committed
 * right after it waits its turn instead of overtaking it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { SseReader } from './sse-client.ts';
import { openSqliteStore } from './storage/sqlite-store.ts';

const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

describe('the order of events', () => {
  it('is the commit order, though the first one waits for the history of what it overwrote', async () => {
    const store = openSqliteStore({ folder: null, seed: false });
    const app = createApp(store, { settings: { allowedHosts: ['localhost'] } });
    closing.push(async () => {
      app.shutdown();
      await store.close();
    });
    const made = await store.create({ title: 'Ordered', content: 'one' }, 'Ana');
    if (made.kind !== 'created') throw new Error(made.kind);
    const { id } = made.revision.document;
    expect((await store.update(id, { title: 'Ordered', content: 'two' }, { any: true }, 'Bob')).kind).toBe('updated');
    const reader = new SseReader(new Response(app.events.subscribe(null)));
    // Ana saves over Bob's version 2 from version 1 (a lost update), and Carol creates a document
    // at once: both commit before either event goes out.
    const [lossy, other] = await Promise.all([
      store.update(id, { title: 'Ordered', content: 'three' }, { any: true }, 'Ana', undefined, { basedOn: made.revision.etag }),
      store.create({ title: 'Another', content: '' }, 'Carol'),
    ]);
    expect([lossy.kind, other.kind]).toEqual(['updated', 'created']);
    const first = await reader.nextEvent();
    const second = await reader.nextEvent();
    expect([first?.data, second?.data]).toEqual([
      expect.objectContaining({ type: 'updated', id, version: 3, overwrote: [2] }),
      expect.objectContaining({ type: 'created', updatedBy: 'Carol' }),
    ]);
    await reader.cancel();
  });
});
