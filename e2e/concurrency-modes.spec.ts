import { expect, test } from './fixtures.ts';

/**
 * The mechanisms beside strong ETags (docs/protocol.md §1.11, §1.12), each from a fresh document of
 * its own with two people in two browser contexts. A document gets its mode through the editor's
 * own picker, so no test changes the server for the others running beside it.
 */
test.describe('concurrency modes and states', () => {
  test('What goes wrong without If-Match: the later save wins, and both people are told what was lost', async ({ doc, alice, bob, api }) => {
    await alice.open(doc.id);
    await alice.page.getByLabel('Concurrency mode of this document').selectOption('none');
    await expect.poll(async () => (await alice.page.request.get(`/api/docs/${doc.id}/concurrency`).then((r) => r.json())) as unknown).toMatchObject({
      concurrency: 'none',
    });
    await bob.open(doc.id);

    // Both start from version 1.
    await alice.editor.write(`${doc.content}Alice: bring snacks.\n`);
    const bobs = doc.content.replace('Tuesday: review it with the team.', 'Tuesday: review it with the team in room 4.');
    await bob.editor.write(bobs);
    expect((await bob.editor.save()).status()).toBe(200);
    await bob.editor.expectSaved(2);
    // Without a precondition, Alice's save from version 1 is accepted too: Bob's line is gone.
    expect((await alice.editor.save()).status()).toBe(200);
    await alice.editor.expectSaved(3);
    expect((await api.current(doc.id)).doc.content).not.toContain('room 4');
    // The inspector shows the If-Match the server ignored, and marks the save that lost an update.
    await alice.inspector.open();
    const aliceSave = alice.inspector.requests('PUT', `/api/docs/${doc.id}`).first();
    await expect(aliceSave).toContainText('lost update');
    await expect(aliceSave).toContainText('If-Match');
    await expect(aliceSave).toContainText('Last-Modified');

    for (const person of [alice, bob]) {
      const notice = person.page.getByTestId('lost-update');
      await expect(notice).toContainText('Alice’s save replaced version 2 without seeing it');
      await expect(notice).toContainText('Bob’s change is gone');
    }

    // Bringing it back is a normal save of Bob's change replayed onto Alice's text.
    await bob.page.getByRole('button', { name: 'Bring Bob’s change back' }).click();
    await expect(bob.editor.content).toHaveValue(`${bobs}Alice: bring snacks.\n`);
    expect((await bob.editor.save()).status()).toBe(200);
    await bob.editor.expectSaved(4);
    await expect(bob.page.getByTestId('lost-update')).toHaveCount(0);
    await expect(alice.page.getByTestId('lost-update')).toHaveCount(0);
  });

  test('Edit an archived document: read-only with the reason, until it moves back to draft', async ({ doc, alice, bob, api }) => {
    await alice.open(doc.id);
    await bob.open(doc.id);
    const states = alice.page.getByRole('group', { name: 'Document state' });
    await states.getByRole('button', { name: 'Publish' }).click();
    await expect(alice.page.getByTestId('document-state')).toHaveText('published');
    await states.getByRole('button', { name: 'Archive' }).click();
    await expect(alice.page.getByTestId('document-state')).toHaveText('archived');
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ state: 'archived', version: 3 });

    // Bob's tab follows the server's event: the banner says why, and the editor is read-only.
    await expect(bob.page.getByTestId('archived-banner')).toContainText('archived, so it is read-only');
    await expect(bob.editor.content).not.toBeEditable();

    // A save sent anyway (here straight through the API, as an old tab would) gets the state conflict.
    const { etag } = await api.current(doc.id);
    const refused = await bob.page.request.put(`/api/docs/${doc.id}`, {
      data: { title: doc.title, content: 'edited anyway' },
      headers: { 'If-Match': etag, 'X-User': 'Bob' },
    });
    expect(refused.status()).toBe(409);
    expect(await refused.json()).toMatchObject({ type: '/problems/resource-state', state: 'archived', allowedTransitions: ['draft'] });

    await bob.page.getByRole('group', { name: 'Document state' }).getByRole('button', { name: 'Move back to draft' }).click();
    await expect(bob.page.getByTestId('document-state')).toHaveText('draft');
    await expect(alice.page.getByTestId('document-state')).toHaveText('draft');
    await expect(alice.editor.content).toBeEditable();
  });

  test('The server merges for you: a stale save to another paragraph is merged without a dialog', async ({ doc, alice, bob, api }) => {
    await alice.open(doc.id);
    await alice.page.getByLabel('Concurrency mode of this document').selectOption('server-merge');
    await expect.poll(async () => ((await alice.page.request.get(`/api/docs/${doc.id}/concurrency`).then((r) => r.json())) as { concurrency: string }).concurrency).toBe(
      'server-merge',
    );
    await bob.open(doc.id);
    // Both start from version 1; Bob saves first.
    await alice.editor.write(doc.content.replace('Wednesday: ship it.', 'Wednesday: ship it (Alice).'));
    await bob.editor.write(doc.content.replace('Monday: write the outline.', 'Monday: write the outline (Bob).'));
    await bob.editor.save();
    await bob.editor.expectSaved(2);

    const response = await alice.editor.save();
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ mergedFrom: [1, 2] });
    await expect(alice.dialog.root).toHaveCount(0);
    await expect
      .poll(async () => (await api.current(doc.id)).doc.content)
      .toBe(doc.content.replace('Monday: write the outline.', 'Monday: write the outline (Bob).').replace('Wednesday: ship it.', 'Wednesday: ship it (Alice).'));
  });

  test('Bob holds the lock: Alice sees who edits until when, and can break it after confirming; Bob keeps his text', async ({ doc, alice, bob, api }) => {
    await bob.open(doc.id);
    await bob.page.getByLabel('Concurrency mode of this document').selectOption('lock');
    const bobLock = bob.page.getByRole('group', { name: 'Document lock' });
    await bobLock.getByRole('button', { name: 'Take the lock to edit' }).click();
    await expect(bob.page.getByTestId('lock-mine')).toContainText('You hold the lock until');
    await bob.editor.write(`${doc.content}Bob's unsaved line.\n`);

    await alice.page.goto(`/docs/${doc.id}?as=Alice`);
    const holder = alice.page.getByTestId('lock-holder');
    await expect(holder).toContainText(/Bob is editing — until \d{1,2}:\d\d/);
    await expect(alice.editor.content).not.toBeEditable();

    // A save sent anyway is refused with the lock's holder and expiry.
    const { etag } = await api.current(doc.id);
    const refused = await alice.page.request.put(`/api/docs/${doc.id}`, {
      data: { title: doc.title, content: 'mine' },
      headers: { 'If-Match': etag, 'X-User': 'Alice' },
    });
    expect(refused.status()).toBe(409);
    expect(await refused.json()).toMatchObject({ type: '/problems/resource-locked', lock: { holder: 'Bob' } });

    await holder.getByRole('button', { name: 'Break the lock…' }).click();
    await alice.page.getByRole('group', { name: 'Confirm taking over' }).getByRole('button', { name: 'Break the lock' }).click();
    await expect(alice.page.getByTestId('lock-mine')).toBeVisible();
    await expect(alice.editor.content).toBeEditable();

    await expect(bob.page.getByRole('alert').filter({ hasText: 'Alice took over the lock' })).toBeVisible();
    await expect(bob.editor.content).toHaveValue(`${doc.content}Bob's unsaved line.\n`);
  });

  test('Ask to take over: the holder hears it, keeps editing once, then hands the lock over and keeps the draft', async ({ doc, bob, carol }) => {
    await bob.open(doc.id);
    await bob.page.getByLabel('Concurrency mode of this document').selectOption('lock');
    await bob.page.getByRole('group', { name: 'Document lock' }).getByRole('button', { name: 'Take the lock to edit' }).click();
    await expect(bob.page.getByTestId('lock-mine')).toBeVisible();
    const bobs = `${doc.content}Bob's unsaved line.\n`;
    await bob.editor.write(bobs);

    await carol.page.goto(`/docs/${doc.id}?as=Carol`);
    const holder = carol.page.getByTestId('lock-holder');
    await expect(holder).toContainText('Bob is editing');
    const request = bob.page.getByTestId('lock-request');

    // First Bob keeps editing: Carol is told, and still cannot edit.
    await holder.getByRole('button', { name: 'Ask to take over' }).click();
    await expect(holder).toContainText('You asked Bob to hand the lock over');
    await expect(request).toContainText('Carol asks to take over');
    await request.getByRole('button', { name: 'Keep editing' }).click();
    await expect(request).toHaveCount(0);
    await expect(holder).toContainText('Bob keeps editing for now.');
    await expect(carol.editor.content).not.toBeEditable();

    // Asked again, Bob hands it over: nothing broken, nothing of Bob's lost.
    await holder.getByRole('button', { name: 'Ask to take over' }).click();
    await request.getByRole('button', { name: 'Hand over' }).click();
    await expect(carol.page.getByTestId('lock-mine')).toBeVisible();
    await expect(carol.editor.content).toBeEditable();
    await expect(bob.page.getByRole('status').filter({ hasText: 'You handed the lock to Carol' })).toBeVisible();
    await expect(bob.page.getByTestId('lock-holder')).toContainText('Carol is editing');
    await expect(bob.editor.content).toHaveValue(bobs);
  });

  test('New document: a PUT with If-None-Match: *, so a create retried after a lost answer makes one document', async ({ alice, api, uniqueTitle }) => {
    let lost = 0;
    // The first answer is lost on the way back: the server made the document, the tab never heard.
    await alice.page.route('**/api/docs/d_*', async (route) => {
      if (route.request().method() !== 'PUT' || lost > 0) return route.fallback();
      lost += 1;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await alice.list.goto('Alice');
    await alice.list.newTitle.fill(uniqueTitle);
    const creates = alice.page.waitForRequest((r) => r.method() === 'PUT' && r.headers()['if-none-match'] === '*');
    await alice.list.create.click();
    await creates;
    await expect(alice.editor.title).toHaveValue(uniqueTitle);
    await alice.editor.expectSaved(1);
    expect(lost).toBe(1);
    await expect.poll(async () => (await api.list()).filter((d) => d.title === uniqueTitle).length).toBe(1);
  });
});
