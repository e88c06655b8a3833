import { SAMPLE, expect, test } from './fixtures.ts';
import { isDocumentPut, otherSavesFirst } from './support/scenarios.ts';

test.describe('a document deleted while editing', () => {
  test('the editor learns of the delete, names who did it, and saving as a new document is the one Save', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    const mine = `${SAMPLE}Alice's last thought.\n`;
    await alice.editor.write(mine);
    await api.delete(doc.id, 'Bob');

    const panel = alice.page.getByRole('region', { name: 'This document was deleted' });
    await expect(panel).toContainText('Bob deleted it while you were editing. Your text is still here');
    await expect(alice.editor.content).toHaveValue(mine);
    // No second Save that could only fail with a 410.
    await expect(alice.page.getByRole('button', { name: /^Save/ })).toHaveText(['Save as a new document']);
    await expect(alice.editor.status).toHaveText('Deleted · your text is kept on this device');

    await panel.getByRole('button', { name: 'Save as a new document' }).click();
    await expect(alice.page).not.toHaveURL(new RegExp(`/docs/${doc.id}$`));
    await alice.editor.expectSaved(1);
    const newId = decodeURIComponent(new URL(alice.page.url()).pathname.split('/').pop() ?? '');

    await expect.poll(async () => (await api.current(newId)).doc).toMatchObject({ title: doc.title, content: mine, version: 1, updatedBy: 'Alice' });
    expect((await api.get(doc.id)).status).toBe(410);
  });

  test('deleted while only read: no "your text is still here", and the last version can still live on', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await api.delete(doc.id, 'Bob');

    const panel = alice.page.getByRole('region', { name: 'This document was deleted' });
    await expect(panel).toContainText('Bob deleted it.');
    await expect(panel).not.toContainText('Your text');
    await expect(alice.editor.status).toHaveText('Deleted');
    await panel.getByRole('button', { name: 'Save as a new document' }).click();
    await alice.editor.expectSaved(1);
    const newId = decodeURIComponent(new URL(alice.page.url()).pathname.split('/').pop() ?? '');
    await expect.poll(async () => (await api.current(newId)).doc).toMatchObject({ content: SAMPLE, updatedBy: 'Alice' });
  });

  test('a duplicate title on "save as new" suggests another title, and nothing is lost', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    const mine = 'Text that must survive.\n';
    await alice.editor.write(mine);
    await api.delete(doc.id, 'Bob');
    // Someone takes the freed title before Alice saves.
    await api.create(doc.title, 'Another document.\n', 'Carol');

    const panel = alice.page.getByRole('region', { name: 'This document was deleted' });
    await panel.getByRole('button', { name: 'Save as a new document' }).click();
    await expect(panel.getByRole('alert')).toContainText('already exists');
    const titleField = panel.getByRole('textbox', { name: 'Title of the new document' });
    await expect(titleField).toHaveValue(`${doc.title} (2)`);
    await expect(alice.editor.content).toHaveValue(mine);

    await panel.getByRole('button', { name: 'Save as a new document' }).click();
    await alice.editor.expectSaved(1);
    await expect
      .poll(async () => (await api.list()).filter((d) => d.title === `${doc.title} (2)`).length)
      .toBe(1);
    const created = (await api.list()).find((d) => d.title === `${doc.title} (2)`);
    expect((await api.current(created?.id ?? '')).doc.content).toBe(mine);
  });

  test('one user deletes in the app while another edits; the editor keeps the text and saves it as new', async ({ api, doc, alice, bob }) => {
    await bob.open(doc.id);
    await bob.editor.write('Bob keeps writing.\n');
    await alice.open(doc.id);
    await alice.page.getByRole('button', { name: 'Delete document' }).click();
    await alice.page.getByRole('button', { name: 'Delete for everyone' }).click();
    await expect(alice.page).toHaveURL(/\/$/);
    await expect.poll(async () => (await api.get(doc.id)).status).toBe(410);

    const panel = bob.page.getByRole('region', { name: 'This document was deleted' });
    await expect(panel).toContainText('Alice deleted it while you were editing');
    await expect(bob.editor.saveButton).toHaveCount(0);
    await expect(bob.editor.content).toHaveValue('Bob keeps writing.\n');
    await panel.getByRole('button', { name: 'Save as a new document' }).click();
    await bob.editor.expectSaved(1);
    await expect.poll(async () => (await api.list()).filter((d) => d.title === doc.title).map((d) => d.updatedBy)).toEqual(['Bob']);
  });

  test('a delete based on an old version is refused', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await alice.page.getByRole('button', { name: 'Delete document' }).click();
    await expect(alice.page.getByRole('group', { name: 'Confirm deletion' })).toContainText('version 1');
    // Bob saves while Alice reads the question: her answer was about version 1.
    await api.save(doc.id, { content: 'Bob changed it.\n' }, 'Bob');
    const response = alice.page.waitForResponse((r) => r.request().method() === 'DELETE');
    await alice.page.getByRole('button', { name: 'Delete for everyone' }).click();
    expect((await response).status()).toBe(409);
    await expect(alice.page.getByRole('alert')).toContainText('Bob saved version 2');
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 2, content: 'Bob changed it.\n' });
  });

  test('deleted while the conflict dialog is open: the dialog offers to save the text as a new document', async ({ api, doc, alice, bob }) => {
    await otherSavesFirst(doc.id, alice, bob, `${SAMPLE}Alice's ending.\n`, `Bob's beginning.\n${SAMPLE}`);
    await api.delete(doc.id, 'Carol');

    const put = alice.page.waitForResponse((r) => isDocumentPut(r.request()));
    await alice.dialog.overwrite.click();
    expect((await put).status()).toBe(410);
    await expect(alice.dialog.root.getByRole('alert')).toContainText(/deleted/i);
    await alice.dialog.root.getByRole('button', { name: 'Save as a new document' }).click();

    // The edits merge cleanly, so the dialog hands over the merged result: both sides kept.
    const merged = `Bob's beginning.\n${SAMPLE}Alice's ending.\n`;
    await expect(alice.dialog.root).toBeHidden();
    await alice.editor.expectSaved(1);
    await expect(alice.editor.content).toHaveValue(merged);
    await expect.poll(async () => (await api.list()).filter((d) => d.title === doc.title).map((d) => d.updatedBy)).toEqual(['Alice']);
    const created = (await api.list()).find((d) => d.title === doc.title);
    expect((await api.current(created?.id ?? '')).doc.content).toBe(merged);
  });
});
