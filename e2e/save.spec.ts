import { expect, test } from './fixtures.ts';

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
    const response = alice.page.waitForResponse((r) => r.request().method() === 'PUT');
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
