import { expect, test } from './fixtures.ts';

test('creating a document with a taken title shows the duplicate inline and creates nothing', async ({ api, doc, alice, uniqueTitle }) => {
  await alice.list.goto('Alice');
  // Same title after trim, case-insensitive.
  await alice.list.newTitle.fill(`  ${doc.title.toUpperCase()}  `);
  const response = alice.page.waitForResponse((r) => r.request().method() === 'PUT' && r.request().headers()['if-none-match'] === '*');
  await alice.list.create.click();
  expect((await response).status()).toBe(409);

  await expect(alice.list.error).toContainText(`A document titled “${doc.title}” already exists`);
  await expect(alice.list.newTitle).toHaveAttribute('aria-invalid', 'true');
  await expect(alice.list.newTitle).toHaveValue(`  ${doc.title.toUpperCase()}  `);
  await expect.poll(async () => (await api.list()).filter((d) => d.title.toLowerCase() === doc.title.toLowerCase()).length).toBe(1);

  // The link in the message opens the existing document.
  await alice.list.error.getByRole('link', { name: 'Open it' }).click();
  await expect(alice.page).toHaveURL(new RegExp(`/docs/${doc.id}$`));
  await expect(alice.editor.content).toHaveValue(doc.content);

  // A free title creates the document and opens it.
  await alice.list.goto();
  const fresh = `${uniqueTitle} fresh`;
  await alice.list.newTitle.fill(fresh);
  await alice.list.create.click();
  await expect(alice.editor.title).toHaveValue(fresh);
  await alice.editor.expectSaved(1);
  await expect.poll(async () => (await api.list()).filter((d) => d.title === fresh).map((d) => d.updatedBy)).toEqual(['Alice']);
});

test('the list shows each document with its version and last editor', async ({ api, doc, alice }) => {
  await api.save(doc.id, { content: 'Changed by Bob.\n' }, 'Bob');
  await alice.list.goto('Alice');
  const row = alice.page.getByRole('row').filter({ has: alice.list.link(doc.title) });
  await expect(row).toContainText('2');
  await expect(row).toContainText('Bob');
  await alice.list.link(doc.title).click();
  await expect(alice.editor.content).toHaveValue('Changed by Bob.\n');
});
