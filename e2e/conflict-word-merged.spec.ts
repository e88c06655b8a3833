import { expect, test } from './fixtures.ts';
import { nextPut, otherSavesFirst } from './support/scenarios.ts';

test('a line merged word by word is marked for checking, and one click makes it a conflict again', async ({
  api,
  uniqueTitle,
  alice,
  bob,
}) => {
  const paragraph = 'The quick brown fox jumps over the lazy dog while the farmer watches from the gate.\n';
  const { doc } = await api.create(uniqueTitle, paragraph);
  const mine = paragraph.replace('quick', 'swift');
  const theirs = paragraph.replace('lazy dog', 'sleepy dog');
  await otherSavesFirst(doc.id, alice, bob, mine, theirs);
  const dialog = alice.dialog.root;

  await expect(dialog).toContainText('merged word by word — check');
  await expect(alice.dialog.takeTheirs).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Make it a conflict again' }).click();

  // The line conflict it came from, to decide by hand.
  const conflict = dialog.getByRole('group', { name: 'Conflict 1 of 1' });
  await expect(conflict).toBeVisible();
  await expect(dialog).not.toContainText('merged word by word — check');
  await expect(alice.dialog.merge).toBeDisabled();
  await conflict.getByRole('button', { name: 'Take theirs' }).click();
  const put = nextPut(alice);
  await alice.dialog.merge.click();
  expect((await put).status()).toBe(200);
  await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe(theirs);
});
