import { SAMPLE, expect, test } from './fixtures.ts';

/**
 * A draft kept by an older page, or a record written in part, may lack its base's ETag: the
 * text comes back, but it names no version it may replace, so it is never sent as it is.
 */
test('a draft kept without its base’s ETag comes back, and is saved only as chosen against the newest version', async ({ api, doc, alice }) => {
  const mine = SAMPLE.replace('Tuesday', 'Thursday');
  // Bob saved after Alice typed her text; the record of her text does not say on which version.
  const theirs = SAMPLE.replace('Wednesday: ship it.', 'Wednesday: ship it, then celebrate.');
  await api.save(doc.id, { content: theirs }, 'Bob');
  const newest = await api.current(doc.id);
  expect(newest.doc.version).toBe(2);

  await alice.page.goto('/');
  await alice.page.evaluate(
    ([key, record]) => localStorage.setItem(key, record),
    [
      `conflict-lab:draft:alice:${doc.id}`,
      JSON.stringify({ docId: doc.id, title: doc.title, content: mine, editedAt: Date.now() - 60_000, base: { title: doc.title, version: 1 } }),
    ] as const,
  );
  // The document's saves (not the presence heartbeat, also a PUT), by their If-Match.
  const puts: Array<string | null> = [];
  alice.page.on('request', (request) => {
    if (request.method() === 'PUT' && new URL(request.url()).pathname === `/api/docs/${doc.id}`) puts.push(request.headers()['if-match'] ?? null);
  });
  await alice.open(doc.id);

  await expect(alice.editor.content).toHaveValue(mine);
  await expect(alice.page.getByText(/Restored your unsaved changes from \d{1,2}:\d{2}/)).toBeVisible();
  const notice = alice.page.getByTestId('unknown-base-notice');
  await expect(notice).toContainText('This device kept your text but not which version you typed it on, so it cannot be saved as it is.');

  // Save sends nothing as it is: it opens the comparison with the newest version.
  await alice.editor.saveButton.click();
  await alice.dialog.expectOpen();
  await expect(alice.dialog.root).toContainText('Which version you started from is not known, so your text is compared with the latest as it is: Bob saved version 2');
  expect(puts).toEqual([]);
  await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 2, content: theirs });

  // Alice keeps her text where they differ and Bob's line where he added to it.
  await alice.dialog.cancel.click();
  await expect(alice.dialog.root).toBeHidden();
  await expect(alice.editor.content).toHaveValue(mine);
  const both = mine.replace('Wednesday: ship it.', 'Wednesday: ship it, then celebrate.');
  await alice.editor.write(both);
  await expect(notice).toBeVisible();
  await alice.editor.saveButton.click();
  await alice.dialog.expectOpen();
  await alice.dialog.takeMine.first().click();
  const put = alice.page.waitForResponse((r) => r.request().method() === 'PUT' && new URL(r.url()).pathname === `/api/docs/${doc.id}`);
  await alice.dialog.merge.click();
  expect((await put).status()).toBe(200);

  expect(puts).toEqual([newest.etag]);
  await alice.editor.expectSaved(3);
  await expect(notice).toBeHidden();
  await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 3, content: both, updatedBy: 'Alice' });
});
