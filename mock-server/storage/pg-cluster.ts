/**
 * A PostgreSQL cluster of our own, for the tests, the benchmark and `npm run start:postgres`:
 * `initdb` into a folder, `pg_ctl start` on a free loopback port with the socket in that folder,
 * and `pg_ctl stop` at the end. It uses Debian's `postgresql` binaries (installed with apt-get
 * when they are missing and we are root). PostgreSQL refuses to run as root, so as root the
 * cluster runs as the `postgres` system user (or `nobody`), in a folder that user owns.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalCluster {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`: trust authentication on loopback only. */
  url: string;
  port: number;
  folder: string;
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
  const run = (command: string, args: string[]) => {
    const [file, argv] = user ? ['runuser', ['-u', user.name, '--', join(bin, command), ...args]] : [join(bin, command), args];
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
  try {
    run('pg_ctl', ['-D', data, '-o', options_, '-l', join(folder, 'postgres.log'), '-w', '-t', '60', 'start']);
  } catch (error) {
    if (temporary) rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    folder,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        if (temporary) rmSync(folder, { recursive: true, force: true });
      }
    },
  };
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
