import type { Route } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { holdStream } from './support/stream.ts';

/**
 * Changes a tab could miss, because they fall between what it reads and what its event stream
 * tells it. The server sends a stream the events from its opening on, and a first opening has no
 * `Last-Event-ID` to resume from: a change made between the tab's first read and that opening
 * reaches it only because the tab reads again once its stream is open. And an event that arrives
 * while a read is on its way cannot be written into data the tab does not have yet: the read is
 * repeated. Each moment is made by holding a request on the network until another person has
 * changed something, not waited for.
 */

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

  test('a lost update saved while the tab’s first read of the history is on its way still shows its notice', async ({ doc, alice, bob, api }) => {
    await alice.open(doc.id);
    await alice.page.getByLabel('Concurrency mode of this document').selectOption('none');
    await expect.poll(async () => ((await alice.page.request.get(`/api/docs/${doc.id}/concurrency`)).json() as Promise<unknown>)).toMatchObject({
      concurrency: 'none',
    });
    // Bob's first read of the history is answered at once, and handed to his tab only once the
    // events of the saves below have reached it.
    let deliver = () => {};
    const delivered = new Promise<void>((resolve) => (deliver = resolve));
    let answered = () => {};
    const wasAnswered = new Promise<void>((resolve) => (answered = resolve));
    await bob.page.route(
      (url) => url.pathname === `/api/docs/${doc.id}/revisions`,
      async (route: Route) => {
        const response = await route.fetch();
        answered();
        await delivered;
        await route.fulfill({ response });
      },
    );
    await bob.open(doc.id);
    await expect(bob.awareness.connection).toHaveText('Live');
    await wasAnswered;

    // Carol saves version 2; Alice, in this mode, saves over it from version 1 without seeing it.
    const { etag: first } = await api.current(doc.id);
    await api.save(doc.id, { content: `${doc.content}Carol: book the room.\n` }, 'Carol');
    const alices = await alice.page.request.put(`/api/docs/${doc.id}`, {
      headers: { 'Content-Type': 'application/json', 'X-User': 'Alice', 'If-Match': first },
      data: { title: doc.title, content: `${doc.content}Alice: bring snacks.\n` },
    });
    expect(alices.status()).toBe(200);
    // Alice's save has reached Bob's tab (his editor shows it): only now does his history arrive.
    await expect(bob.editor.content).toHaveValue(/Alice: bring snacks/);
    deliver();

    await expect(bob.page.getByTestId('lost-update')).toContainText('Alice’s save replaced version 2 without seeing it');
    await expect(bob.page.getByTestId('lost-update')).toContainText('Carol’s change is gone');
  });
});
