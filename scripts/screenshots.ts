/**
 * `npm run screenshots`: the README's pictures, made from the real app with real data.
 *
 * Builds the app, starts the mock server in memory on a free port, and plays a short story with two
 * people in two browser contexts: Alice edits the plan while Bob saves a different wording of the
 * same line. Writes docs/screenshots/editor.png (Alice's editor with the live notice, who else is
 * here, and the protocol inspector) and docs/screenshots/conflict-dialog.png (the three-way
 * dialog after her save is refused with 409), both 1280×800; then docs/screenshots/strategies.png,
 * the strategies page on one gallery case, and docs/screenshots/modes.png, the modes page after one
 * race, each as tall as the page.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from '../e2e/support/chromium.ts';
import { startServer } from '../mock-server/server.ts';
import { buildApp } from './build-app.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs', 'screenshots');
const VIEWPORT = { width: 1280, height: 800 };

const PLAN = [
  '# Field trip to the science museum',
  '',
  'Date: Thursday 4 December, back by 15:30.',
  'Meet at the main gate at 8:15; the coach leaves at 8:30.',
  '',
  '## Bring',
  '- A packed lunch and a water bottle',
  '- The signed permission slip',
  '- A notebook for the planetarium quiz',
  '',
  '## Groups',
  'Group A visits the planetarium first, group B the energy hall.',
  '',
].join('\n');

async function person(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: url, viewport: VIEWPORT, colorScheme: 'light', deviceScaleFactor: 1 });
  const page = await context.newPage();
  return page;
}

async function main(): Promise<void> {
  const dist = buildApp();
  const server = await startServer({ port: 0, host: '127.0.0.1', staticRoot: dist });
  const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs });
  try {
    const created = await fetch(`${server.url}/api/docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-User': 'Alice' },
      body: JSON.stringify({ title: 'Field trip plan', content: PLAN }),
    });
    if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
    const { id } = (await created.json()) as { id: string };

    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await alice.goto(`/docs/${id}?as=Alice`);
    await bob.goto(`/docs/${id}?as=Bob`);
    const aliceContent = alice.getByRole('textbox', { name: /Content/ });
    const bobContent = bob.getByRole('textbox', { name: /Content/ });
    await expect(aliceContent).toBeEditable();
    await expect(bobContent).toBeEditable();

    await alice.getByRole('button', { name: 'Inspector', exact: true }).click();
    await expect(alice.getByRole('region', { name: 'Protocol inspector' })).toBeVisible();
    await aliceContent.fill(
      PLAN.replace('Meet at the main gate at 8:15; the coach leaves at 8:30.', 'Meet in the school hall at 8:10; the coach leaves at 8:30 sharp.').replace(
        '- A notebook for the planetarium quiz',
        '- A notebook and a pencil for the planetarium quiz',
      ),
    );
    await bobContent.fill(
      PLAN.replace('Meet at the main gate at 8:15; the coach leaves at 8:30.', 'Meet at the side gate at 8:15; the coach leaves at 8:25.').replace(
        'Group A visits the planetarium first, group B the energy hall.',
        'Group A visits the planetarium first, group B the energy hall; swap at 11:00.',
      ),
    );
    const bobSaved = bob.waitForResponse((r) => r.request().method() === 'PUT');
    await bob.getByRole('button', { name: 'Save', exact: true }).click();
    if ((await bobSaved).status() !== 200) throw new Error('Bob could not save');

    await expect(alice.getByTestId('live-notice')).toBeVisible();
    await expect(alice.getByTestId('presence')).toContainText('Bob');
    // The caret and the notice's arrival are not the point of the picture.
    await alice.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    mkdirSync(OUT, { recursive: true });
    await alice.screenshot({ path: join(OUT, 'editor.png') });

    const refused = alice.waitForResponse((r) => r.request().method() === 'PUT');
    await alice.getByRole('button', { name: 'Save', exact: true }).click();
    if ((await refused).status() !== 409) throw new Error('expected the save to be refused with 409');
    await expect(alice.getByRole('dialog')).toBeVisible();
    await alice.waitForFunction(() => performance.getEntriesByName('conflict-dialog-ready').length > 0);
    await alice.screenshot({ path: join(OUT, 'conflict-dialog.png') });

    // The strategies page on the gallery's interleaving case, whole (it is longer than a screen).
    const lab = await person(browser, server.url);
    await lab.goto('/lab/strategies');
    await lab.getByRole('button', { name: 'Interleaving', exact: true }).click();
    await expect(lab.getByRole('region', { name: 'CRDT (Yjs)', exact: true })).toContainText('interleaved');
    await lab.screenshot({ path: join(OUT, 'strategies.png'), fullPage: true });

    // The modes page after one race in the same second: five columns, whole.
    const modes = await person(browser, server.url);
    await modes.goto('/lab/modes?as=Alice');
    await modes.getByRole('button', { name: 'Run the race' }).click();
    await expect(modes.getByRole('status').filter({ hasText: /: done\.$/ })).toBeVisible({ timeout: 30_000 });
    await expect(modes.getByRole('region', { name: 'none', exact: true }).getByTestId('race-verdict')).toContainText('Lost update');
    await modes.screenshot({ path: join(OUT, 'modes.png'), fullPage: true });

    console.log(
      `Wrote editor.png, conflict-dialog.png (${VIEWPORT.width}×${VIEWPORT.height}), strategies.png and modes.png (full page) in ${join('docs', 'screenshots')}.`,
    );
  } finally {
    await browser.close();
    await server.close();
    rmSync(dist, { recursive: true, force: true });
  }
}

await main();
