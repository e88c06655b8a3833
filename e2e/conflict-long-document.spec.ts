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

test.describe('line numbers on a long document', () => {
  test('each shown line has its number in its own column, and folded lines get theirs only when opened', async ({
    api,
    uniqueTitle,
    alice,
    bob,
  }) => {
    // Typing a long text into two editors takes a while on a busy machine.
    test.slow();
    const base = Array.from({ length: 1_500 }, (_, i) => `line ${i + 1} of the long plan`);
    const mine = base.slice();
    // Bob adds three lines near the top, so his numbers below run three ahead of Alice's.
    const theirs = [...base.slice(0, 10), 'Bob 1', 'Bob 2', 'Bob 3', ...base.slice(10)];
    mine[750 - 1] = 'line 750 as Alice has it';
    theirs[753 - 1] = 'line 750 as Bob has it';
    const join = (lines: string[]) => `${lines.join('\n')}\n`;
    const { doc } = await api.create(uniqueTitle, join(base));
    await otherSavesFirst(doc.id, alice, bob, join(mine), join(theirs));

    const dialog = alice.dialog.root;
    const conflict = dialog.getByRole('group', { name: 'Conflict 1 of 1' });
    // The first numbered line: a line the side removed (struck through) has a marker without a number.
    const number = (column: string) => conflict.locator('.cd-side').filter({ hasText: column }).locator('.cd-ln:not([data-line=""])').first();
    await expect(number('Yours')).toHaveAttribute('data-line', '750');
    await expect(number('Bob')).toHaveAttribute('data-line', '753');
    await dialog.getByRole('button', { name: 'Show base' }).click();
    await expect(number('Base')).toHaveAttribute('data-line', '750');
    // The numbers are not part of the text (the line removed, then the line as Alice has it).
    await expect(conflict.locator('.cd-side').filter({ hasText: 'Yours' }).locator('pre')).toHaveText(
      /^line 750 of the long plan\s*line 750 as Alice has it\s*$/,
    );

    // Context lines around the conflict are numbered in yours; the hundreds of folded lines are not rendered.
    const view = dialog.getByRole('region', { name: /Three-way merge/ });
    await expect(view.locator('.cd-ln[data-line="749"]')).toHaveCount(1);
    await expect(view.locator('.cd-ln[data-line="751"]')).toHaveCount(1);
    const shown = await view.locator('.cd-ln').count();
    expect(shown).toBeLessThan(40);
    await expect(view.locator('.cd-ln[data-line="1200"]')).toHaveCount(0);
    await view.getByRole('button', { name: /^Show 7\d\d unchanged lines/ }).last().click();
    await expect(view.locator('.cd-ln[data-line="1200"]')).toHaveCount(1);
  });
});
