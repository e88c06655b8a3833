import type { Locator, Page } from '@playwright/test';
import { SAMPLE, expect, test } from './fixtures.ts';
import { NO_CONFLICT, otherSavesFirst } from './support/scenarios.ts';

const background = (locator: Locator) => locator.evaluate((element) => getComputedStyle(element).backgroundColor);

/** The identity colour a tab acts with, as the browser writes it in computed styles. */
async function identityColour(page: Page): Promise<string> {
  const hex = await page.evaluate(() => (JSON.parse(sessionStorage.getItem('conflict-lab:identity') ?? '{}') as { colour?: string }).colour ?? '');
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

test.describe('what stands out in the dialog', () => {
  test('Merge is the one primary action; choices are light, the chosen one marked; sides in their authors\' colours', async ({
    doc,
    alice,
    bob,
  }) => {
    const mine = SAMPLE.replace('Monday: write the outline.', 'Monday: Alice outlines.');
    const theirs = SAMPLE.replace('Monday: write the outline.', 'Monday: Bob outlines.');
    await otherSavesFirst(doc.id, alice, bob, mine, theirs);
    const dialog = alice.dialog.root;
    const conflict = dialog.getByRole('group', { name: 'Conflict 1 of 1' });

    // Two choices in sight, the rest one click away.
    await expect(conflict.getByRole('button', { name: 'Take mine' })).toBeVisible();
    await expect(conflict.getByRole('button', { name: 'Take theirs' })).toBeVisible();
    const bothFirstMine = conflict.getByRole('button', { name: 'Take both (mine first)' });
    await expect(bothFirstMine).toBeHidden();
    await conflict.getByRole('button', { name: 'More choices' }).click();
    await expect(bothFirstMine).toBeVisible();
    await expect(conflict.getByRole('button', { name: 'Take base' })).toBeVisible();
    await expect(conflict.getByRole('button', { name: 'Edit', exact: true })).toBeVisible();

    // Only Merge wears the primary colour, before a choice and after one.
    const primary = await background(alice.dialog.merge);
    const takeTheirs = conflict.getByRole('button', { name: 'Take theirs' });
    await takeTheirs.click();
    await expect(takeTheirs).toHaveAttribute('aria-pressed', 'true');
    const buttons = await dialog.getByRole('button').all();
    const primaries = [];
    for (const button of buttons) if ((await button.isVisible()) && (await background(button)) === primary) primaries.push(await button.textContent());
    expect(primaries).toEqual(['Merge']);
    expect(await background(takeTheirs)).not.toBe(await background(conflict.getByRole('button', { name: 'Take mine' })));

    // Yours in Alice's colour, Bob's side in Bob's.
    const heading = (text: RegExp) => conflict.locator('.cd-side-heading').filter({ hasText: text });
    await expect(heading(/^Yours$/)).toHaveCSS('box-shadow', new RegExp(`^${escape(await identityColour(alice.page))}`));
    await expect(heading(/^Theirs \(Bob\)$/)).toHaveCSS('box-shadow', new RegExp(`^${escape(await identityColour(bob.page))}`));
  });

  test('the dialog is titled "Review changes" when nothing conflicts', async ({ doc, alice, bob }) => {
    await otherSavesFirst(doc.id, alice, bob, NO_CONFLICT.mine, NO_CONFLICT.theirs);
    await expect(alice.dialog.root.getByRole('heading', { level: 2 })).toHaveText(/^Review changes: /);
    await expect(alice.dialog.merge).toBeEnabled();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
