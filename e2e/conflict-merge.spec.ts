import { SAMPLE, expect, test } from './fixtures.ts';
import { NO_CONFLICT, TWO_CONFLICTS, nextPut, otherSavesFirst, twoConflictsOpen } from './support/scenarios.ts';

test.describe('conflict → Merge', () => {
  test('per-conflict choices decide the saved text', async ({ api, doc, alice, bob }) => {
    await twoConflictsOpen(doc.id, alice, bob);
    await expect(alice.dialog.takeTheirs).toHaveCount(2);

    // Merge is not on offer while a conflict is open.
    await expect(alice.dialog.merge).toBeDisabled();
    await alice.dialog.takeTheirs.nth(0).click();
    await expect(alice.dialog.merge).toBeDisabled();
    await alice.dialog.takeMine.nth(1).click();
    await expect(alice.dialog.merge).toBeEnabled();
    const put = nextPut(alice);
    await alice.dialog.merge.click();
    expect((await put).status()).toBe(200);

    const expected = TWO_CONFLICTS.resolved;
    await expect(alice.dialog.root).toBeHidden();
    await alice.editor.expectSaved(3);
    await expect(alice.editor.content).toHaveValue(expected);
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 3, content: expected, updatedBy: 'Alice' });
  });

  test('edits on different lines merge without a conflict', async ({ api, doc, alice, bob }) => {
    await otherSavesFirst(doc.id, alice, bob, NO_CONFLICT.mine, NO_CONFLICT.theirs);
    await expect(alice.dialog.takeTheirs).toHaveCount(0);

    await alice.dialog.merge.click();
    await alice.editor.expectSaved(3);
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 3, content: NO_CONFLICT.merged });
  });

  test('two edits in one paragraph merge at word level', async ({ api, uniqueTitle, alice, bob }) => {
    const paragraph = 'The quick brown fox jumps over the lazy dog while the farmer watches from the gate.\n';
    const { doc } = await api.create(uniqueTitle, paragraph);
    await otherSavesFirst(
      doc.id,
      alice,
      bob,
      paragraph.replace('quick', 'swift'),
      paragraph.replace('lazy dog', 'sleepy dog'),
    );
    await expect(alice.dialog.takeTheirs).toHaveCount(0);

    await alice.dialog.merge.click();
    const expected = 'The swift brown fox jumps over the sleepy dog while the farmer watches from the gate.\n';
    await alice.editor.expectSaved(3);
    await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe(expected);
  });

  test('a third user saving during resolution is merged too, with a note', async ({ api, doc, alice, bob, carol }) => {
    const mine = SAMPLE.replace('# Plan', '# Plan (Alice)');
    const theirs = SAMPLE.replace('Monday: write the outline.', 'Monday: write the outline (Bob).');
    await otherSavesFirst(doc.id, alice, bob, mine, theirs);

    // Carol saves version 3 while Alice looks at the dialog.
    await carol.open(doc.id);
    await expect(carol.editor.content).toHaveValue(theirs);
    const carols = theirs.replace('Wednesday: ship it.', 'Wednesday: ship it (Carol).');
    await carol.editor.write(carols);
    await carol.editor.save();
    await carol.editor.expectSaved(3);
    const { etag: carolsEtag } = await api.current(doc.id);

    const first = nextPut(alice);
    await alice.dialog.merge.click();
    expect((await first).status()).toBe(409);
    await expect(alice.dialog.root).toContainText('1 new change arrived');
    await expect(alice.dialog.root).toContainText('Carol');

    const second = nextPut(alice);
    await alice.dialog.merge.click();
    const response = await second;
    expect(response.status()).toBe(200);
    expect(response.request().headers()['if-match']).toBe(carolsEtag);

    const expected = carols.replace('# Plan', '# Plan (Alice)');
    await alice.editor.expectSaved(4);
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 4, content: expected, updatedBy: 'Alice' });
  });
});
