import { Actor, expect, test } from './fixtures.ts';
import { OwnServer, freePort } from './support/own-server.ts';

test('a server restart while editing loses nothing: the save waits, retries and goes through', async ({ browser, uniqueTitle }, testInfo) => {
  test.setTimeout(120_000);
  const server = new OwnServer(await freePort(), ['--data', testInfo.outputPath('data')]);
  await server.start();
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const created = await fetch(`${server.url}/api/docs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-User': 'Setup' },
      body: JSON.stringify({ title: uniqueTitle, content: 'First line.\n' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const alice = new Actor('Alice', context, await context.newPage());
    await alice.open(id);
    await alice.editor.write('First line.\nTyped before the restart.\n');

    await server.stop();
    const mine = 'First line.\nTyped before the restart.\nTyped while the server was down.\n';
    await alice.editor.write(mine);
    await alice.editor.saveButton.click();
    await expect(alice.editor.status).toHaveText('Offline, will retry');
    await expect(alice.editor.content).toHaveValue(mine);
    await expect(alice.editor.saveButton).toBeDisabled();

    await server.start();
    await expect(alice.editor.status).toHaveText('Saved · version 2', { timeout: 30_000 });
    await expect
      .poll(async () => ((await (await fetch(`${server.url}/api/docs/${id}`)).json()) as { content: string; version: number }))
      .toMatchObject({ content: mine, version: 2 });

    await alice.page.reload();
    await expect(alice.editor.content).toHaveValue(mine);
    await expect(alice.page.getByText(/Restored your unsaved changes/)).toHaveCount(0);
  } finally {
    await context.close();
    await server.stop();
  }
});
