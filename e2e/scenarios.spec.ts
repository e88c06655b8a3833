import { SAMPLE, expect, test } from './fixtures.ts';
import type { Actor } from './fixtures.ts';
import { withStatus } from './support/pages.ts';
import { nextPut } from './support/scenarios.ts';

/** Puts the caret at the end of a 0-based line of the content and types there, as a person would. */
async function typeAtLine(actor: Actor, line: number, text: string): Promise<void> {
  await actor.editor.content.click();
  await actor.page.keyboard.press('Control+Home');
  for (let i = 0; i < line; i++) await actor.page.keyboard.press('ArrowDown');
  await actor.page.keyboard.press('End');
  await actor.page.keyboard.type(text);
}

const MONDAY = 2; // "Monday: write the outline." in SAMPLE

test.describe('guided scenarios', () => {
  test('Bob edits the same line: the save meets a conflict on that line', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await typeAtLine(alice, MONDAY, ' With Alice.');
    await alice.scenarios.sameLine.click();
    await expect(alice.awareness.liveNotice).toContainText('Bob saved version 2');
    const bobs = (await api.current(doc.id)).doc;
    expect(bobs.updatedBy).toBe('Bob');
    const bobsLine = bobs.content.split('\n')[MONDAY];
    expect(bobsLine).not.toBe(SAMPLE.split('\n')[MONDAY]);
    // Only that line: everything else is as it was.
    expect(bobs.content.split('\n').filter((_, i) => i !== MONDAY)).toEqual(SAMPLE.split('\n').filter((_, i) => i !== MONDAY));

    expect((await alice.editor.save()).status()).toBe(409);
    await alice.dialog.expectOpen();
    await expect(alice.dialog.takeTheirs).toHaveCount(1);
    await expect(alice.dialog.root).toContainText('With Alice.');
  });

  test('Bob edits another paragraph: the save merges cleanly', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await typeAtLine(alice, MONDAY, ' With Alice.');
    await alice.scenarios.otherParagraph.click();
    await expect(alice.awareness.liveNotice).toContainText('Bob saved version 2');
    const bobs = (await api.current(doc.id)).doc;
    expect(bobs.content.split('\n')[MONDAY]).toBe(SAMPLE.split('\n')[MONDAY]);

    expect((await alice.editor.save()).status()).toBe(409);
    await alice.dialog.expectOpen();
    await expect(alice.dialog.takeTheirs).toHaveCount(0);
    const put = nextPut(alice);
    await alice.dialog.merge.click();
    expect((await put).status()).toBe(200);
    await alice.editor.expectSaved(3);
    const saved = (await api.current(doc.id)).doc.content;
    expect(saved.split('\n')[MONDAY]).toBe('Monday: write the outline. With Alice.');
    expect(saved.replace(' With Alice.', '')).toBe(bobs.content);
  });

  test('Bob deletes the document: the text is saved as a new document', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    const mine = `${SAMPLE}Kept after the delete.\n`;
    await alice.editor.write(mine);
    await alice.scenarios.deleteDocument.click();
    await expect.poll(async () => (await api.get(doc.id)).status).toBe(410);

    const panel = alice.page.getByRole('region', { name: 'This document was deleted' });
    await expect(panel).toBeVisible();
    await expect(alice.editor.content).toHaveValue(mine);
    await panel.getByRole('textbox', { name: 'Title of the new document' }).fill(`${doc.title} (kept)`);
    await panel.getByRole('button', { name: 'Save as a new document' }).click();
    await expect(alice.page).not.toHaveURL(new RegExp(doc.id));
    await alice.editor.expectSaved(1);
    const created = (await api.list()).find((d) => d.title === `${doc.title} (kept)`);
    expect(created).toBeDefined();
    await expect.poll(async () => (await api.current(created?.id ?? '')).doc.content).toBe(mine);
  });

  test('Two saves race: one 200 and one 409 in the inspector, one new version, nothing typed lost', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await alice.inspector.open();
    const mine = SAMPLE.replace('# Plan', '# Plan, raced');
    await alice.editor.write(mine);
    const { etag: base } = await api.current(doc.id);

    await alice.scenarios.race.click();
    const puts = alice.inspector.requests('PUT', `/api/docs/${doc.id}`);
    await expect(puts).toHaveCount(2);
    await expect(withStatus(puts, 200)).toHaveCount(1);
    await expect(withStatus(puts, 409)).toHaveCount(1);
    await expect(puts.filter({ hasText: `If-Match ${base}` })).toHaveCount(2);
    await expect(puts.filter({ hasText: 'as Bob' })).toHaveCount(1);
    await expect(puts.filter({ hasText: 'as Alice' })).toHaveCount(1);

    // One winner, one new version.
    const afterRace = (await api.current(doc.id)).doc;
    expect(afterRace.version).toBe(2);

    if (afterRace.updatedBy === 'Alice') {
      expect(afterRace.content).toBe(mine);
      await alice.editor.expectSaved(2);
      await expect(alice.dialog.root).toBeHidden();
    } else {
      // Alice lost: the dialog opens as usual, with her text as mine.
      await alice.dialog.expectOpen();
      await expect(alice.dialog.root).toContainText('raced');
      const put = nextPut(alice);
      await alice.dialog.merge.click();
      expect((await put).status()).toBe(200);
      await alice.editor.expectSaved(3);
      await expect.poll(async () => (await api.current(doc.id)).doc.content).toContain('# Plan, raced');
    }
  });
});
