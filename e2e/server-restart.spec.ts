import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Actor, expect, test } from './fixtures.ts';

/** Its own server on its own port and data file: this test stops it, which no other test may see. */
class OwnServer {
  private child: ChildProcess | null = null;
  readonly url: string;
  private readonly port: number;
  private readonly dataFile: string;

  constructor(port: number, dataFile: string) {
    this.port = port;
    this.dataFile = dataFile;
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', 'mock-server/main.ts', '--port', String(this.port), '--data', this.dataFile, '--quiet'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    await expect
      .poll(async () => fetch(`${this.url}/api/docs`).then((r) => r.status, () => 0), { timeout: 20_000 })
      .toBe(200);
  }

  /** SIGTERM: the server flushes its data file and exits, as on a deploy or a Vite config reload. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

test('a server restart while editing loses nothing: the save waits, retries and goes through', async ({ browser, uniqueTitle }, testInfo) => {
  test.setTimeout(120_000);
  const server = new OwnServer(await freePort(), testInfo.outputPath('documents.json'));
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
