import { Actor, expect, test } from './fixtures.ts';
import { OwnServer, freePort } from './support/own-server.ts';

/** Straight HTTP against a server of the test's own (the `api` fixture talks to the shared one). */
async function post(server: OwnServer, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-User': 'Setup', ...headers },
    body: JSON.stringify(body),
  });
}

async function saveAs(server: OwnServer, id: string, content: string, user: string) {
  const current = await fetch(`${server.url}/api/docs/${id}`);
  const doc = (await current.json()) as { title: string };
  const response = await fetch(`${server.url}/api/docs/${id}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-User': user, 'If-Match': current.headers.get('ETag') ?? '' },
    body: JSON.stringify({ title: doc.title, content }),
  });
  expect(response.status).toBe(200);
}

test.describe('the event stream across a server restart', () => {
  test.setTimeout(120_000);

  test('reconnects by itself, and the list updates live afterwards', async ({ browser, uniqueTitle }, testInfo) => {
    const server = new OwnServer(await freePort(), ['--data', testInfo.outputPath('documents.json')]);
    await server.start();
    const context = await browser.newContext({ baseURL: server.url });
    try {
      const created = await post(server, '/api/docs', { title: uniqueTitle, content: 'One.\n' });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };

      const alice = new Actor('Alice', context, await context.newPage());
      await alice.list.goto('Alice');
      await expect(alice.awareness.connection).toHaveText('Live');
      await saveAs(server, id, 'Two.\n', 'Bob');
      await expect(alice.list.row(uniqueTitle)).toContainText('Bob');

      await server.stop();
      await expect(alice.awareness.connection).toContainText('Reconnecting');
      await server.start();
      await expect(alice.awareness.connection).toHaveText('Live', { timeout: 30_000 });

      // No reload: the stream brings the next save.
      await saveAs(server, id, 'Three.\n', 'Carol');
      await expect(alice.list.row(uniqueTitle)).toContainText('Carol');
      await expect(alice.list.row(uniqueTitle)).toContainText('3');
      const second = await post(server, '/api/docs', { title: `${uniqueTitle} after`, content: '' });
      expect(second.status).toBe(201);
      await expect(alice.list.link(`${uniqueTitle} after`)).toBeVisible();
    } finally {
      await context.close();
      await server.stop();
    }
  });

  test('presence is announced again to the restarted server', async ({ browser, uniqueTitle }, testInfo) => {
    const server = new OwnServer(await freePort(), ['--data', testInfo.outputPath('documents.json')]);
    await server.start();
    const aliceContext = await browser.newContext({ baseURL: server.url });
    const bobContext = await browser.newContext({ baseURL: server.url });
    try {
      const created = await post(server, '/api/docs', { title: uniqueTitle, content: 'One.\n' });
      const { id } = (await created.json()) as { id: string };
      const alice = new Actor('Alice', aliceContext, await aliceContext.newPage());
      const bob = new Actor('Bob', bobContext, await bobContext.newPage());
      await alice.open(id);
      await bob.open(id);
      await expect(alice.awareness.presence).toContainText('Bob');

      await server.stop();
      await server.start();
      await expect(alice.awareness.connection).toHaveText('Live', { timeout: 30_000 });
      await expect(bob.awareness.connection).toHaveText('Live', { timeout: 30_000 });
      await expect(alice.awareness.presence).toContainText('Bob');
      await expect(bob.awareness.presence).toContainText('Alice');
    } finally {
      await aliceContext.close();
      await bobContext.close();
      await server.stop();
    }
  });
});
