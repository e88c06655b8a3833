import type { Browser } from '@playwright/test';
import { Actor, SAMPLE, expect, test } from './fixtures.ts';
import { violations } from './support/axe.ts';
import { nextPut, oneConflictOpen, otherSavesFirst } from './support/scenarios.ts';

const PHONE = { width: 360, height: 740 };

/** Alice on a phone: 360 px wide, a touch screen, a mobile browser. */
async function onPhone(browser: Browser, baseURL: string | undefined, use: (actor: Actor) => Promise<void>) {
  const context = await browser.newContext({ baseURL, viewport: PHONE, hasTouch: true, isMobile: true });
  try {
    await use(new Actor('Alice', context, await context.newPage()));
  } finally {
    await context.close();
  }
}

/**
 * Two conflicts, far enough apart that the dialog scrolls on a phone; the first one taller than
 * what is left of the first screen, so focusing it the browser's way would scroll the heading off.
 */
function texts() {
  const lines = Array.from({ length: 40 }, (_, i) => `Line ${i + 1}: nothing to see.`);
  const base = `${SAMPLE}${lines.join('\n')}\n`;
  const week = 'Monday: write the outline.\nTuesday: review it with the team.\nWednesday: ship it.';
  const rewrite = (who: string) => Array.from({ length: 6 }, (_, i) => `${who}'s plan, step ${i + 1}.`).join('\n');
  return {
    base,
    mine: base.replace(week, rewrite('Alice')).replace('Line 40: nothing to see.', 'Line 40: Alice.'),
    theirs: base.replace(week, rewrite('Bob')).replace('Line 40: nothing to see.', 'Line 40: Bob.'),
  };
}

test.describe('the conflict dialog on a 360 px touch screen', () => {
  test('opens with its heading in view, Merge and More pinned at the bottom, the rest behind More', async ({
    browser,
    baseURL,
    api,
    uniqueTitle,
    bob,
  }) => {
    const { base, mine, theirs } = texts();
    const { doc } = await api.create(uniqueTitle, base);
    await onPhone(browser, baseURL, async (alice) => {
      await otherSavesFirst(doc.id, alice, bob, mine, theirs);
      const { root } = alice.dialog;
      await expect(root.getByRole('heading', { level: 2, name: /Edit conflict/ })).toBeInViewport();
      await expect(root.getByText(/^Since version 1, which you started from/)).toBeInViewport();
      // Focus is on the first conflict, which also shows on the first screen.
      await expect(root.getByRole('group', { name: 'Conflict 1 of 2' })).toBeFocused();

      const more = root.getByRole('button', { name: 'More actions' });
      await expect(alice.dialog.merge).toBeInViewport();
      await expect(more).toBeInViewport();
      await expect(alice.dialog.overwrite).toBeHidden();
      await expect(alice.dialog.discard).toBeHidden();

      // Scrolled to the end, the bar is still there.
      await root.evaluate((dialog) => dialog.scrollTo(0, dialog.scrollHeight));
      await expect(root.getByRole('group', { name: 'Conflict 2 of 2' })).toBeInViewport();
      await expect(alice.dialog.merge).toBeInViewport();
      await expect(more).toBeInViewport();

      await more.click();
      await expect(more).toHaveAttribute('aria-expanded', 'true');
      await expect(alice.dialog.overwrite).toBeInViewport();
      await expect(alice.dialog.discard).toBeInViewport();
      await expect(alice.dialog.cancel).toBeInViewport();
      // Each action still says what it would drop.
      await expect(root.getByText(/Saves yours as it is\. .*Bob/)).toBeVisible();
      expect(await violations(alice.page)).toEqual([]);

      // Escape closes "More" first, and only then the dialog.
      await alice.page.keyboard.press('Escape');
      await expect(alice.dialog.overwrite).toBeHidden();
      await expect(more).toBeFocused();
      await expect(root).toBeVisible();

      await alice.dialog.takeTheirs.nth(0).tap();
      await alice.dialog.takeMine.nth(1).tap();
      const put = nextPut(alice);
      await alice.dialog.merge.tap();
      expect((await put).status()).toBe(200);
      await alice.editor.expectSaved(3);
      const expected = theirs.replace('Line 40: Bob.', 'Line 40: Alice.');
      await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe(expected);
    });
  });

  test('hides keyboard-shortcut hints on touch, keeps them for a narrow window with a mouse', async ({
    browser,
    baseURL,
    api,
    uniqueTitle,
    bob,
    carol,
  }) => {
    const { base, mine, theirs } = texts();
    const { doc } = await api.create(uniqueTitle, base);
    await onPhone(browser, baseURL, async (alice) => {
      await otherSavesFirst(doc.id, alice, bob, mine, theirs);
      await expect(alice.dialog.root.getByText(/^Keys:/)).toBeHidden();
      await alice.page.keyboard.press('Escape');
      await expect(alice.dialog.root).toBeHidden();
      await expect(alice.editor.saveButton).toHaveAccessibleName(/^Save/);
      await expect(alice.editor.saveButton).toHaveText('Save', { useInnerText: true });
    });

    // Carol, in a 360 px window with a mouse and a keyboard, still sees the hints.
    await carol.page.setViewportSize(PHONE);
    await carol.open(doc.id);
    const current = (await api.current(doc.id)).doc.content;
    await carol.editor.write(current.replace('Line 20: nothing to see.', 'Line 20: Carol.'));
    await api.save(doc.id, { content: current.replace('Line 20: nothing to see.', 'Line 20: Bob.') }, 'Bob');
    expect((await carol.editor.save()).status()).toBe(409);
    await carol.dialog.expectOpen();
    await expect(carol.dialog.root.getByText(/^Keys:/)).toBeVisible();
    await expect(carol.dialog.root.getByRole('button', { name: 'More actions' })).toBeInViewport();
    await carol.page.keyboard.press('Escape');
    await expect(carol.editor.saveButton).toHaveText(/Save\s*Ctrl\+S/, { useInnerText: true });
  });

  test('opening the inspector on a phone scrolls to it', async ({ browser, baseURL, doc }) => {
    await onPhone(browser, baseURL, async (alice) => {
      await alice.open(doc.id);
      await expect(alice.inspector.root).toHaveCount(0);
      await alice.inspector.toggle.tap();
      await expect(alice.inspector.root).toBeInViewport();
      // Below the document: it was out of view until the scroll.
      expect(await alice.page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    });
  });

  test('axe finds nothing at 360 px in light and dark, with More open and closed', async ({ browser, baseURL, doc, bob }) => {
    await onPhone(browser, baseURL, async (alice) => {
      await oneConflictOpen(doc.id, alice, bob);
      for (const colorScheme of ['light', 'dark'] as const) {
        await alice.page.emulateMedia({ colorScheme });
        expect(await violations(alice.page)).toEqual([]);
        await alice.dialog.root.getByRole('button', { name: 'More actions' }).tap();
        await expect(alice.dialog.overwrite).toBeInViewport();
        expect(await violations(alice.page)).toEqual([]);
        await alice.dialog.root.getByRole('button', { name: 'More actions' }).tap();
        await expect(alice.dialog.overwrite).toBeHidden();
      }
    });
  });
});
