import { SAMPLE, expect, test } from './fixtures.ts';
import { EditorPage } from './support/pages.ts';

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

  test('in a long document, keys typed just before a reload are kept, though its draft is written in pauses', async ({ api, uniqueTitle, alice }) => {
    // 1,500 lines (about 90 KB): long enough that the draft is written when typing pauses.
    const long = Array.from({ length: 1_500 }, (_, i) => `Line ${i + 1} of a long document, as a class might write it.`).join('\n');
    const { doc } = await api.create(uniqueTitle, `${long}\n`);
    await alice.open(doc.id);
    await alice.editor.content.click();
    await alice.page.keyboard.press('Control+End');
    await alice.page.keyboard.type('Typed last.');
    // At once: the page is left before any pause in typing could write it.
    await alice.page.reload();
    await expect(alice.page.getByText(/Restored your unsaved changes/)).toBeVisible();
    await expect(alice.editor.content).toHaveValue(`${long}\nTyped last.`);
  });
});

test('text typed while a save is in flight stays a draft on the new version', async ({ api, doc, alice }) => {
  await alice.open(doc.id);
  // Hold the PUT back so the user can type while it is in flight.
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await alice.page.route(`**/api/docs/${doc.id}`, async (route) => {
    if (route.request().method() === 'PUT') await held;
    await route.continue();
  });

  const first = `${SAMPLE}First addition.\n`;
  await alice.editor.write(first);
  await alice.editor.saveButton.click();
  await expect(alice.editor.status).toHaveText('Saving…');
  await expect(alice.editor.saveButton).toBeDisabled();
  const second = `${first}Typed during the save.\n`;
  await alice.editor.write(second);
  release();

  await expect(alice.editor.status).toHaveText(/Unsaved changes/);
  await expect(alice.editor.content).toHaveValue(second);
  await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 2, content: first });

  // The draft moved onto version 2, so the next save is not a conflict with oneself.
  await alice.page.unroute(`**/api/docs/${doc.id}`);
  expect((await alice.editor.save()).status()).toBe(200);
  await alice.editor.expectSaved(3);
  await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 3, content: second });
});

test('a draft left in a closed tab is offered to the next tab that opens the document', async ({ api, doc, alice }) => {
  await alice.open(doc.id);
  const mine = `${SAMPLE}Typed in a tab that was then closed.\n`;
  await alice.editor.write(mine);
  await alice.page.close();

  // A new tab is a new user (its name lives in the tab), but the same device.
  const tab = await alice.context.newPage();
  const editor = new EditorPage(tab);
  await editor.goto(doc.id, 'Dave');
  await expect(editor.content).toHaveValue(SAMPLE);
  const offer = tab.getByRole('status').filter({ hasText: 'Unsaved changes to this document by Alice' });
  await expect(offer).toBeVisible();
  await offer.getByRole('button', { name: 'Continue those changes' }).click();
  await expect(editor.content).toHaveValue(mine);

  await editor.save();
  await editor.expectSaved(2);
  await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 2, content: mine, updatedBy: 'Dave' });
});

test('renaming oneself mid-edit keeps the draft, and the save carries the new name', async ({ api, doc, alice }) => {
  await alice.open(doc.id);
  const mine = `${SAMPLE}Before the rename.\n`;
  await alice.editor.write(mine);

  await alice.page.getByRole('button', { name: 'Change name' }).click();
  await alice.page.getByRole('textbox', { name: 'Your name' }).fill('Alicia');
  await alice.page.getByRole('button', { name: 'Done' }).click();
  await expect(alice.page.getByTestId('identity-name')).toHaveText('Alicia');

  await alice.page.reload();
  await expect(alice.page.getByTestId('identity-name')).toHaveText('Alicia');
  await expect(alice.editor.content).toHaveValue(mine);
  await alice.editor.save();
  await alice.editor.expectSaved(2);
  await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ content: mine, updatedBy: 'Alicia' });
});
