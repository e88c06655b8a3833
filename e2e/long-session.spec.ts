import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { holdStream } from './support/stream.ts';

const isDocumentsApi = (url: string) => new URL(url).pathname.startsWith('/api/docs');

/**
 * The page's requests to the documents API: every one sent after `record()`, as "METHOD /path",
 * and how many sent at any time are still unanswered.
 */
function watchRequests(page: Page) {
  let unanswered = 0;
  let seen: string[] | null = null;
  page.on('request', (request) => {
    if (!isDocumentsApi(request.url())) return;
    unanswered += 1;
    seen?.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  const answered = (request: { url(): string }) => {
    if (isDocumentsApi(request.url())) unanswered -= 1;
  };
  page.on('requestfinished', answered);
  page.on('requestfailed', answered);
  return {
    unanswered: () => unanswered,
    record(): string[] {
      seen = [];
      return seen;
    },
  };
}

test.describe('a long session stays light', () => {
  test('another user’s save costs a reading tab one request, and none for the revision list', async ({ api, doc, bob }) => {
    // Opening the editor costs its own reads: the first ones, then, once the event stream is open,
    // those again (what was read before the opening may predate it). Both are over before the
    // counting starts. The stream is held until the first reads are answered, so that the reads
    // again all start at its opening rather than as each first read lands.
    const requests = watchRequests(bob.page);
    const stream = await holdStream(bob.page);
    await bob.open(doc.id);
    await bob.editor.expectSaved(1);
    await expect.poll(requests.unanswered).toBe(0);
    const readAgain = bob.page.waitForResponse((r) => new URL(r.url()).pathname === `/api/docs/${doc.id}` && r.request().method() === 'GET');
    stream.release();
    await expect(bob.awareness.connection).toHaveText('Live');
    await readAgain;
    await expect.poll(requests.unanswered).toBe(0);
    const seen = requests.record();

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
