import { SAMPLE, expect, test } from './fixtures.ts';
import { nextPut, otherSavesFirst } from './support/scenarios.ts';
import { StrategiesPage } from './support/strategies-page.ts';

test.describe('compare strategies from the conflict dialog', () => {
  test('opens every strategy on the open conflict in a new tab; the dialog and the draft wait here', async ({ api, doc, alice, bob }) => {
    const mine = SAMPLE.replace('Monday: write the outline.', 'Monday: draft the outline with Alice.');
    const theirs = SAMPLE.replace('Monday: write the outline.', 'Monday: Bob drafts the outline alone.');
    await otherSavesFirst(doc.id, alice, bob, mine, theirs);

    const compare = alice.dialog.root.getByRole('button', { name: 'Compare strategies' });
    await expect(compare).toHaveAccessibleDescription('every merge strategy on these texts, in a new tab');
    const opened = alice.context.waitForEvent('page');
    await compare.click();
    const tab = await opened;
    const lab = new StrategiesPage(tab);
    await expect(lab.heading).toBeVisible();
    // The conflict's three texts, as the dialog had them.
    await expect(lab.base).toHaveValue(SAMPLE);
    await expect(lab.mine).toHaveValue(mine);
    await expect(lab.theirs).toHaveValue(theirs);
    await expect(lab.strategy('Line three-way merge')).toContainText('Conflict: 1 place');
    await expect(lab.result('Last writer wins (mine saved last)')).toHaveText(mine);
    await expect(lab.result('CRDT (Yjs)')).toContainText('Monday:');

    // Back in the first tab nothing moved: the dialog is open on the same conflict, and the draft is there to merge.
    await expect(alice.page).toHaveURL(new RegExp(`/docs/${doc.id}`));
    await alice.dialog.expectOpen();
    await alice.dialog.takeMine.click();
    const put = nextPut(alice);
    await alice.dialog.merge.click();
    expect((await put).status()).toBe(200);
    await alice.editor.expectSaved(3);
    await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe(mine);

    // The new tab keeps its own copy of the texts: the first tab's next comparison is its own.
    await tab.reload();
    await expect(lab.mine).toHaveValue(mine);
    await tab.close();
  });

  test('a browser that opens no tab says so, and the dialog stays', async ({ doc, alice, bob }) => {
    // What a pop-up blocker does to window.open.
    await alice.context.addInitScript(() => {
      window.open = () => null;
    });
    await otherSavesFirst(doc.id, alice, bob, SAMPLE.replace('Monday', 'Mon'), SAMPLE.replace('Monday', 'Moonday'));
    // The alert holds the page until answered: answer it as it comes, and keep what it said.
    const told: string[] = [];
    alice.page.once('dialog', (alert) => {
      told.push(alert.message());
      void alert.accept();
    });
    await alice.dialog.root.getByRole('button', { name: 'Compare strategies' }).click();
    await expect.poll(() => told).toEqual([
      'The browser did not open a new tab for the comparison. Allow pop-ups for this site, then press Compare strategies again.',
    ]);
    await alice.dialog.expectOpen();
    await expect(alice.dialog.takeMine).toBeVisible();
  });
});
