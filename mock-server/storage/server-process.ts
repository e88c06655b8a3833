/**
 * A server in a child process, started with the CLI as `npm start` would, for the tests and
 * benchmarks that kill it, restart it, or run two of them on one database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const MAIN = resolve(import.meta.dirname, '../main.ts');


export interface ServerProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT` once it listens. */
  url: string;
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown code runs, like a power cut for the process. */
  kill(): Promise<void>;
}

export function startServerProcess(args: string[], env: Record<string, string> = {}): Promise<ServerProcess> {
  // Node itself runs the server (with tsx as a loader), not the tsx CLI: that would run it in a
  // grandchild, which a SIGKILL of the child would leave running.
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (part: string) => (stdout += part));
  child.stderr.setEncoding('utf8').on('data', (part: string) => (stderr += part));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((done, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout} ${stderr}`)), 30_000);
    child.stdout.on('data', () => {
      const url = /on (http:\/\/[^/\s]+)\//.exec(stdout)?.[1];
      if (!url) return;
      clearTimeout(timer);
      done({
        child,
        url,
        exited,
        output: () => ({ stdout, stderr }),
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening: ${stderr.trim()}`));
    });
  });
}
