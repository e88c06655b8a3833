/**
 * The built app served beside the API (`npm start`), over real HTTP: its files as they are, the
 * app shell for a client-side route, a 404 for a missing file, and no app at all when the server
 * was not given one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempFolders, tempFolder } from './storage/engines-under-test.ts';
import { startTestServer } from './test-server.ts';

afterAll(removeTempFolders);

const SHELL = '<!doctype html><title>Conflict Lab</title><div id="root"></div>';

describe('with a built app', () => {
  it('serves its files, the shell for a client-side route, and 404 for a missing file', async () => {
    const root = tempFolder();
    writeFileSync(join(root, 'index.html'), SHELL);
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'console.log("app");');
    const server = await startTestServer({ staticRoot: root });
    try {
      const script = await fetch(`${server.url}/assets/app-1a2b.js`);
      expect(script.status).toBe(200);
      expect(await script.text()).toBe('console.log("app");');
      for (const route of ['/', '/docs/d_123', '/modes']) {
        const page = await fetch(`${server.url}${route}`);
        expect([route, page.status, await page.text()]).toEqual([route, 200, SHELL]);
      }
      const missing = await fetch(`${server.url}/assets/gone-9z.CSS`);
      expect([missing.status, await missing.text()]).toEqual([404, 'Not found']);
      // The API is still the API.
      expect((await fetch(`${server.url}/api/docs`)).headers.get('content-type')).toBe('application/json');
    } finally {
      await server.close();
    }
  });
});

describe('without one', () => {
  it('answers every page with a plain 404', async () => {
    const server = await startTestServer();
    try {
      for (const route of ['/', '/docs/d_123', '/index.html']) {
        const page = await fetch(`${server.url}${route}`);
        expect([route, page.status, await page.text()]).toEqual([route, 404, 'Not found']);
      }
    } finally {
      await server.close();
    }
  });
});
