import { SAMPLE, expect, test } from './fixtures.ts';
import { isDocumentPut, otherSavesFirst } from './support/scenarios.ts';

test('conflict → Discard loads theirs, and Undo discard brings mine back', async ({ api, doc, alice, bob }) => {
  const mine = SAMPLE.replace('Wednesday: ship it.', 'Wednesday: Alice ships it.');
  const theirs = SAMPLE.replace('Wednesday: ship it.', 'Wednesday: Bob ships it.');
  await otherSavesFirst(doc.id, alice, bob, mine, theirs);

  let puts = 0;
  alice.page.on('request', (r) => {
    if (isDocumentPut(r)) puts += 1;
  });
  await alice.dialog.discard.click();
  await expect(alice.dialog.root).toBeHidden();
  await expect(alice.editor.content).toHaveValue(theirs);
  await alice.editor.expectSaved(2);
  expect(puts).toBe(0);
  await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 2, content: theirs, updatedBy: 'Bob' });

  // Mine survives a reload while the undo is on offer.
  await alice.page.reload();
  await alice.page.getByRole('button', { name: 'Undo discard' }).click();
  await expect(alice.editor.content).toHaveValue(mine);
  await expect(alice.editor.status).toHaveText(/Unsaved changes/);
  await expect.poll(async () => (await api.current(doc.id)).doc.version).toBe(2);

  // Mine is back with its own base, so saving it meets the conflict again and can overwrite.
  expect((await alice.editor.save()).status()).toBe(409);
  await alice.dialog.overwrite.click();
  await alice.editor.expectSaved(3);
  await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 3, content: mine });
});
