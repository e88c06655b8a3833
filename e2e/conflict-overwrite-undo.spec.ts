import { SAMPLE, expect, test } from './fixtures.ts';
import { nextPut, otherSavesFirst } from './support/scenarios.ts';

const mine = SAMPLE.replace('Monday: write the outline.', 'Monday: Alice writes the outline.');
const theirs = SAMPLE.replace('Monday: write the outline.', 'Monday: Bob writes the outline.');

test.describe('Overwrite, from both ends', () => {
  test('the overwritten person is told and can see what was replaced; Undo overwrite saves their version back', async ({ api, doc, alice, bob }) => {
    await otherSavesFirst(doc.id, alice, bob, mine, theirs);
    await alice.dialog.overwrite.click();
    await alice.editor.expectSaved(3);

    const notice = bob.page.getByRole('region', { name: 'Your change was overwritten' });
    await expect(notice).toContainText('Alice overwrote your change in version 3.');
    await notice.getByRole('button', { name: 'Show what was replaced' }).click();
    await expect(notice.getByRole('textbox', { name: /What was replaced/ })).toHaveValue(theirs);

    const { etag: overwriteEtag } = await api.current(doc.id);
    await expect(alice.page.getByRole('status').filter({ hasText: 'You overwrote Bob’s version 2' })).toBeVisible();
    const put = nextPut(alice);
    await alice.page.getByRole('button', { name: 'Undo overwrite' }).click();
    const response = await put;
    expect(response.request().headers()['if-match']).toBe(overwriteEtag);
    expect(response.status()).toBe(200);
    // A new version, not a rewrite of history: version 3 stays in it.
    await alice.editor.expectSaved(4);
    await expect(alice.editor.content).toHaveValue(theirs);
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 4, content: theirs, updatedBy: 'Alice' });
    await expect(alice.page.getByRole('button', { name: 'Undo overwrite' })).toHaveCount(0);
  });

  test('Undo overwrite after someone else saved goes through the conflict dialog', async ({ api, doc, alice, bob }) => {
    await otherSavesFirst(doc.id, alice, bob, mine, theirs);
    await alice.dialog.overwrite.click();
    await alice.editor.expectSaved(3);
    await api.save(doc.id, { content: `${mine}Carol's line.\n` }, 'Carol');
    await alice.editor.expectSaved(4);

    const put = nextPut(alice);
    await alice.page.getByRole('button', { name: 'Undo overwrite' }).click();
    expect((await put).status()).toBe(409);
    await alice.dialog.expectOpen();
    await expect(alice.dialog.root).toContainText('Carol');
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 4, updatedBy: 'Carol' });
  });

  test('a Merge that kept the other person’s change tells them nothing', async ({ doc, alice, bob }) => {
    await otherSavesFirst(doc.id, alice, bob, `${SAMPLE}Alice's closing line.\n`, `Bob's opening line.\n${SAMPLE}`);
    await alice.dialog.merge.click();
    await alice.editor.expectSaved(3);
    await bob.editor.expectSaved(3);
    await expect(bob.page.getByTestId('overwritten-notice')).toHaveCount(0);
  });
});
