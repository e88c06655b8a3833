import { SAMPLE, expect, test } from './fixtures.ts';
import { nextPut, otherSavesFirst } from './support/scenarios.ts';

test.describe('the merged result', () => {
  test('shows where each part came from, shows markers only on request, and stays editable', async ({ api, doc, alice, bob }) => {
    const mine = SAMPLE.replace('Monday: write the outline.', 'Monday: Alice outlines.').replace(
      'Wednesday: ship it.',
      'Wednesday: Alice ships.',
    );
    const theirs = SAMPLE.replace('Monday: write the outline.', 'Monday: Bob outlines.')
      .replace('Wednesday: ship it.', 'Wednesday: Bob ships.')
      .replace('# Plan', '# Plan (Bob)');
    await otherSavesFirst(doc.id, alice, bob, mine, theirs);
    const dialog = alice.dialog.root;
    const result = dialog.getByRole('region', { name: 'Merged result' });
    const origin = (kind: string) => result.locator(`.cd-origin--${kind}`);

    // Open conflicts are places still to decide, never raw markers.
    await expect(origin('open')).toHaveText(['Conflict 1: not resolved yet', 'Conflict 2: not resolved yet']);
    await expect(result.locator('.cd-origins')).not.toContainText('<<<<<<<');
    await expect(result.getByRole('textbox')).toHaveCount(0);
    await expect(origin('theirs')).toHaveText(['Theirs (Bob)# Plan (Bob)']);

    await dialog.getByRole('group', { name: 'Conflict 1 of 2' }).getByRole('button', { name: 'Take theirs' }).click();
    await expect(origin('theirs')).toHaveText(['Theirs (Bob)# Plan (Bob)', 'Theirs (Bob)Monday: Bob outlines.']);
    await dialog.getByRole('group', { name: 'Conflict 2 of 2' }).getByRole('button', { name: 'Take mine' }).click();
    await expect(origin('mine')).toHaveText(['YoursWednesday: Alice ships.']);
    await expect(origin('open')).toHaveCount(0);

    // All resolved: the result as text is there to edit, and what is typed shows as typed.
    const text = result.getByRole('textbox', { name: 'Merged result as text' });
    await expect(text).not.toHaveValue(/<<<<<<</);
    const typed = (await text.inputValue()).replace('Tuesday: review it with the team.', 'Tuesday: review it with Carol.');
    await text.fill(typed);
    await expect(origin('typed')).toContainText(['Carol']);

    const put = nextPut(alice);
    await alice.dialog.merge.click();
    expect((await put).status()).toBe(200);
    await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe(typed);
  });

  test('shows the markers to a user who asks for them', async ({ doc, alice, bob }) => {
    await otherSavesFirst(
      doc.id,
      alice,
      bob,
      SAMPLE.replace('Monday: write the outline.', 'Monday: Alice outlines.'),
      SAMPLE.replace('Monday: write the outline.', 'Monday: Bob outlines.'),
    );
    const result = alice.dialog.root.getByRole('region', { name: 'Merged result' });
    await expect(result.getByRole('textbox')).toHaveCount(0);
    await result.getByRole('button', { name: 'Edit the result as text' }).click();
    await expect(result.getByRole('textbox', { name: 'Merged result as text' })).toHaveValue(/<<<<<<< mine\nMonday: Alice outlines\.\n/);
  });
});
