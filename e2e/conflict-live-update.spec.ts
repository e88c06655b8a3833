import { expect, test } from './fixtures.ts';
import { TWO_CONFLICTS, nextPut, twoConflictsOpen } from './support/scenarios.ts';

test.describe('the open dialog follows the live stream', () => {
  test('a third user’s save is announced at once, and updating keeps every choice whose text did not change', async ({ api, doc, alice, bob }) => {
    await twoConflictsOpen(doc.id, alice, bob);
    await alice.dialog.takeTheirs.nth(0).click();
    await alice.dialog.takeMine.nth(1).click();
    await expect(alice.dialog.merge).toBeEnabled();

    // Carol changes the second conflict's line again and the heading too, while Alice decides.
    const carols = TWO_CONFLICTS.theirs
      .replace('Wednesday: ship it to the beta group.', 'Wednesday: ship it to the beta group, then the press.')
      .replace('# Plan', '# Plan for the week');
    await api.save(doc.id, { content: carols }, 'Carol');
    const notice = alice.dialog.root.getByTestId('newer-version');
    await expect(notice).toContainText('Carol saved version 3');

    await notice.getByRole('button', { name: 'Update the comparison' }).click();
    await expect(notice).toBeHidden();
    await expect(alice.dialog.root).toContainText('Carol');
    // The first conflict's text is unchanged, so "theirs" is still chosen there; the second changed
    // and waits for a choice again.
    await expect(alice.dialog.merge).toBeDisabled();
    await alice.dialog.takeMine.nth(1).click();
    await expect(alice.dialog.merge).toBeEnabled();

    const put = nextPut(alice);
    await alice.dialog.merge.click();
    // Compared against version 3, the save goes through at once rather than meeting a 409.
    expect((await put).status()).toBe(200);
    const expected = TWO_CONFLICTS.resolved.replace('# Plan', '# Plan for the week');
    await alice.editor.expectSaved(4);
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 4, content: expected, updatedBy: 'Alice' });
  });
});
