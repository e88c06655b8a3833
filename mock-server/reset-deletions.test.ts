/**
 * A document the demo reset deleted is told apart from one a person deleted: its `deleted` event
 * and every 410 about it carry `reason: "reset"` (docs/protocol.md §1.5, §1.8), over real HTTP.
 * The reason is stored with the deletion, so it holds after a restart, on every engine, and on
 * another server sharing the PostgreSQL database.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ResetResult } from '../src/protocol/simulation.ts';
import type { DocumentEvent } from '../src/protocol/types.ts';
import { SseReader } from './sse-client.ts';
import { enginesUnderTest, postgresEngine, removeTempFolders } from './storage/engines-under-test.ts';
import type { RunningServer } from './server.ts';
import { changeInit, createDoc, expectProblem, jsonInit, saveDoc, startTestServer, useTestServer } from './test-server.ts';

const server = useTestServer({ perTest: true });
afterAll(removeTempFolders);

/** The next `deleted` events on the stream, as many as asked for. */
async function deletedEvents(reader: SseReader, count: number): Promise<DocumentEvent[]> {
  const seen: DocumentEvent[] = [];
  while (seen.length < count) {
    const event = await reader.nextEvent();
    if (!event) throw new Error('The stream ended early.');
    if (event.event === 'deleted') seen.push(event.data);
  }
  return seen;
}

describe('deletions by the demo reset', () => {
  it('carry reason "reset" on the event and on every 410, and still name who pressed Reset', async () => {
    const base = server.url;
    const { doc, etag } = await createDoc(base, undefined, 'text', 'Ana');
    const events = new SseReader(await fetch(`${base}/api/events`));
    const reset = await fetch(`${base}/api/simulation/reset`, changeInit('POST', { 'X-User': 'Teacher' }));
    expect(reset.status).toBe(200);

    const deleted = await deletedEvents(events, 1 + 3);
    const ours = deleted.find((event) => event.id === doc.id);
    expect(ours).toMatchObject({ type: 'deleted', updatedBy: 'Teacher', reason: 'reset' });
    expect(deleted.every((event) => event.reason === 'reset')).toBe(true);
    await events.cancel();

    const gone = await expectProblem(await fetch(`${base}/api/docs/${doc.id}`), 410, 'gone');
    expect(gone).toMatchObject({ id: doc.id, deletedBy: 'Teacher', reason: 'reset' });
    expect(gone.detail).toMatch(/deleted when the demo was reset by Teacher/);
    const save = await expectProblem(await saveDoc(base, doc.id, { title: doc.title, content: 'mine' }, etag), 410, 'gone');
    expect(save.reason).toBe('reset');
    const remove = await expectProblem(await fetch(`${base}/api/docs/${doc.id}`, changeInit('DELETE', { 'If-Match': etag })), 410, 'gone');
    expect(remove.reason).toBe('reset');
    const bot = await expectProblem(await fetch(`${base}/api/simulation/bot`, jsonInit('PUT', { docId: doc.id, intervalSeconds: 1 })), 410, 'gone');
    expect(bot.reason).toBe('reset');
  });

  it('a person’s delete, before or after a reset, has no reason: it names the person', async () => {
    const base = server.url;
    const before = await createDoc(base, undefined, 'text', 'Ana');
    expect((await fetch(`${base}/api/docs/${before.doc.id}`, changeInit('DELETE', { 'If-Match': before.etag, 'X-User': 'Bob' }))).status).toBe(204);
    const reset = await fetch(`${base}/api/simulation/reset`, changeInit('POST', { 'X-User': 'Teacher' }));
    const { docs } = (await reset.json()) as ResetResult;
    const gone = await expectProblem(await fetch(`${base}/api/docs/${before.doc.id}`), 410, 'gone');
    expect(gone).toMatchObject({ deletedBy: 'Bob' });
    expect(gone).not.toHaveProperty('reason');
    expect(gone.detail).not.toMatch(/reset/);

    // A seed document made by the reset, then deleted by Carol.
    const seed = docs[0];
    if (!seed) throw new Error('the reset made no documents');
    const events = new SseReader(await fetch(`${base}/api/events`));
    const head = await fetch(`${base}/api/docs/${seed.id}`);
    const etag = head.headers.get('etag') ?? '';
    expect((await fetch(`${base}/api/docs/${seed.id}`, changeInit('DELETE', { 'If-Match': etag, 'X-User': 'Carol' }))).status).toBe(204);
    const [event] = await deletedEvents(events, 1);
    expect(event).toMatchObject({ id: seed.id, updatedBy: 'Carol' });
    expect(event).not.toHaveProperty('reason');
    await events.cancel();
    const seedGone = await expectProblem(await fetch(`${base}/api/docs/${seed.id}`), 410, 'gone');
    expect(seedGone).toMatchObject({ deletedBy: 'Carol' });
    expect(seedGone).not.toHaveProperty('reason');
  });
});

