/**
 * The event of a save that replaced versions unseen (docs/protocol.md §1.7, §1.11), over real
 * HTTP: every tab is told which versions it overwrote; a save that started from the version it
 * replaced says nothing of the kind.
 */
import { expect, it } from 'vitest';
import type { DocumentEvent } from '../src/protocol/types.ts';
import { SseReader } from './sse-client.ts';
import { createDoc, jsonInit, useTestServer } from './test-server.ts';

const server = useTestServer();

it('tells every tab which versions a save in the none mode overwrote', async () => {
  const { doc, etag } = await createDoc(server.url, undefined, 'one');
  expect((await fetch(`${server.url}/api/docs/${doc.id}/concurrency`, jsonInit('PUT', { concurrency: 'none' }))).status).toBe(200);
  const events = new SseReader(await fetch(`${server.url}/api/events`));
  try {
    const save = (content: string, user: string) => fetch(`${server.url}/api/docs/${doc.id}`, jsonInit('PUT', { title: doc.title, content }, { 'If-Match': etag, 'X-User': user }));
    expect((await save('Bob was here', 'Bob')).status).toBe(200);
    expect((await save('Alice was here', 'Alice')).status).toBe(200);
    const updates: DocumentEvent[] = [];
    while (updates.length < 2) {
      const event = await events.nextEvent();
      if (!event) throw new Error('the stream ended');
      if (event.data.id === doc.id) updates.push(event.data);
    }
    expect(updates[0]).toMatchObject({ version: 2, updatedBy: 'Bob' });
    expect(updates[0]).not.toHaveProperty('overwrote');
    expect(updates[1]).toMatchObject({ version: 3, updatedBy: 'Alice', overwrote: [2] });
  } finally {
    await events.cancel();
  }
});
