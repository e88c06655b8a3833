// @ts-check
/**
 * The embedded store's checkpointer, in a worker thread (sqlite-store.ts starts and stops it).
 *
 * In WAL mode a commit appends to the write-ahead log; a checkpoint copies those pages into the
 * database file and fsyncs it, so the log can start over. SQLite does that by itself on the
 * connection whose commit filled the log past 1,000 pages, inside that commit: with a
 * synchronous driver that is the server's event loop, blocked for tens of milliseconds on a busy
 * disk. The store turns that off (`wal_autocheckpoint = 0`) and this thread does it instead, on
 * a connection of its own, with `PASSIVE` checkpoints: they never wait for, nor hold up, the
 * store's readers and writers, and copy every frame no reader still needs. The store's reads are
 * short and synchronous, so none lasts long enough to starve a checkpoint (better-sqlite3's
 * "checkpoint starvation" needs a never-ending read); once a checkpoint has copied everything,
 * the store's next commit starts the log over from its beginning.
 *
 * Plain JavaScript on purpose: a worker is started from a file that Node runs as it is, in every
 * host this server runs in (tsx, Vitest, Vite's dev server), and Node 20 does not run TypeScript.
 * Messages: `{ type: 'stop' }` in; `{ type: 'ready' }` and `{ type: 'failed', message }` out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ path: string, intervalMs: number }} */
const { path, intervalMs } = workerData;
const port = parentPort;
if (!port) throw new Error('checkpoint-worker.mjs runs in a worker thread.');

const db = new Database(path, { timeout: 0 });
// The checkpoint fsyncs the log before copying and the database after (FULL, as the store).
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');

/** The last failure told to the store, so one that repeats every round is told once. */
let lastFailure = '';

function checkpoint() {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    lastFailure = '';
  } catch (error) {
    // Nothing is lost: the frames stay in the log and the next round tries again (a full disk
    // makes the store refuse saves on its own). The store is told, once per kind of failure.
    const message = error instanceof Error ? error.message : String(error);
    if (message !== lastFailure) port?.postMessage({ type: 'failed', message });
    lastFailure = message;
  }
}

const timer = setInterval(checkpoint, intervalMs);

port.on('message', (/** @type {{ type: string }} */ message) => {
  if (message.type !== 'stop') return;
  clearInterval(timer);
  db.close();
  port.close();
});
port.postMessage({ type: 'ready' });
