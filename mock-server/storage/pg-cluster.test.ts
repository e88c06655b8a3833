/**
 * Stopping a throwaway PostgreSQL cluster (pg-cluster.ts) leaves none of its processes behind,
 * whatever state its server is in, and only then removes its folder. Real clusters, watched
 * through /proc; runs where the global setup has PostgreSQL (always in CI).
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresEngine, until } from './engines-under-test.ts';
import { startLocalCluster, type LocalCluster } from './pg-cluster.ts';

/** A process that has not ended (a zombie has: it only waits to be reaped). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

/** The running processes of the cluster in `folder`: its postmaster, found by its data folder, and the postmaster's children. */
function processesOf(folder: string): number[] {
  const data = join(folder, 'data');
  const rows = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        return [{ pid: Number(entry), ppid, postmaster: argv[0]?.endsWith('/postgres') === true && argv.includes(data) }];
      } catch {
        return [];
      }
    });
  const postmasters = rows.filter((row) => row.postmaster).map((row) => row.pid);
  return rows.filter((row) => postmasters.includes(row.pid) || postmasters.includes(row.ppid)).map((row) => row.pid).filter(running);
}

function postmasterOf(cluster: LocalCluster): number {
  return Number(readFileSync(join(cluster.folder, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

describe.runIf(postgresEngine())('a local PostgreSQL cluster, stopped', () => {
  // What a test leaves when stop() does not do its work: processes to kill, a folder to remove.
  const leftovers: Array<{ pids: number[]; folder: string }> = [];
  afterEach(() => {
    for (const { pids, folder } of leftovers.splice(0)) {
      for (const pid of pids.filter(running)) process.kill(pid, 'SIGKILL');
      rmSync(folder, { recursive: true, force: true });
    }
  });

  async function cluster(): Promise<{ cluster: LocalCluster; pids: number[] }> {
    const started = await startLocalCluster({ durable: false });
    const pids = processesOf(started.folder);
    leftovers.push({ pids, folder: started.folder });
    return { cluster: started, pids };
  }

  it('ends a server that cannot shut down (its postmaster stopped with SIGSTOP), children and all, then removes its folder', async () => {
    const { cluster: stuck, pids } = await cluster();
    const postmaster = postmasterOf(stuck);
    // The postmaster and the processes it started (checkpointer, background writer, …).
    expect(pids).toContain(postmaster);
    expect(pids.length).toBeGreaterThan(1);
    // A stopped postmaster takes no signal in: neither a fast nor an immediate shutdown can end it.
    process.kill(postmaster, 'SIGSTOP');

    stuck.stop();

    expect(pids.filter(running)).toEqual([]);
    expect(processesOf(stuck.folder)).toEqual([]);
    expect(existsSync(stuck.folder)).toBe(false);
  }, 60_000);

  it('stops a server that has already shut down without an error, and removes its folder', async () => {
    const { cluster: gone, pids } = await cluster();
    // A smart shutdown, with nobody connected: the server ends by itself.
    process.kill(postmasterOf(gone), 'SIGTERM');
    await until('the server to shut down', () => pids.filter(running).length === 0);

    gone.stop();

    expect(existsSync(gone.folder)).toBe(false);
  });
});
