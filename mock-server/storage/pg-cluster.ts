/**
 * A PostgreSQL cluster of our own, for the tests, the benchmark and `npm run start:postgres`:
 * `initdb` into a folder, `pg_ctl start` on a free loopback port with the socket in that folder,
 * and a stop that leaves no server process behind. It uses Debian's `postgresql` binaries
 * (installed with apt-get when they are missing and we are root). PostgreSQL refuses to run as
 * root, so as root the cluster runs as the `postgres` system user (or `nobody`), in a folder that
 * user owns.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export interface LocalCluster {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: trust authentication on loopback only. */
  url: string;
  port: number;
  folder: string;
  /**
   * Stops the server, however busy or stuck it is, then removes a temporary folder. Once it
   * returns no process of the cluster is left; when one cannot be ended it throws and leaves the
   * folder as it is (a later stop tries again).
   */
  stop(): void;
}

export interface ClusterOptions {
  /** Where the cluster lives; a new temporary folder (removed by stop) when omitted. */
  folder?: string;
  /** A fixed port; a free one when omitted. */
  port?: number;
  /** Allow `apt-get install postgresql` when the binaries are missing and we are root (default true). */
  install?: boolean;
  /**
   * Make every commit survive a power cut (default true). The tests' throwaway clusters turn it
   * off (`fsync`, `synchronous_commit` and `full_page_writes`): a test never cuts the power, a
   * killed process loses nothing either way, and each database a test creates costs a third.
   */
  durable?: boolean;
  /**
   * How large, in bytes, the server's processes may make any one file (their RLIMIT_FSIZE, set
   * with util-linux's `prlimit`): a disk that fills up, for the full-disk tests. A limit a little
   * past a block boundary makes PostgreSQL's write of the next block short, which it reports as a
   * full disk (SQLSTATE 53100). Above 16 MiB, so that WAL segments can be made. None by default.
   */
  fileSizeLimit?: number;
}

function binDir(install: boolean): string {
  const found = findBinDir();
  if (found) return found;
  if (install && process.getuid?.() === 0) {
    const apt = (args: string[]) =>
      execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', 'postgresql']);
    const installed = findBinDir();
    if (installed) return installed;
  }
  throw new Error('PostgreSQL is not installed (no initdb). Install Debian\'s "postgresql" package, or set PG_BIN to its bin folder.');
}

function findBinDir(): string | null {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  return null;
}

