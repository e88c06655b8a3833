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
});
