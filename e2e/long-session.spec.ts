import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

/** Every request the page sends to the documents API after this call, as "METHOD /path". */
function recordRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/docs')) seen.push(`${request.method()} ${url.pathname}`);
  });
  return seen;
}

test.describe('a long session stays light', () => {
  test('another user’s save costs a reading tab one request, and none for the revision list', async ({ api, doc, bob }) => {
    await bob.open(doc.id);
    await bob.editor.expectSaved(1);
    const seen = recordRequests(bob.page);

    const saves = 5;
    for (let n = 0; n < saves; n += 1) {
      await api.save(doc.id, { content: `Alice's text, take ${n}.\n` }, 'Alice');
      // One at a time, each seen by the tab, as the bot's saves a second apart are.
      await bob.editor.expectSaved(n + 2);
    }
    await expect(bob.editor.content).toHaveValue(`Alice's text, take ${saves - 1}.\n`);

    expect(seen.filter((r) => r.endsWith('/revisions'))).toEqual([]);
    expect(seen.length).toBeLessThanOrEqual(saves);
  });

  test('two people present never wear the same colour', async ({ doc, alice, carol }) => {
    const green = JSON.stringify({ colour: '#1d6b2f' });
    for (const { context, name } of [alice, carol]) {
      // Both tabs start out with the same colour, as chance gave Alice and Carol.
      await context.addInitScript(
        ([who, colour]) => sessionStorage.setItem('conflict-lab:identity', JSON.stringify({ name: who, colour: JSON.parse(colour).colour })),
        [name, green] as const,
      );
    }
    await alice.page.goto(`/docs/${doc.id}`);
    await carol.page.goto(`/docs/${doc.id}`);
    await expect(alice.awareness.presence).toContainText('Carol');
    await expect(carol.awareness.presence).toContainText('Alice');

    const badge = (page: Page) => page.locator('.app-header .identity-dot').evaluate((dot) => getComputedStyle(dot).backgroundColor);
    await expect.poll(async () => new Set([await badge(alice.page), await badge(carol.page)]).size).toBe(2);
    // Each tab shows the other in the colour the other wears.
    const chip = (page: Page) => page.locator('.presence-chip .identity-dot').evaluate((dot) => getComputedStyle(dot).backgroundColor);
    await expect.poll(async () => chip(alice.page)).toBe(await badge(carol.page));
    await expect.poll(async () => chip(carol.page)).toBe(await badge(alice.page));
  });
});
