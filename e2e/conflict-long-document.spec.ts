import { expect, test } from './fixtures.ts';
import { otherSavesFirst } from './support/scenarios.ts';

/** 600 lines; both users change lines 100, 200, …, 500 (conflicts) and each one more line alone. */
function longDocument() {
  const base = Array.from({ length: 600 }, (_, i) => `line ${i + 1} of the long plan`);
  const mine = base.slice();
  const theirs = base.slice();
  for (const n of [100, 200, 300, 400, 500]) {
    mine[n - 1] = `line ${n} as Alice has it`;
    theirs[n - 1] = `line ${n} as Bob has it`;
  }
  mine[50 - 1] = 'line 50, only Alice changed it';
  theirs[550 - 1] = 'line 550, only Bob changed it';
  const join = (lines: string[]) => `${lines.join('\n')}\n`;
  return { base: join(base), mine: join(mine), theirs: join(theirs) };
}

test.describe('the dialog on a long document', () => {
  test('keeps its counter in view, numbers lines, and jumps by ruler, by conflict and to the result', async ({
    api,
    uniqueTitle,
    alice,
    bob,
  }) => {
    const text = longDocument();
    const { doc } = await api.create(uniqueTitle, text.base);
    await otherSavesFirst(doc.id, alice, bob, text.mine, text.theirs);
    const dialog = alice.dialog.root;
    const counter = dialog.getByRole('status').filter({ hasText: 'conflicts left' });
    const conflict = (n: number) => dialog.getByRole('group', { name: `Conflict ${n} of 5` });

    // Line numbers, in yours, on every conflict and change.
    await expect(conflict(3)).toContainText('line 300');
    await expect(dialog.locator('.cd-change--mine')).toContainText('line 50');

    // The ruler marks all five conflicts and both changes merged on their own; a click jumps.
    const ruler = dialog.getByTestId('overview-ruler');
    await expect(ruler.locator('.cd-mark--conflict')).toHaveCount(5);
    await expect(ruler.locator('.cd-mark--mine, .cd-mark--theirs')).toHaveCount(2);
    await ruler.locator('.cd-mark--conflict').nth(3).click();
    await expect(conflict(4)).toBeFocused();
    await expect(conflict(4)).toBeInViewport();
    // The counter and the navigation stay pinned while the view is scrolled down.
    await expect(counter).toHaveText('5 of 5 conflicts left');
    await expect(counter).toBeInViewport();
    await expect(dialog.getByRole('button', { name: 'Next conflict' })).toBeInViewport();

    // A resolved mark turns green; Previous goes back to the conflict just before, resolved or not.
    await conflict(4).getByRole('button', { name: 'Take mine' }).click();
    await expect(ruler.locator('.cd-mark--resolved')).toHaveCount(1);
    await conflict(3).getByRole('button', { name: 'Take theirs' }).click();
    await dialog.getByRole('button', { name: 'Next conflict' }).click();
    await expect(conflict(5)).toBeFocused();
    await dialog.getByRole('button', { name: 'Previous conflict' }).click();
    await expect(conflict(4)).toBeFocused();
    await dialog.getByRole('button', { name: 'Previous conflict' }).click();
    await expect(conflict(3)).toBeFocused();

    await dialog.getByRole('button', { name: 'Go to merged result' }).click();
    const result = dialog.getByRole('heading', { name: 'Merged result' });
    await expect(result).toBeFocused();
    await expect(result).toBeInViewport();
    await expect(counter).toBeInViewport();
  });
});
