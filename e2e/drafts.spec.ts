import { SAMPLE, expect, test } from './fixtures.ts';

test.describe('drafts', () => {
  test('a reload keeps the unsaved draft, with a notice, and saves nothing by itself', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    const mine = `${SAMPLE}A line typed just before the reload.\n`;
    await alice.editor.write(mine);
    await alice.editor.title.fill(`${doc.title} (draft title)`);

    await alice.page.reload();
    await expect(alice.editor.content).toHaveValue(mine);
    await expect(alice.editor.title).toHaveValue(`${doc.title} (draft title)`);
    await expect(alice.page.getByText(/Restored your unsaved changes from \d{1,2}:\d{2}/)).toBeVisible();
    await expect(alice.editor.status).toHaveText(/Unsaved changes/);
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 1, content: SAMPLE, title: doc.title });

    await alice.editor.save();
    await alice.editor.expectSaved(2);
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 2, content: mine });
  });

  test('a restored draft keeps its base: a save after someone else saved still meets the conflict', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    const mine = SAMPLE.replace('Tuesday', 'Thursday');
    await alice.editor.write(mine);
    const theirs = SAMPLE.replace('Tuesday', 'Friday');
    await api.save(doc.id, { content: theirs }, 'Bob');

    await alice.page.reload();
    await expect(alice.editor.content).toHaveValue(mine);
    // The editor learns of version 2 but does not move the draft onto it.
    await expect(alice.page.getByText(/Bob saved version 2/)).toBeVisible();

    expect((await alice.editor.save()).status()).toBe(409);
    await alice.dialog.expectOpen();
    await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe(theirs);
  });
});
