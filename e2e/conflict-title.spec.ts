import { SAMPLE, expect, test } from './fixtures.ts';
import { nextPut } from './support/scenarios.ts';

test.describe('a title both sides changed', () => {
  test('is a conflict: counted, no side taken, named in what Overwrite and Discard drop', async ({ api, doc, alice, bob }) => {
    await alice.open(doc.id);
    await bob.open(doc.id);
    await alice.editor.title.fill('Plan for Alice');
    await bob.editor.title.fill('Plan for Bob');
    expect((await bob.editor.save()).status()).toBe(200);
    await bob.editor.expectSaved(2);
    expect((await alice.editor.save()).status()).toBe(409);
    await alice.dialog.expectOpen();

    const dialog = alice.dialog.root;
    await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(/^Edit conflict/);
    await expect(dialog.getByRole('status').filter({ hasText: 'conflict left' })).toHaveText('1 of 1 conflict left');
    const titles = dialog.getByRole('group', { name: /Title conflict/ });
    await expect(titles.getByRole('radio')).toHaveCount(2);
    for (const radio of await titles.getByRole('radio').all()) await expect(radio).not.toBeChecked();
    await expect(alice.dialog.merge).toBeDisabled();
    await expect(dialog).toContainText('Overwrite drops Bob\'s title “Plan for Bob”.');
    await expect(dialog).toContainText('Discard drops your title “Plan for Alice”.');

    await titles.getByRole('radio', { name: /Plan for Bob/ }).check();
    await expect(dialog.getByRole('status').filter({ hasText: 'conflict' })).toHaveText('The conflict is resolved');
    await expect(alice.dialog.merge).toBeEnabled();
    const put = nextPut(alice);
    await alice.dialog.merge.click();
    expect((await put).status()).toBe(200);
    await alice.editor.expectSaved(3);
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ title: 'Plan for Bob', content: SAMPLE, version: 3 });
  });
});
