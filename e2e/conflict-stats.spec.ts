import AxeBuilder from '@axe-core/playwright';
import { SAMPLE, expect, test } from './fixtures.ts';
import { ConflictsPanel } from './support/conflicts-panel.ts';

test.describe('the Conflicts panel', () => {
  test('a conflict in one tab shows up live in the other tab’s panel, with the outcome chosen', async ({ doc, alice, bob }) => {
    const bobsPanel = new ConflictsPanel(bob.page);
    await alice.open(doc.id);
    await bob.open(doc.id);
    await bobsPanel.open();
    // A fresh document: no row for it yet.
    await expect(bobsPanel.row(bobsPanel.root.getByRole('table'), doc.title)).toHaveCount(0);

    await alice.editor.write(SAMPLE.replace('Monday: write the outline.', 'Monday: Alice writes the outline.'));
    await bob.editor.write(SAMPLE.replace('Monday: write the outline.', 'Monday: Bob writes the outline.'));
    expect((await bob.editor.save()).status()).toBe(200);
    expect((await alice.editor.save()).status()).toBe(409);
    await alice.dialog.expectOpen();

    // Bob's panel learns of Alice's 409 from the event stream, without a reload.
    await bobsPanel.expectCounts(bobsPanel.perDocument, doc.title, 1, 'none');
    // Other tests on this server count for Alice too: her row is there, whatever its numbers.
    await expect(bobsPanel.row(bobsPanel.perPerson, 'Alice')).toHaveCount(1);

    // Alice cancels once, then overwrites: both choices reach Bob's panel.
    await alice.dialog.cancel.click();
    await expect(alice.dialog.root).toBeHidden();
    await bobsPanel.expectCounts(bobsPanel.perDocument, doc.title, 1, '1 cancelled');
    expect((await alice.editor.save()).status()).toBe(409);
    await alice.dialog.overwrite.click();
    await expect(alice.dialog.root).toBeHidden();
    await alice.editor.expectSaved(3);
    await bobsPanel.expectCounts(bobsPanel.perDocument, doc.title, 2, '1 overwrote · 1 cancelled');
  });

  test('has no accessibility violations, with counts in it, in light and dark, wide and narrow', async ({ doc, alice, bob }) => {
    const panel = new ConflictsPanel(alice.page);
    await alice.open(doc.id);
    await bob.open(doc.id);
    await alice.editor.write(`${SAMPLE}Alice.\n`);
    await bob.editor.write(`${SAMPLE}Bob.\n`);
    expect((await bob.editor.save()).status()).toBe(200);
    expect((await alice.editor.save()).status()).toBe(409);
    await alice.dialog.discard.click();
    await expect(alice.dialog.root).toBeHidden();
    await panel.open();
    await panel.expectCounts(panel.perDocument, doc.title, 1, '1 discarded');
    await expect(panel.chart).toHaveAccessibleName(/conflicts? in the last 60 minutes/);

    for (const [colorScheme, width] of [['light', 1280], ['dark', 1280], ['light', 360]] as const) {
      await alice.page.emulateMedia({ colorScheme });
      await alice.page.setViewportSize({ width, height: 740 });
      const overflow = await alice.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const results = await new AxeBuilder({ page: alice.page })
        .include('#side-panels')
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
        .analyze();
      expect(results.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);
    }
  });
});
