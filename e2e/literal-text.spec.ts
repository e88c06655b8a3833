import { expect, test } from './fixtures.ts';
import { otherSavesFirst } from './support/scenarios.ts';

const HOSTILE = [
  '<script>window.__injected = "script"</script>',
  '<img src="x" onerror="window.__injected = \'img\'">',
  '<b>not bold</b> &amp; &lt;kept&gt;',
  '',
].join('\n');

test('HTML and script in document text are shown literally, in the editor, the list and the dialog', async ({ api, uniqueTitle, alice, bob }) => {
  const title = `<i>${uniqueTitle}</i>`;
  const { doc } = await api.create(title, HOSTILE);

  await alice.list.goto('Alice');
  await expect(alice.list.link(title)).toBeVisible();

  await alice.open(doc.id);
  await expect(alice.editor.content).toHaveValue(HOSTILE);
  await expect(alice.editor.title).toHaveValue(title);

  await otherSavesFirst(doc.id, alice, bob, HOSTILE.replace('not bold', 'still not bold'), HOSTILE.replace('not bold', 'never bold'));
  await expect(alice.dialog.root).toContainText('<b>');
  await expect(alice.dialog.root).toContainText('<script>');
  await expect(alice.dialog.root.locator('img, script, b')).toHaveCount(0);

  expect(await alice.page.evaluate(() => (window as unknown as { __injected?: string }).__injected)).toBeUndefined();
  expect(await bob.page.evaluate(() => (window as unknown as { __injected?: string }).__injected)).toBeUndefined();
  await expect.poll(async () => (await api.current(doc.id)).doc.content).toBe(HOSTILE.replace('not bold', 'never bold'));
});
