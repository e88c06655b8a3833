import AxeBuilder from '@axe-core/playwright';
import { SAMPLE, expect, test } from './fixtures.ts';
import { nextPut, otherSavesFirst } from './support/scenarios.ts';

test.describe('conflict → text typed for a conflict that changed again', () => {
  test('is put aside, not lost, when a third user changes that line during resolution', async ({ api, doc, alice, bob }) => {
    const mine = SAMPLE.replace('Monday: write the outline.', 'Monday: Alice drafts the outline.');
    const theirs = SAMPLE.replace('Monday: write the outline.', 'Monday: Bob drafts the outline.');
    await otherSavesFirst(doc.id, alice, bob, mine, theirs);
    await expect(alice.dialog.takeTheirs).toHaveCount(1);

    // Alice resolves the conflict by hand.
    const typed = 'Monday: outline by Alice and Bob, typed by hand (kiwi-42).\n';
    await alice.dialog.root.getByRole('button', { name: 'More choices' }).click();
    await alice.dialog.root.getByRole('button', { name: 'Edit', exact: true }).click();
    const editor = alice.dialog.root.getByRole('textbox', { name: 'Result for conflict 1' });
    await expect(editor).toBeFocused();
    await editor.fill(typed);

    // Carol saves a change to that same line meanwhile.
    const carols = theirs.replace('Monday: Bob drafts the outline.', 'Monday: Carol rewrote the outline.');
    await api.save(doc.id, { content: carols }, 'Carol');

    // Overwrite saves Alice's version as it was, without her hand edit, and meets Carol's save.
    const put = nextPut(alice);
    await alice.dialog.overwrite.click();
    expect((await put).status()).toBe(409);
    await expect(alice.dialog.root).toContainText('1 new change arrived');
    await expect(alice.dialog.root).toContainText('Text you typed for a conflict that changed is kept below the merged result.');

    // The dialog shows the newest version, with the conflict against Carol's line open again...
    const conflict = alice.dialog.root.getByRole('group', { name: 'Conflict 1 of 1' });
    await expect(conflict).toContainText('Theirs (Carol)');
    await expect(conflict).toContainText('rewrote');
    await expect(alice.dialog.root.getByRole('textbox', { name: 'Result for conflict 1' })).toHaveCount(0);
    // ...and what Alice typed, put aside where she can copy it.
    const aside = alice.dialog.root.getByRole('region', { name: 'Text you typed for a conflict that changed' });
    await expect(aside).toBeVisible();
    await expect(aside.getByRole('textbox', { name: 'Typed text 1' })).toHaveValue(typed);
    await expect(aside.getByRole('textbox')).toHaveCount(1);
    const axe = await new AxeBuilder({ page: alice.page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    expect(axe.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);

    await alice.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await aside.getByRole('button', { name: 'Copy' }).click();
    await expect(aside.getByRole('status')).toHaveText('Copied');
    expect(await alice.page.evaluate(() => navigator.clipboard.readText())).toBe(typed);

    // Overwrite did not save over Carol.
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 3, content: carols, updatedBy: 'Carol' });

    // Kept with the rest of the dialog's work: Cancel and open it again, it is still there.
    await alice.dialog.cancel.click();
    await expect(alice.dialog.root).toBeHidden();
    expect((await alice.editor.save()).status()).toBe(409);
    await alice.dialog.expectOpen();
    await expect(aside.getByRole('textbox', { name: 'Typed text 1' })).toHaveValue(typed);

    // Dismissed, it goes; focus stays in the dialog.
    await aside.getByRole('button', { name: 'Dismiss' }).click();
    await expect(aside).toHaveCount(0);
    // The conflict is open again, so the result shows as parts (no text field with markers unasked).
    await expect(alice.dialog.root.getByRole('heading', { name: 'Merged result' })).toBeFocused();
  });
});
