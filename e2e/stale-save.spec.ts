import { Actor, expect, test } from './fixtures.ts';
import { Api } from './support/api.ts';
import { OwnServer, freePort } from './support/own-server.ts';

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

test('a server that answers a stale save with 412 gets the same dialog and resolution', async ({ browser, uniqueTitle }) => {
  const server = new OwnServer(await freePort(), ['--memory', '--conflict-status', '412']);
  await server.start();
  const [aliceContext, bobContext] = await Promise.all([browser.newContext({ baseURL: server.url }), browser.newContext({ baseURL: server.url })]);
  try {
    const api = new Api(aliceContext.request);
    const { doc } = await api.create(uniqueTitle, 'One.\n');
    const alice = new Actor('Alice', aliceContext, await aliceContext.newPage());
    const bob = new Actor('Bob', bobContext, await bobContext.newPage());
    await alice.open(doc.id);
    await bob.open(doc.id);
    await alice.editor.write('One, by Alice.\n');
    await bob.editor.write('One, by Bob.\n');
    await bob.editor.save();
    await bob.editor.expectSaved(2);

    expect((await alice.editor.save()).status()).toBe(412);
    await alice.dialog.expectOpen();
    await alice.dialog.overwrite.click();
    await alice.editor.expectSaved(3);
    await expect.poll(async () => (await api.current(doc.id)).doc).toMatchObject({ version: 3, content: 'One, by Alice.\n' });
  } finally {
    await Promise.all([aliceContext.close(), bobContext.close()]);
    await server.stop();
  }
});
