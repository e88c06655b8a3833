import type { Page } from '@playwright/test';
import { SAMPLE, expect, test } from './fixtures.ts';
import { isDocumentPut } from './support/scenarios.ts';

async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (focused === name) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

test.describe('keyboard only', () => {
  test('a conflict is resolved and merged by keyboard alone', async ({ api, doc, alice, bob }) => {
    const mine = SAMPLE.replace('Monday: write the outline.', 'Monday: Alice outlines.').replace('Wednesday: ship it.', 'Wednesday: Alice ships.');
    const theirs = SAMPLE.replace('Monday: write the outline.', 'Monday: Bob outlines.').replace('Wednesday: ship it.', 'Wednesday: Bob ships.');
    await bob.open(doc.id);
    await alice.open(doc.id);
    await alice.editor.content.focus();
    await alice.page.keyboard.press('ControlOrMeta+a');
    await alice.page.keyboard.insertText(mine);
    await bob.editor.write(theirs);
    await bob.editor.save();
    await bob.editor.expectSaved(2);

    await alice.page.keyboard.press('Control+s');
    await alice.dialog.expectOpen();
    // Focus moved into the dialog.
    expect(await alice.dialog.root.evaluate((dialog) => dialog.contains(document.activeElement))).toBe(true);

    await alice.page.keyboard.press('Alt+r'); // take theirs on conflict 1
    await alice.page.keyboard.press('Alt+n');
    await alice.page.keyboard.press('Alt+m'); // take mine on conflict 2
    await tabTo(alice.page, 'Merge');
    await alice.page.keyboard.press('Enter');

    const expected = SAMPLE.replace('Monday: write the outline.', 'Monday: Bob outlines.').replace('Wednesday: ship it.', 'Wednesday: Alice ships.');
    await alice.editor.expectSaved(3);
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 3, content: expected });
  });

  test('Ctrl+S in the dialog saves nothing; Escape cancels it and gives the editor back, text intact', async ({ api, doc, alice, bob }) => {
    await bob.open(doc.id);
    await alice.open(doc.id);
    await alice.editor.write('Alice here.\n');
    await bob.editor.write('Bob here.\n');
    await bob.editor.save();
    await bob.editor.expectSaved(2);

    await alice.editor.content.press('Control+s');
    await alice.dialog.expectOpen();
    // Ctrl+S inside the dialog is not a second save of the unresolved draft.
    let puts = 0;
    alice.page.on('request', (r) => {
      if (isDocumentPut(r)) puts += 1;
    });
    await alice.page.keyboard.press('Control+s');
    await expect(alice.dialog.root).toBeVisible();
    expect(puts).toBe(0);
    await alice.page.keyboard.press('Escape');
    await expect(alice.dialog.root).toBeHidden();
    await expect(alice.editor.content).toHaveValue('Alice here.\n');
    await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe('Bob here.\n');
  });
});
