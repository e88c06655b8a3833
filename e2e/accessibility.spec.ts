import { SAMPLE, expect, test } from './fixtures.ts';
import { violations } from './support/axe.ts';
import { oneConflictOpen } from './support/scenarios.ts';

test.describe('accessibility (axe)', () => {
  test('the document list and the editor have no violations', async ({ doc, alice }) => {
    await alice.list.goto('Alice');
    await expect(alice.list.link(doc.title)).toBeVisible();
    expect(await violations(alice.page)).toEqual([]);

    await alice.open(doc.id);
    await alice.editor.write(`${SAMPLE}More.\n`);
    await expect(alice.editor.status).toHaveText(/Unsaved changes/);
    expect(await violations(alice.page)).toEqual([]);
  });

  test('the conflict dialog has no violations', async ({ doc, alice, bob }) => {
    await oneConflictOpen(doc.id, alice, bob);
    await expect(alice.dialog.takeTheirs).toHaveCount(1);
    expect(await violations(alice.page)).toEqual([]);
  });

  test('the editor works at 360 px wide and in dark mode', async ({ doc, alice }) => {
    await alice.page.setViewportSize({ width: 360, height: 740 });
    await alice.page.emulateMedia({ colorScheme: 'dark' });
    await alice.open(doc.id);
    await expect(alice.editor.saveButton).toBeInViewport();
    const overflow = await alice.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await violations(alice.page)).toEqual([]);
  });

  test('the inspector and simulation panels, beside a live notice, in light and dark, wide and narrow', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await alice.inspector.open();
    await alice.simulation.open();
    await expect(alice.simulation.apply).toBeVisible();
    await alice.editor.write(`${SAMPLE}More.\n`);
    await api.save(doc.id, { content: `${SAMPLE}Bob's line.\n` }, 'Bob');
    await expect(alice.awareness.liveNotice).toBeVisible();
    await alice.inspector.rows.first().getByRole('button').click();
    expect(await violations(alice.page)).toEqual([]);

    await alice.page.emulateMedia({ colorScheme: 'dark' });
    expect(await violations(alice.page)).toEqual([]);

    await alice.page.setViewportSize({ width: 360, height: 740 });
    const overflow = await alice.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await violations(alice.page)).toEqual([]);
  });

  test('opening the conflict dialog shifts nothing on the page behind it', async ({ api, uniqueTitle, alice }) => {
    // Long enough to scroll, so a scrollbar that came or went would move everything sideways.
    const long = Array.from({ length: 120 }, (_, i) => `Line ${i + 1}.`).join('\n') + '\n';
    const { doc } = await api.create(uniqueTitle, long);
    await alice.open(doc.id);
    await alice.editor.write(long.replace('Line 1.', 'Line 1, Alice.'));
    await api.save(doc.id, { content: long.replace('Line 1.', 'Line 1, Bob.') }, 'Bob');
    // Bob's save reaches Alice's tab as a notice above the editor, which moves everything under it
    // down (73 px): the page is measured once it is there, as it stands when a conflict can happen.
    await expect(alice.awareness.liveNotice).toBeVisible();
    await alice.editor.title.focus();
    const layout = () =>
      alice.page.evaluate(() => {
        const box = (selector: string) => {
          const r = document.querySelector(selector)?.getBoundingClientRect();
          return r ? [r.x, r.y, r.width, r.height].map(Math.round) : null;
        };
        return { header: box('.app-header'), title: box('.title-input'), content: box('.content-input'), scrollY: window.scrollY };
      });
    const before = await layout();
    await alice.page.keyboard.press('Control+s');
    await alice.dialog.expectOpen();
    expect(await layout()).toEqual(before);
  });
});
