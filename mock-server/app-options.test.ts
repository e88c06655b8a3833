/**
 * Options an app is made with, over real HTTP: a coloured log marks a 412 as a conflict too, and
 * presence snapshots keep to the interval the app was given.
 */
import { describe, expect, it } from 'vitest';
import type { PresenceSnapshot } from '../src/protocol/presence.ts';
import { SseReader, SseWaitError } from './sse-client.ts';
import { createDoc, jsonInit, saveDoc, startTestServer } from './test-server.ts';

describe('a coloured log', () => {
  it('shows a 412 in yellow with the conflict mark, as a 409', async () => {
    const lines: string[] = [];
    const server = await startTestServer({ log: (line) => lines.push(line), color: true });
    try {
      server.app.settings.conflictStatus = 412;
      const { doc, etag } = await createDoc(server.url);
      expect((await saveDoc(server.url, doc.id, { title: doc.title, content: 'two' }, etag)).status).toBe(200);
      expect((await saveDoc(server.url, doc.id, { title: doc.title, content: 'stale' }, etag)).status).toBe(412);
      const [yellow, reset] = ['\u001b[1;33m', '\u001b[0m'];
      const last = lines.at(-1) ?? '';
      expect([last.startsWith(yellow), last.endsWith(reset)]).toEqual([true, true]);
      expect(last.slice(yellow.length, -reset.length)).toMatch(/^PUT \/api\/docs\/\S+ If-Match="[^"]+" → 412 ETag=- [\d.]+ms by Ana {2}\(conflict\)$/);
    } finally {
      await server.close();
    }
  });
});

describe('presence snapshots', () => {
  it('come at most once per the interval the app was given', async () => {
    const server = await startTestServer({ presenceIntervalMs: 60_000 });
    try {
      const watcher = new SseReader(await fetch(`${server.url}/api/events`), { waitMs: 1_500 });
      expect(await watcher.nextNamed<PresenceSnapshot>('presence')).toEqual({ docs: {} });
      const tab = new SseReader(await fetch(`${server.url}/api/events?client=tab-ana`));
      const { token } = await tab.nextNamed<{ token: string }>('presence-token');
      const announce = (docId: string) =>
        fetch(`${server.url}/api/presence/tab-ana`, jsonInit('PUT', { user: 'Ana', color: '#0b57d0', docId, token }));
      expect((await announce('d_first')).status).toBe(204);
      expect((await announce('d_second')).status).toBe(204);
      // The first change goes out at once; the second waits for the minute to pass.
      expect(await watcher.nextNamed<PresenceSnapshot>('presence')).toEqual({
        docs: { d_first: [{ clientId: 'tab-ana', user: 'Ana', color: '#0b57d0' }] },
      });
      await expect(watcher.nextNamed('presence')).rejects.toBeInstanceOf(SseWaitError);
      await Promise.all([watcher.cancel(), tab.cancel()]);
    } finally {
      await server.close();
    }
  });
});
