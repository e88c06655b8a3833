import { expect, test } from './fixtures.ts';

test('a stale save is refused with 409 and overwrites nothing', async ({ api, doc, alice, bob }) => {
  await alice.open(doc.id);
  await bob.open(doc.id);

  // Both start from version 1.
  await alice.editor.write('Alice rewrote the whole plan.\n');
  await bob.editor.write(`${doc.content}Bob added a line.\n`);
  expect((await bob.editor.save()).status()).toBe(200);
  await bob.editor.expectSaved(2);

  const refused = await alice.editor.save();
  expect(refused.status()).toBe(409);
  const problem = (await refused.json()) as { type: string; current: { version: number; updatedBy: string } };
  expect(problem.type).toBe('/problems/edit-conflict');
  expect(problem.current).toMatchObject({ version: 2, updatedBy: 'Bob' });

  // The server still has Bob's version, and Alice's text is still hers.
  await expect
    .poll(async () => (await api.current(doc.id)).doc)
    .toMatchObject({ version: 2, content: `${doc.content}Bob added a line.\n`, updatedBy: 'Bob' });
  await expect(alice.editor.content).toHaveValue('Alice rewrote the whole plan.\n');
});
