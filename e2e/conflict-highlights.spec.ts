import { expect, test } from './fixtures.ts';
import { otherSavesFirst } from './support/scenarios.ts';

test.describe('what the dialog marks in a changed line', () => {
  test('a rewritten line shows old and new whole; a small edit, its words', async ({ api, uniqueTitle, alice, bob }) => {
    const line = 'the quick brown fox jumps over the lazy dog\n';
    const { doc } = await api.create(uniqueTitle, `intro\n${line}outro\n`);
    const mine = 'the quick brown fox leaps over the lazy dog\n';
    const theirs = 'ALICE rewrote this line from start to end\n';
    await otherSavesFirst(doc.id, alice, bob, `intro\n${mine}outro\n`, `intro\n${theirs}outro\n`);

    const conflict = alice.dialog.root.getByRole('group', { name: 'Conflict 1 of 1' });
    const yours = conflict.locator('.cd-side').filter({ hasText: /^Yours/ });
    const bobs = conflict.locator('.cd-side').filter({ hasText: /^Theirs \(Bob\)/ });

    // Bob's rewrite: the old line struck through in one piece, then the new one.
    await expect(bobs.locator('del')).toHaveCount(1);
    await expect(bobs.locator('del')).toHaveText(line);
    await expect(bobs.locator('ins')).toHaveCount(1);
    await expect(bobs.locator('ins')).toHaveText(theirs);

    // Alice's one-word edit: just that word marked.
    await expect(yours.locator('del')).toHaveText(['jumps']);
    await expect(yours.locator('ins')).toHaveText(['leaps']);
  });
});
