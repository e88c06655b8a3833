import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures.ts';
import { isDocumentPut } from './support/scenarios.ts';

const V1 = 'Monday: write the outline.\nTuesday: review it.\n';
const V2 = 'Monday: write the outline with Bob.\nTuesday: review it.\n';
const V3 = 'Monday: write the outline with Bob.\nTuesday: review it, then rest.\n';

test.describe('History', () => {
  test('loads when opened; a version opens read-only with who, when and a diff, and can be restored', async ({
    api,
    uniqueTitle,
    alice,
  }) => {
    const { doc } = await api.create(uniqueTitle, V1);
    await api.save(doc.id, { content: V2 }, 'Bob');
    await api.save(doc.id, { content: V3, title: `${uniqueTitle} (final)` }, 'Carol');
    const revisionRequests: string[] = [];
    alice.page.on('request', (request) => {
      if (new URL(request.url()).pathname.includes('/revisions')) revisionRequests.push(request.url());
    });
    await alice.open(doc.id);

    const { history } = alice;
    await expect(history.summary).toHaveText('History (3 versions)');
    expect(revisionRequests).toEqual([]);

    await history.open();
    await expect(history.versions).toHaveText(['Version 3', 'Version 2', 'Version 1']);
    await expect(history.items.nth(1)).toContainText('Bob');

    await history.version(2).click();
    const view = history.view(2);
    await expect(view).toHaveAccessibleName(/^Version 2, saved by Bob on /);
    const text = view.getByRole('textbox', { name: 'Text of version 2' });
    await expect(text).toHaveValue(V2);
    await expect(text).not.toBeEditable();
    const diff = view.getByRole('region', { name: 'From version 1 to version 2: 1 change' });
    await expect(diff.locator('ins')).toHaveText([' with Bob']);

    const axe = await new AxeBuilder({ page: alice.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(axe.violations.map((v) => ({ id: v.id, targets: v.nodes.map((n) => n.target.join(' ')) }))).toEqual([]);

    // Against any other version.
    await view.getByRole('combobox', { name: 'Compare with' }).selectOption('3');
    await expect(view.getByRole('region', { name: 'From version 3 to version 2: 1 change' })).toBeVisible();

    // Restore: a new version with version 2's title and text, saved with If-Match.
    const put = alice.page.waitForResponse((r) => isDocumentPut(r.request()));
    await view.getByRole('button', { name: 'Restore this version' }).click();
    const response = await put;
    expect(response.status()).toBe(200);
    expect(response.request().headers()['if-match']).toBeTruthy();
    await alice.editor.expectSaved(4);
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 4, content: V2, title: uniqueTitle, updatedBy: 'Alice' });
    await expect(alice.editor.content).toHaveValue(V2);
  });

  test('restoring goes through the conflict dialog when someone saved meanwhile', async ({ api, uniqueTitle, alice }) => {
    const { doc } = await api.create(uniqueTitle, V1);
    await api.save(doc.id, { content: V2 }, 'Bob');
    // This tab must not learn of Carol's save before it restores: every read of the document
    // answers with version 2, as a slow network might.
    let first: { status: number; headers: Record<string, string>; body: string } | null = null;
    await alice.page.route(`**/api/docs/${doc.id}`, async (route) => {
      if (route.request().method() !== 'GET') return route.fallback();
      if (!first) {
        const response = await route.fetch();
        first = { status: response.status(), headers: response.headers(), body: await response.text() };
      }
      await route.fulfill(first);
    });
    await alice.open(doc.id);
    const { history } = alice;
    await history.open();
    await history.version(1).click();
    await api.save(doc.id, { content: V3 }, 'Carol');

    const put = alice.page.waitForResponse((r) => isDocumentPut(r.request()));
    await history.view(1).getByRole('button', { name: 'Restore this version' }).click();
    expect((await put).status()).toBe(409);
    await alice.dialog.expectOpen();
    await expect(alice.dialog.root).toContainText('Carol');
    await expect.poll(async () => (await api.current(doc.id)).doc.version).toBe(3);
  });

  test('counts one version in the singular and lists many a page at a time', async ({ api, uniqueTitle, alice }) => {
    const { doc } = await api.create(uniqueTitle, V1);
    await alice.open(doc.id);
    const { history } = alice;
    await expect(history.summary).toHaveText('History (1 version)');

    for (let i = 2; i <= 25; i++) await api.save(doc.id, { content: `${V1}save ${i}\n` }, 'Bob');
    await expect(history.summary).toHaveText('History (25 versions)');
    const revisionRequests: string[] = [];
    alice.page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.endsWith('/revisions')) revisionRequests.push(url.search);
    });
    await history.open();
    const { items } = history;
    await expect(items).toHaveCount(20);
    await expect(items.first()).toContainText('Version 25');
    await expect(items.last()).toContainText('Version 6');
    // The server sends a page at a time: the newest 20, then those before version 6.
    expect(revisionRequests).toEqual(['?limit=20']);
    await history.root.getByRole('button', { name: 'Show 5 earlier versions' }).click();
    await expect(items).toHaveCount(25);
    await expect(items.last()).toContainText('Version 1');
    expect(revisionRequests).toEqual(['?limit=20', '?limit=20&before=6']);
    await expect(history.root.getByRole('button', { name: /earlier version/ })).toHaveCount(0);

    // A version on the first page whose predecessor is on the second: compared with it all the same.
    await history.version(6).click();
    await expect(history.view(6).getByRole('combobox', { name: 'Compare with' })).toHaveValue('5');
  });

  test('open in one tab, it grows by another tab’s saves without reading the history again', async ({ api, uniqueTitle, alice, bob }) => {
    const { doc } = await api.create(uniqueTitle, V1);
    await alice.open(doc.id);
    await bob.open(doc.id);
    const revisionRequests: string[] = [];
    alice.page.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/revisions')) revisionRequests.push(request.url());
    });
    await alice.history.open();
    await expect(alice.history.versions).toHaveText(['Version 1']);

    await bob.editor.write(V2);
    await bob.editor.save();
    await bob.editor.expectSaved(2);
    await bob.editor.write(V3);
    await bob.editor.save();
    await bob.editor.expectSaved(3);

    await expect(alice.history.versions).toHaveText(['Version 3', 'Version 2', 'Version 1']);
    await expect(alice.history.summary).toHaveText('History (3 versions)');
    await expect(alice.history.items.first()).toContainText('Bob');
    expect(revisionRequests).toHaveLength(1);

    // Left open while the saves go on, the list stays a page long; the oldest are a click away.
    for (let v = 4; v <= 24; v++) await api.save(doc.id, { content: `${V3}save ${v}\n` }, 'Carol');
    await expect(alice.history.summary).toHaveText('History (24 versions)');
    await expect(alice.history.items.first()).toContainText('Version 24');
    await expect(alice.history.items).toHaveCount(20);
    expect(revisionRequests).toHaveLength(1);
    await alice.history.root.getByRole('button', { name: 'Show 4 earlier versions' }).click();
    await expect(alice.history.items).toHaveCount(24);
    await expect(alice.history.items.last()).toContainText('Version 1');
  });
});