describe.each(enginesUnderTest())('the reset marker on $name', (engine) => {
  it('is stored with the deletion: a 410 after a restart still says reset, a person’s delete still names the person', async () => {
    const storage = await engine.freshConfig();
    let running: RunningServer = await startTestServer({ storage });
    try {
      const byReset = await createDoc(running.url, undefined, 'text', 'Ana');
      const byBob = await createDoc(running.url, undefined, 'text', 'Ana');
      expect((await fetch(`${running.url}/api/docs/${byBob.doc.id}`, changeInit('DELETE', { 'If-Match': byBob.etag, 'X-User': 'Bob' }))).status).toBe(204);
      expect((await fetch(`${running.url}/api/simulation/reset`, changeInit('POST', { 'X-User': 'Teacher' }))).status).toBe(200);
      await running.close();
      running = await startTestServer({ storage });

      const gone = await expectProblem(await fetch(`${running.url}/api/docs/${byReset.doc.id}`), 410, 'gone');
      expect(gone).toMatchObject({ id: byReset.doc.id, deletedBy: 'Teacher', reason: 'reset' });
      expect(gone.detail).toMatch(/deleted when the demo was reset by Teacher/);
      const save = await expectProblem(await saveDoc(running.url, byReset.doc.id, { title: byReset.doc.title, content: 'mine' }, byReset.etag), 410, 'gone');
      expect(save.reason).toBe('reset');
      const person = await expectProblem(await fetch(`${running.url}/api/docs/${byBob.doc.id}`), 410, 'gone');
      expect(person).toMatchObject({ deletedBy: 'Bob' });
      expect(person).not.toHaveProperty('reason');
    } finally {
      await running.close();
    }
  });
});

const postgres = postgresEngine();

describe.runIf(postgres)('the reset marker on two servers sharing PostgreSQL', () => {
  it('reaches the other server: its event and its 410 say reset', async () => {
    if (!postgres) throw new Error('unreachable: runs only with PostgreSQL');
    const storage = await postgres.freshConfig();
    const a = await startTestServer({ storage });
    const b = await startTestServer({ storage });
    try {
      const { doc } = await createDoc(a.url, undefined, 'text', 'Ana');
      // B's subscriber connects before the reset, so it is told of the reset's deletions.
      const events = new SseReader(await fetch(`${b.url}/api/events`), { waitMs: 20_000 });
      expect((await fetch(`${a.url}/api/simulation/reset`, changeInit('POST', { 'X-User': 'Teacher' }))).status).toBe(200);
      let event: DocumentEvent | undefined;
      while (!event) {
        const next = await events.nextEvent();
        if (!next) throw new Error('The stream ended early.');
        if (next.event === 'deleted' && next.data.id === doc.id) event = next.data;
      }
      await events.cancel();
      expect(event).toMatchObject({ type: 'deleted', updatedBy: 'Teacher', reason: 'reset' });
      const gone = await expectProblem(await fetch(`${b.url}/api/docs/${doc.id}`), 410, 'gone');
      expect(gone).toMatchObject({ deletedBy: 'Teacher', reason: 'reset' });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
