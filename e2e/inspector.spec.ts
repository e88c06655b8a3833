import { SAMPLE, expect, test } from './fixtures.ts';
import { otherSavesFirst } from './support/scenarios.ts';

test.describe('protocol inspector', () => {
  test('shows the If-Match of each save, the 409 standing out, and its headers and problem body', async ({ api, doc, alice, bob }) => {
    const { etag: loadedEtag } = await api.current(doc.id);
    await alice.open(doc.id);
    await alice.inspector.open();
    const loaded = alice.inspector.requests('GET', `/api/docs/${doc.id}`).first();
    await expect(loaded.locator('.request-status')).toHaveText('200');
    await expect(loaded).toContainText(`ETag ${loadedEtag}`);

    const mine = SAMPLE.replace('# Plan', '# Plan (Alice)');
    const theirs = SAMPLE.replace('# Plan', '# Plan (Bob)');
    await otherSavesFirst(doc.id, alice, bob, mine, theirs);
    await alice.dialog.cancel.click();

    const put = alice.inspector.requests('PUT', `/api/docs/${doc.id}`).first();
    await expect(put.locator('.request-status')).toHaveText('409conflict');
    await expect(put).toHaveClass(/request-conflict/);
    await expect(put).toContainText(`If-Match ${loadedEtag}`);

    await put.getByRole('button').click();
    await expect(put).toContainText('Request headers');
    await expect(put).toContainText('x-user');
    await expect(put).toContainText('content-type');
    await expect(put).toContainText('application/problem+json');
    await expect(put).toContainText('"type": "/problems/edit-conflict"');
    await expect(put).toContainText('"currentEtag"');
  });

  test('a read repeated after each of someone else’s saves is one row that counts them; a long body is kept in part', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await alice.inspector.open();
    for (let n = 1; n <= 3; n += 1) {
      await api.save(doc.id, { content: `${doc.content}Bob, take ${n}.\n` }, 'Bob');
      await expect(alice.editor.content).toHaveValue(`${doc.content}Bob, take ${n}.\n`);
    }
    const { etag } = await api.current(doc.id);
    const reads = alice.inspector.requests('GET', `/api/docs/${doc.id}`);
    await expect(reads.first()).toContainText('Read 3 times in a row');
    await expect(reads.first()).toContainText(`ETag ${etag}`);

    // A save of a long text: the inspector keeps the start of its body and says how much it left out.
    const line = 'A long line, saved whole but not kept whole in the inspector. ';
    const text = line.repeat(200);
    await alice.editor.write(text);
    await alice.editor.save();
    await alice.editor.expectSaved(5);
    const put = alice.inspector.requests('PUT', `/api/docs/${doc.id}`).first();
    await put.getByRole('button').click();
    const kept = 8 * 1024;
    const body = JSON.stringify({ title: doc.title, content: text });
    await expect(put).toContainText(`… and ${(body.length - kept).toLocaleString('en')} more characters, not kept here.`);
    await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe(text);
  });

  test('bodies are text, never markup', async ({ api, uniqueTitle, alice }) => {
    const { doc } = await api.create(uniqueTitle, 'plain\n');
    await alice.open(doc.id);
    await alice.inspector.open();
    // A stale save: its problem body echoes the document, whose title now holds markup.
    await alice.editor.write('mine\n');
    await api.save(doc.id, { content: 'x\n', title: `${uniqueTitle} <img src=x onerror="window.__owned=1">` }, 'Bob');
    await alice.editor.saveButton.click();
    await alice.dialog.expectOpen();
    await alice.dialog.cancel.click();
    const put = alice.inspector.requests('PUT', `/api/docs/${doc.id}`).first();
    await put.getByRole('button').click();
    await expect(put).toContainText('<img src=x onerror=');
    await expect(alice.inspector.root.locator('img')).toHaveCount(0);
    expect(await alice.page.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
  });

  test('its open state is remembered per tab: across a reload, not in another tab', async ({ doc, alice, bob }) => {
    await alice.open(doc.id);
    await alice.inspector.open();
    await alice.page.reload();
    await expect(alice.inspector.root).toBeVisible();
    await expect(alice.inspector.toggle).toHaveAttribute('aria-pressed', 'true');

    await bob.open(doc.id);
    await expect(bob.inspector.toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(bob.inspector.root).toHaveCount(0);

    await alice.inspector.toggle.click();
    await expect(alice.inspector.root).toHaveCount(0);
    await alice.page.reload();
    await expect(alice.editor.content).toBeEditable();
    await expect(alice.inspector.root).toHaveCount(0);
  });

  test('a save retried after a network failure sends its Idempotency-Key again, and the inspector shows both tries', async ({ api, doc, alice }) => {
    await alice.open(doc.id);
    await alice.inspector.open();
    const sentKeys: string[] = [];
    let puts = 0;
    await alice.page.route(`**/api/docs/${doc.id}`, async (route) => {
      if (route.request().method() !== 'PUT') return route.continue();
      sentKeys.push(route.request().headers()['idempotency-key'] ?? '');
      puts += 1;
      // The first try never reaches the server: the connection fails.
      return puts === 1 ? route.abort('connectionreset') : route.continue();
    });

    await alice.editor.write('Saved on the second try.\n');
    await alice.editor.saveButton.click();
    await alice.editor.expectSaved(2);

    expect(sentKeys).toHaveLength(2);
    expect(sentKeys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sentKeys[1]).toBe(sentKeys[0]);
    const [retried, first] = [alice.inspector.requests('PUT', `/api/docs/${doc.id}`).nth(0), alice.inspector.requests('PUT', `/api/docs/${doc.id}`).nth(1)];
    await expect(first).toContainText(`Idempotency-Key ${sentKeys[0]}`);
    await expect(first.locator('.request-status')).toHaveText(/no answer|network/i);
    await expect(retried).toContainText(`Idempotency-Key ${sentKeys[0]}retry`);
    await expect(retried.locator('.request-status')).toHaveText('200');
    await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe('Saved on the second try.\n');

    // The next save is a new attempt, with a key of its own.
    await alice.editor.write('A second save.\n');
    await alice.editor.saveButton.click();
    await alice.editor.expectSaved(3);
    expect(sentKeys).toHaveLength(3);
    expect(sentKeys[2]).not.toBe(sentKeys[0]);
  });
});