/** The user the cluster runs as: ourselves, or a system user when we are root. */
function clusterUser(): { name: string; uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const id = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (id.status === 0 && gid.status === 0) return { name, uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  throw new Error('Running as root, and there is neither a "postgres" nor a "nobody" user to run PostgreSQL as.');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startLocalCluster(options: ClusterOptions = {}): Promise<LocalCluster> {
  const bin = binDir(options.install ?? true);
  const user = clusterUser();
  const temporary = options.folder === undefined;
  const folder = options.folder ?? mkdtempSync(join(tmpdir(), 'conflict-lab-pg-'));
  const data = join(folder, 'data');
  mkdirSync(folder, { recursive: true });
  if (user) chownSync(folder, user.uid, user.gid);
  const run = (command: string, args: string[], limit?: number) => {
    const line = [...(limit === undefined ? [] : ['prlimit', `--fsize=${limit}`, '--']), join(bin, command), ...args];
    const [file = '', ...argv] = user ? ['runuser', '-u', user.name, '--', ...line] : line;
    const result = spawnSync(file, argv, { encoding: 'utf8', cwd: folder });
    if (result.status !== 0) {
      throw new Error(`${command} failed (${result.status ?? result.signal}): ${(result.stderr || result.stdout || String(result.error)).trim()}`);
    }
  };
  if (!existsSync(join(data, 'PG_VERSION'))) {
    // A throwaway cluster need not survive a power cut while it is being made.
    const sync = temporary ? ['--no-sync'] : [];
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions', ...sync]);
  }
  const port = options.port ?? (await freePort());
  const durability = options.durable === false ? ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off' : '';
  const options_ = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c max_connections=200${durability}`;
  const shutDown = () => {
    ends(data, (mode) => {
      try {
        run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', String(SHUTDOWN_WAIT), 'stop']);
      } catch {
        // Not stopped in time, or not running: what is left is looked for either way.
      }
    });
    if (temporary) rmSync(folder, { recursive: true, force: true });
  };
  try {
    // pg_ctl's server inherits the limit.
    run('pg_ctl', ['-D', data, '-o', options_, '-l', join(folder, 'postgres.log'), '-w', '-t', '60', 'start'], options.fileSizeLimit);
  } catch (error) {
    // In a new folder the server may have started after all, or still be starting. (In a folder
    // of the caller's, it may be another's, already running there.)
    if (temporary) {
      try {
        shutDown();
      } catch {
        // The error to report is the start's.
      }
    }
    throw error;
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    folder,
    stop() {
      if (stopped) return;
      shutDown();
      stopped = true;
    },
  };
}

/** Seconds a fast, then an immediate shutdown may take before the next, harder way is tried. */
const SHUTDOWN_WAIT = 5;

/**
 * Ends the server of `data`: `shutdown('fast')`, `shutdown('immediate')` when processes are left,
 * then SIGKILL for the postmaster and its children (as a postmaster that is stopped, or stuck in
 * its own shutdown, needs). Returns once none is left; throws when one outlives the SIGKILL, so
 * that its folder is not removed from under it.
 */
function ends(data: string, shutdown: (mode: 'fast' | 'immediate') => void): void {
  for (const mode of ['fast', 'immediate'] as const) {
    if (ended(data, 0)) return;
    shutdown(mode);
    // pg_ctl is done once the postmaster has removed its pid file, a moment before it exits.
    if (ended(data, 1000)) return;
  }
  // The postmaster first stopped, so that it starts no child while its children are found and
  // killed; then the postmaster. Its shared memory segment outlives it: removed too.
  const shared = sharedMemoryId(data);
  const postmasters = serverProcesses(data, false);
  for (const pid of postmasters) signal(pid, 'SIGSTOP');
  for (const pid of serverProcesses(data)) if (!postmasters.includes(pid)) signal(pid, 'SIGKILL');
  for (const pid of postmasters) signal(pid, 'SIGKILL');
  if (!ended(data, SHUTDOWN_WAIT * 1000)) {
    throw new Error(`PostgreSQL in ${data} did not end, even with SIGKILL: process ${serverProcesses(data).join(', ')} still runs.`);
  }
  if (shared !== null) spawnSync('ipcrm', ['-m', shared]);
}

/** Whether no process of the server of `data` is left, or none is within `ms` milliseconds. */
function ended(data: string, ms: number): boolean {
  for (let waited = 0; serverProcesses(data).length > 0; waited += 50) {
    if (waited >= ms) return false;
    sleep(50);
  }
  return true;
}

/**
 * The live processes of the server of `data`: its postmaster (`postgres -D data …`), and, with
 * `children`, the processes it started. One that has ended but is not yet reaped (a zombie) is
 * not counted.
 */
function serverProcesses(data: string, children = true): number[] {
  const rows = processTable().filter((row) => row.alive);
  const postmasters = rows
    .filter(({ argv: [command = '', ...args] }) => basename(command) === 'postgres' && args.some((arg, i) => arg === '-D' && args[i + 1] === data))
    .map((row) => row.pid);
  if (!children) return postmasters;
  return rows.filter((row) => postmasters.includes(row.pid) || postmasters.includes(row.ppid)).map((row) => row.pid);
}

interface ProcessRow {
  pid: number;
  ppid: number;
  alive: boolean;
  argv: string[];
}

/** Every process: from /proc where there is one (Linux), else from `ps` (its arguments split at spaces). */
function processTable(): ProcessRow[] {
  if (!existsSync('/proc/self/stat')) {
    const listed = spawnSync('ps', ['-A', '-ww', '-o', 'pid=', '-o', 'ppid=', '-o', 'stat=', '-o', 'args='], { encoding: 'utf8' });
    if (listed.status !== 0) throw new Error(`ps failed (${listed.status ?? listed.signal}): ${(listed.stderr || String(listed.error)).trim()}`);
    return listed.stdout
      .split('\n')
      .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map(([, pid = '', ppid = '', stat = '', args = '']) => ({ pid: Number(pid), ppid: Number(ppid), alive: !stat.startsWith('Z'), argv: args.split(' ') }));
  }
  const rows: ProcessRow[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (name) state ppid …": the name may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').slice(0, -1);
      rows.push({ pid: Number(entry), ppid: Number(ppid), alive: state !== 'Z' && state !== 'X', argv });
    } catch {
      // Ended meanwhile.
    }
  }
  return rows;
}

/** The id of the System V shared memory segment the server of `data` made (postmaster.pid's 7th line), if it says. */
function sharedMemoryId(data: string): string | null {
  try {
    const line = readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[6] ?? '';
    return /^\s*\d+\s+(\d+)\s*$/.exec(line)?.[1] ?? null;
  } catch {
    return null;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Ended meanwhile.
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A new, empty database on the server at `adminUrl`, so each test has tables of its own: one that
 * recycleDatabase emptied when there is one (renamed, so two takers never get the same), else a
 * new one. A new database is a copy of `template1` (about 7.5 MB), and the tests make thousands
 * in a mutation run on one long-lived server.
 */
export async function createDatabase(adminUrl: string, prefix = 'conflict_lab'): Promise<string> {
  const { default: pg } = await import('pg');
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const spares = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1) LIMIT 10', [
      `${prefix}_spare_`,
    ]);
    let taken = false;
    for (const { datname } of spares.rows) {
      try {
        await client.query(`ALTER DATABASE ${datname} RENAME TO ${name}`);
        taken = true;
        break;
      } catch {
        // Taken by another test meanwhile (or connected to): the next one.
      }
    }
    if (!taken) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return databaseUrl(adminUrl, name);
}

/**
 * Empties a database that createDatabase handed out (its tables, its settings) and offers it to
 * the next createDatabase. One that somebody is still connected to (a store a test left open) is
 * left as it is.
 */
export async function recycleDatabase(adminUrl: string, url: string, prefix = 'conflict_lab'): Promise<void> {
  const { default: pg } = await import('pg');
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: databaseUrl(adminUrl, name) });
  await client.connect();
  try {
    const others = await client.query('SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    if (others.rowCount !== 0) return;
    // As a new database has it (PostgreSQL 15): owned by the database's owner, usable by all.
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public AUTHORIZATION pg_database_owner; GRANT USAGE ON SCHEMA public TO PUBLIC');
  } finally {
    await client.end();
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${name} RESET ALL`);
    await admin.query(`ALTER DATABASE ${name} RENAME TO ${prefix}_spare_${Math.random().toString(36).slice(2, 10)}`);
  } catch {
    // Connected to meanwhile: it stays as it is.
  } finally {
    await admin.end();
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
