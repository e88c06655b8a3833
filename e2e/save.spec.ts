import { expect, test } from './fixtures.ts';
import { isDocumentPut } from './support/scenarios.ts';

test.describe('saving a document', () => {
  test('a clean save sends the new text and shows the new version', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await expect(alice.editor.content).toHaveValue(doc.content);
    await expect(alice.editor.saveButton).toBeDisabled();

    await alice.editor.write(`${doc.content}Thursday: celebrate.\n`);
    await expect(alice.editor.status).toHaveText(/Unsaved changes/);
    const response = await alice.editor.save();

    expect(response.status()).toBe(200);
    await alice.editor.expectSaved(2);
    await expect(alice.editor.saveButton).toBeDisabled();
    await expect
      .poll(async () => (await api.current(doc.id)).doc)
      .toMatchObject({ version: 2, content: `${doc.content}Thursday: celebrate.\n`, updatedBy: 'Alice' });
  });

  test('Ctrl+S saves, with the ETag the document was loaded with', async ({ api, doc, alice }) => {
    const { etag } = await api.current(doc.id);
    await alice.open(doc.id);
    await alice.editor.write('Short and sweet.\n');
    const response = alice.page.waitForResponse((r) => isDocumentPut(r.request()));
    await alice.editor.content.press('Control+s');

    expect((await response).request().headers()['if-match']).toBe(etag);
    await alice.editor.expectSaved(2);
    await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe('Short and sweet.\n');
  });

  test('renaming through the title field saves the new title', async ({ api, doc, alice, uniqueTitle }) => {
    await alice.open(doc.id);
    const renamed = `${uniqueTitle} renamed`;
    await alice.editor.title.fill(renamed);
    await alice.editor.save();

    await alice.editor.expectSaved(2);
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ title: renamed, content: doc.content });
  });

  test('each tab names its user in X-User, and a second tab can be another user', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await expect(alice.page.getByTestId('identity-name')).toHaveText('Alice');

    const [second] = await Promise.all([alice.context.waitForEvent('page'), alice.editor.openAsAnotherUser.click()]);
    const other = second.getByTestId('identity-name');
    await expect(other).not.toHaveText('Alice');
    await expect(other).not.toBeEmpty();
    const otherName = (await other.textContent()) ?? '';

    const content = second.getByRole('textbox', { name: /Content/ });
    await content.fill('Written in the second tab.\n');
    await second.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 2, updatedBy: otherName });
  });
});

test.describe('saving through failures', () => {
  test('a 503 is retried with backoff and the save goes through', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    let puts = 0;
    await alice.page.route(`**/api/docs/${doc.id}`, async (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      puts += 1;
      if (puts > 1) return route.continue();
      return route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: '/problems/internal-error', title: 'Unavailable', status: 503, detail: 'Try again.' }),
      });
    });

    await alice.editor.write('Saved on the second try.\n');
    await alice.editor.saveButton.click();
    await expect(alice.editor.status).toHaveText('Server error, will retry');
    await alice.editor.expectSaved(2);
    expect(puts).toBe(2);
    await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe('Saved on the second try.\n');
  });

  test('offline: the save waits, says so, and goes out when the network is back', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await alice.context.setOffline(true);
    await alice.editor.write('Written on a train.\n');
    await alice.editor.saveButton.click();
    await expect(alice.editor.status).toHaveText('Offline, will retry');
    await expect.poll(async () => (await api.current(doc.id)).doc.version).toBe(1);

    await alice.context.setOffline(false);
    await alice.editor.expectSaved(2);
    await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe('Written on a train.\n');
  });

  test('a 409 is never retried', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await alice.editor.write('Mine.\n');
    await api.save(doc.id, { content: 'Theirs.\n' }, 'Bob');
    let puts = 0;
    alice.page.on('request', (r) => {
      if (isDocumentPut(r)) puts += 1;
    });
    expect((await alice.editor.save()).status()).toBe(409);
    await alice.dialog.expectOpen();
    // Longer than the first backoff step: a retry would have gone out by now.
    await alice.page.waitForTimeout(1500);
    expect(puts).toBe(1);
  });

  test('a problem other than a conflict is explained in plain words and the text is kept', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await alice.editor.title.fill('');
    await alice.editor.write('Text with no title.\n');
    await alice.editor.content.press('Control+s');
    await expect(alice.page.getByRole('alert')).toContainText(/title/i);
    await expect(alice.editor.content).toHaveValue('Text with no title.\n');
    await expect.poll(async () => (await api.current(doc.id)).doc.version).toBe(1);
  });
});
