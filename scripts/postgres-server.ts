/**
 * `npm run start:postgres`: the app on a PostgreSQL of its own, in one command. It makes (once)
 * and starts a PostgreSQL cluster in `data/postgres/` (Debian's `postgresql` binaries, run as a
 * non-root user), makes the database `conflict_lab` in it, builds the app and starts the server
 * on that database; Ctrl-C stops both. Flags after `--` go to the server (e.g. `-- --port 5180`).
 *
 * For a PostgreSQL you already have, run `npm start` with DATABASE_URL (or `--database URL`).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import pg from 'pg';
import { startLocalCluster } from '../mock-server/storage/pg-cluster.ts';

const folder = resolve(import.meta.dirname, '../data/postgres');
const port = Number(process.env.PG_PORT ?? 54329);
const cluster = await startLocalCluster({ folder, port });

const admin = new pg.Client({ connectionString: cluster.url });
await admin.connect();
try {
  await admin.query('CREATE DATABASE conflict_lab');
} catch (error) {
  // 42P04: it exists already, from an earlier start.
  if (!(error instanceof Error && 'code' in error && error.code === '42P04')) throw error;
} finally {
  await admin.end();
}
const url = cluster.url.replace(/\/postgres$/, '/conflict_lab');
console.log(`PostgreSQL in ${folder} on port ${port}; DATABASE_URL=${url}`);

const build = spawn('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
const built = await new Promise<number | null>((done) => build.on('exit', done));
if (built !== 0) {
  cluster.stop();
  process.exit(built ?? 1);
}
const server = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../mock-server/main.ts'), '--database', url, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
const stop = () => server.kill('SIGTERM');
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
server.on('exit', (code) => {
  cluster.stop();
  process.exit(code ?? 0);
});
