import { SAMPLE, expect, test } from './fixtures.ts';
import { nextPut, otherSavesFirst } from './support/scenarios.ts';

test('conflict → Overwrite saves mine over theirs with the fresh ETag', async ({ api, doc, alice, bob }) => {
  const mine = SAMPLE.replace('Monday: write the outline.', 'Monday: Alice writes the outline.');
  const theirs = SAMPLE.replace('Monday: write the outline.', 'Monday: Bob writes the outline.');
  await otherSavesFirst(doc.id, alice, bob, mine, theirs);
  await expect(alice.dialog.root).toContainText('Bob');
  const { etag: currentEtag } = await api.current(doc.id);

  const put = nextPut(alice);
  await alice.dialog.overwrite.click();
  const response = await put;

  expect(response.request().headers()['if-match']).toBe(currentEtag);
  expect(response.status()).toBe(200);
  await expect(alice.dialog.root).toBeHidden();
  await alice.editor.expectSaved(3);
  await expect(alice.editor.content).toHaveValue(mine);
  await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 3, content: mine, updatedBy: 'Alice' });

  // Confirmed by the server, so the draft is gone: a reload shows the saved version, no notice.
  await alice.page.reload();
  await expect(alice.editor.content).toHaveValue(mine);
  await expect(alice.page.getByText(/Restored your unsaved changes/)).toHaveCount(0);
});

test('conflict → Cancel goes back to editing with everything kept, and the server untouched', async ({ api, doc, alice, bob }) => {
  const mine = `${SAMPLE}Alice's closing line.\n`;
  const theirs = `Bob's opening line.\n${SAMPLE}`;
  await otherSavesFirst(doc.id, alice, bob, mine, theirs);

  await alice.dialog.cancel.click();
  await expect(alice.dialog.root).toBeHidden();
  await expect(alice.editor.content).toHaveValue(mine);
  await expect(alice.editor.content).toBeEditable();
  await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 2, content: theirs });

  // Saving again meets the same conflict: the draft kept its base.
  expect((await alice.editor.save()).status()).toBe(409);
  await alice.dialog.expectOpen();
});
