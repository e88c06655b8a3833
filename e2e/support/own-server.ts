import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { expect } from '@playwright/test';

/**
 * A server of the test's own, on its own port, for what the shared one must not see: being stopped,
 * or running with other settings.
 */
export class OwnServer {
  private child: ChildProcess | null = null;
  readonly url: string;
  private readonly port: number;
  private readonly args: string[];

  /** `args`: further CLI flags, e.g. `['--data', folder]` or `['--memory', '--conflict-status', '412']`. */
  constructor(port: number, args: string[]) {
    this.port = port;
    this.args = args;
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', 'mock-server/main.ts', '--port', String(this.port), '--quiet', ...this.args],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    await expect
      .poll(async () => fetch(`${this.url}/api/docs`).then((r) => r.status, () => 0), { timeout: 20_000 })
      .toBe(200);
  }

  /** SIGTERM: the server closes its store and exits, as on a deploy or a Vite config reload. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
