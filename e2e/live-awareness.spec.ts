import { SAMPLE, expect, test } from './fixtures.ts';
import { NO_CONFLICT, nextPut } from './support/scenarios.ts';

test.describe('live awareness', () => {
  test('a newer version under a draft: the notice, then Review and merge now, saved with the fresh ETag', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    const { mine } = NO_CONFLICT;
    await alice.editor.write(mine);
    await api.save(doc.id, { content: NO_CONFLICT.theirs }, 'Bob');

    await expect(alice.awareness.liveNotice).toHaveText(/Bob saved version 2 · you started from version 1/);
    // Nothing typed is replaced by the news.
    await expect(alice.editor.content).toHaveValue(mine);
    await expect(alice.editor.status).toHaveText('Unsaved changes · kept on this device');

    await alice.awareness.reviewNow.click();
    await alice.dialog.expectOpen();
    await expect(alice.dialog.takeTheirs).toHaveCount(0);
    const { etag: currentEtag } = await api.current(doc.id);

    // Cancel keeps the draft as it was; opening again shows the same comparison.
    await alice.dialog.cancel.click();
    await expect(alice.dialog.root).toBeHidden();
    await expect(alice.editor.content).toHaveValue(mine);
    await alice.awareness.reviewNow.click();
    await alice.dialog.expectOpen();

    const put = nextPut(alice);
    await alice.dialog.merge.click();
    const response = await put;
    expect(response.status()).toBe(200);
    expect(response.request().headers()['if-match']).toBe(currentEtag);

    await alice.editor.expectSaved(3);
    await expect(alice.awareness.liveNotice).toBeHidden();
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 3, content: NO_CONFLICT.merged, updatedBy: 'Alice' });
  });

  test('a conflicting newer version opens the conflict with the draft as mine', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    const mine = SAMPLE.replace('Monday: write the outline.', 'Monday: Alice writes the outline.');
    await alice.editor.write(mine);
    await api.save(doc.id, { content: SAMPLE.replace('Monday: write the outline.', 'Monday: Bob writes the outline.') }, 'Bob');

    await alice.awareness.reviewNow.click();
    await alice.dialog.expectOpen();
    await expect(alice.dialog.root).toContainText('Alice writes the outline');
    await expect(alice.dialog.root).toContainText('Bob writes the outline');
    await alice.dialog.takeMine.first().click();
    const put = nextPut(alice);
    await alice.dialog.merge.click();
    expect((await put).status()).toBe(200);
    await alice.editor.expectSaved(3);
    await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe(mine);
  });

  test('without unsaved changes the editor takes the new version and says so', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    const theirs = SAMPLE.replace('# Plan', '# Bob’s plan');
    await api.save(doc.id, { content: theirs }, 'Bob');
    await expect(alice.editor.content).toHaveValue(theirs);
    await expect(alice.page.getByText('Bob saved version 2; you had no unsaved changes, so the editor now shows it.')).toBeVisible();
    await alice.editor.expectSaved(2);
  });

  test('that notice goes when dismissed, when the user types, and when the user makes the next version', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    const notice = (version: number) => alice.page.getByRole('status').filter({ hasText: `Bob saved version ${version}; you had no unsaved changes` });
    const bobSaves = (line: string) => api.save(doc.id, { content: `${SAMPLE}${line}\n` }, 'Bob');

    await bobSaves('Bob: one.');
    await notice(2).getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice(2)).toHaveCount(0);
    await bobSaves('Bob: two.');
    await expect(notice(3)).toBeVisible();

    // Typing hides it; a version that comes meanwhile, once the typing is undone, is not announced.
    await alice.editor.write(`${SAMPLE}Bob: two.\nAlice: typing.\n`);
    await expect(notice(3)).toHaveCount(0);
    await bobSaves('Bob: three.');
    await expect(alice.awareness.liveNotice).toContainText('Bob saved version 4');
    await alice.editor.write(`${SAMPLE}Bob: two.\n`);
    await expect(alice.editor.content).toHaveValue(`${SAMPLE}Bob: three.\n`);
    await alice.editor.expectSaved(4);
    await expect(alice.page.getByText(/you had no unsaved changes/)).toHaveCount(0);

    // A version of her own (a state move, no draft needed) is what the editor shows: no notice of Bob's.
    await bobSaves('Bob: four.');
    await expect(notice(5)).toBeVisible();
    await alice.page.getByRole('group', { name: 'Document state' }).getByRole('button', { name: 'Publish' }).click();
    await expect(alice.page.getByTestId('document-state')).toHaveText('published');
    await alice.editor.expectSaved(6);
    await expect(alice.page.getByText(/you had no unsaved changes/)).toHaveCount(0);
  });

  test('the document list follows saves, creations and deletions as they happen', async ({ api, doc, uniqueTitle, alice }) => {
    await alice.list.goto('Alice');
    await expect(alice.list.row(doc.title)).toContainText('Setup');

    await api.save(doc.id, { content: 'Changed by Bob.\n', title: `${doc.title} (v2)` }, 'Bob');
    await expect(alice.list.link(`${doc.title} (v2)`)).toBeVisible();
    await expect(alice.list.row(`${doc.title} (v2)`)).toContainText('Bob');

    const other = await api.create(`${uniqueTitle} second`, 'Another.\n');
    await expect(alice.list.link(other.doc.title)).toBeVisible();
    await api.delete(other.doc.id);
    await expect(alice.list.link(other.doc.title)).toHaveCount(0);
  });

  test('presence: who else has the document open, in the editor and as counts in the list', async ({ doc, alice, bob, carol }) => {
    await alice.open(doc.id);
    await bob.open(doc.id);
    await expect(alice.awareness.presence).toContainText('Bob');
    await expect(bob.awareness.presence).toContainText('Alice');
    await expect(alice.awareness.presence).not.toContainText('Alice');

    await carol.list.goto('Carol');
    const row = carol.list.row(doc.title);
    await expect(row.getByTestId('open-count')).toHaveText('2 open');

    // Leaving (closing the tab) is seen by the others.
    await bob.page.close();
    await expect(alice.awareness.presence).toHaveText('Only you have this document open.');
    await expect(row.getByTestId('open-count')).toHaveText('1 open');
  });
});
