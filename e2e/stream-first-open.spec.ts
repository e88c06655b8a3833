import type { Page, Route } from '@playwright/test';
import { expect, test } from './fixtures.ts';

/**
 * What happens between a tab's first read and its event stream's first opening. The server sends a
 * stream the events from its opening on, and a first opening has no `Last-Event-ID` to resume
 * from: a change made in that moment reaches the tab only because the tab reads again once its
 * stream is open. The stream is held on the network until another person has changed something,
 * so the moment is made, not waited for.
 */

/** Holds the page's `GET /api/events` until `release` is called. */
async function holdStream(page: Page): Promise<{ release: () => void }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === '/api/events',
    async (route: Route) => {
      await released;
      await route.fallback();
    },
  );
  return { release };
}

test.describe('the stream’s first opening', () => {
  test('a save and a mode change made before it reach the editor: it shows the new version and saves as the new mode wants', async ({
    doc,
    alice,
    bob,
  }) => {
    const stream = await holdStream(alice.page);
    await alice.open(doc.id);
    await expect(alice.editor.content).toHaveValue(doc.content);
    await expect(alice.awareness.connection).not.toHaveText('Live');

    // Bob, in a browser of his own, switches the document to timestamps and saves, while Alice's
    // stream is not open yet.
    await bob.open(doc.id);
    await bob.page.getByLabel('Concurrency mode of this document').selectOption('timestamp');
    await expect.poll(async () => ((await bob.page.request.get(`/api/docs/${doc.id}/concurrency`)).json() as Promise<unknown>)).toMatchObject({
      concurrency: 'timestamp',
    });
    const bobs = doc.content.replace('Wednesday: ship it.', 'Wednesday: ship it, then celebrate.');
    await bob.editor.write(bobs);
    expect((await bob.editor.save()).status()).toBe(200);

    stream.release();
    await expect(alice.awareness.connection).toHaveText('Live');
    // No reload, no event about it: the tab read again what it had read before its stream opened.
    await expect(alice.editor.content).toHaveValue(bobs);
    await expect(alice.page.getByLabel('Concurrency mode of this document')).toHaveValue('timestamp');

    await alice.editor.write(`${bobs}Alice: bring snacks.\n`);
    const response = await alice.editor.save();
    expect(response.status()).toBe(200);
    const headers = response.request().headers();
    expect(headers['if-unmodified-since']).toMatch(/GMT$/);
    expect(headers['if-match']).toBeUndefined();
    await alice.editor.expectSaved(3);
  });

  test('a document created before it appears in the list', async ({ alice, api, uniqueTitle }) => {
    const stream = await holdStream(alice.page);
    const listed = alice.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/docs' && r.request().method() === 'GET');
    await alice.list.goto(alice.name);
    await listed;
    await api.create(uniqueTitle, 'Made while the list was loading.\n', 'Bob');

    stream.release();
    await expect(alice.awareness.connection).toHaveText('Live');
    await expect(alice.list.link(uniqueTitle)).toBeVisible();
  });
});
