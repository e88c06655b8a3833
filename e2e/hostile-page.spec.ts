import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SAMPLE, expect, test } from './fixtures.ts';
import { OwnServer, freePort } from './support/own-server.ts';

/**
 * A page of another origin (http://localhost:<other port>) in the same browser as the lab (a
 * server of this test's own on http://127.0.0.1:<port>, since a reset that got through would wipe
 * the shared one). What it sends without asking (a no-cors fetch, a form post) reaches the server
 * and is refused; what needs a CORS preflight never leaves the browser.
 */
test.describe('a page on another origin', () => {
  let lab: OwnServer;
  let hostile: Server;
  let hostileUrl: string;

  test.beforeAll(async () => {
    lab = new OwnServer(await freePort(), ['--memory']);
    await lab.start();
    hostile = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Totally harmless</title><p>Nothing to see.</p>');
    });
    hostile.listen(0, '127.0.0.1');
    await once(hostile, 'listening');
    hostileUrl = `http://localhost:${(hostile.address() as AddressInfo).port}/`;
  });

  test.afterAll(async () => {
    hostile.close();
    await lab.stop();
  });

  test('cannot reset, delete or save', async ({ page }) => {
    const created = await fetch(`${lab.url}/api/docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Keep me', content: SAMPLE }),
    });
    expect(created.status).toBe(201);
    const doc = (await created.json()) as { id: string };
    const etag = created.headers.get('etag') ?? '';

    await page.goto(hostileUrl);
    const refused: Array<{ url: string; status: number }> = [];
    page.on('response', (response) => {
      if (response.url().startsWith(lab.url)) refused.push({ url: new URL(response.url()).pathname, status: response.status() });
    });

    const results = await page.evaluate(
      async ({ target, id, tag }) => {
        const attempts: Record<string, string> = {};
        const attempt = async (name: string, run: () => Promise<Response>) => {
          try {
            attempts[name] = String((await run()).type);
          } catch {
            attempts[name] = 'blocked';
          }
        };
        // Sent without a preflight: these reach the server.
        await attempt('reset', () => fetch(`${target}/api/simulation/reset`, { method: 'POST', mode: 'no-cors' }));
        await attempt('scenario-delete', () =>
          fetch(`${target}/api/docs/${id}/scenarios/delete`, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '{}' }),
        );
        // These need a preflight the server never grants: the browser does not send them.
        await attempt('save', () =>
          fetch(`${target}/api/docs/${id}`, {
            method: 'PUT',
            headers: { 'Content-Type': 'application/json', 'If-Match': tag },
            body: JSON.stringify({ title: 'Owned', content: 'owned' }),
          }),
        );
        await attempt('delete', () => fetch(`${target}/api/docs/${id}`, { method: 'DELETE', headers: { 'If-Match': tag } }));
        // A form post, as a hidden form on the page would send it.
        const frame = document.createElement('iframe');
        frame.name = 'sink';
        document.body.append(frame);
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = `${target}/api/simulation/reset`;
        form.target = 'sink';
        document.body.append(form);
        const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
        form.submit();
        await loaded;
        return attempts;
      },
      { target: lab.url, id: doc.id, tag: etag },
    );

    expect(results).toEqual({ reset: 'opaque', 'scenario-delete': 'opaque', save: 'blocked', delete: 'blocked' });
    // What reached the server was refused as coming from another origin.
    await expect.poll(() => refused.filter((r) => r.url === '/api/simulation/reset').map((r) => r.status)).toEqual([403, 403]);
    expect(refused.filter((r) => r.url.endsWith('/scenarios/delete')).map((r) => r.status)).toEqual([403]);

    // The document is as it was, and was not reset away.
    const after = await fetch(`${lab.url}/api/docs/${doc.id}`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ title: 'Keep me', content: SAMPLE, version: 1 });
  });
});
