import { expect, test } from './fixtures.ts';

test.describe('first open', () => {
  test('the list says what to do, offers another user, and the tab title names the user and the document', async ({ doc, alice }) => {
    await alice.list.goto(alice.name);
    await expect(alice.page.getByTestId('first-steps')).toContainText('open it again in a second tab');
    await expect(alice.page).toHaveTitle('Alice · Documents');

    const opened = alice.context.waitForEvent('page');
    await alice.page.getByRole('link', { name: 'Open as another user' }).click();
    const other = await opened;
    await expect(other.getByTestId('identity-name')).not.toHaveText('Alice');
    await expect(other.getByRole('heading', { name: 'Documents' })).toBeVisible();
    await other.close();

    await alice.list.link(doc.title).click();
    await expect(alice.page).toHaveTitle(`Alice · ${doc.title}`);
    // The tab follows the title being typed: it is the draft's.
    await alice.editor.title.fill('Field trip plan ✈');
    await expect(alice.page).toHaveTitle('Alice · Field trip plan ✈');
  });

  test('the colour swatches in "Change name" show their colours', async ({ alice }) => {
    await alice.list.goto(alice.name);
    await alice.page.getByRole('button', { name: 'Change name' }).click();
    const swatches = alice.page.getByRole('radio');
    await expect(swatches).not.toHaveCount(0);
    const painted = await swatches.evaluateAll((inputs) =>
      inputs.map((input) => {
        // What the eye sees is the input over its label: the input must let the label's colour through.
        const own = getComputedStyle(input).backgroundColor;
        const label = getComputedStyle(input.parentElement as Element).backgroundColor;
        return { own, label };
      }),
    );
    for (const { own, label } of painted) {
      expect(own).toBe('rgba(0, 0, 0, 0)');
      expect(label).not.toBe('rgb(255, 255, 255)');
    }
    expect(new Set(painted.map((p) => p.label)).size).toBe(painted.length);
  });
});
