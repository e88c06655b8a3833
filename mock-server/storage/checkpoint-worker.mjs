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
 * Under a steady stream of saves, though, a commit lands while each checkpoint runs, the log is
 * never all copied when the next one starts, and it would grow without end. So once it holds
 * more than `restartFrames`, the thread follows with a `RESTART` checkpoint, as better-sqlite3's
 * documentation advises: it waits (here, on this thread) for a moment between two commits, holds
 * the write lock while it copies the rest, and leaves the log to start over. The store's writes
 * wait for it without blocking the event loop (they are retried; see SqliteStore.flush).
 *
 * Plain JavaScript on purpose: a worker is started from a file that Node runs as it is, in every
 * host this server runs in (tsx, Vitest, Vite's dev server), and Node 20 does not run TypeScript.
 * Messages: `{ type: 'stop' }` in; `{ type: 'ready' }` and `{ type: 'failed', message }` out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ path: string, intervalMs: number, restartFrames: number }} */
const { path, intervalMs, restartFrames } = workerData;
const port = parentPort;
if (!port) throw new Error('checkpoint-worker.mjs runs in a worker thread.');

/** @type {Database.Database} */
let db;
try {
  // The busy timeout is how long a RESTART may wait for a gap between the store's commits.
  db = new Database(path, { timeout: 1000 });
  // The checkpoint fsyncs the log before copying and the database after (FULL, as the store).
  db.pragma('synchronous = FULL');
  db.pragma('wal_autocheckpoint = 0');
} catch (error) {
  // The thread ends, and the store says why: a SqliteError reaches it as a bare object without
  // its message (only Node's built-in errors keep theirs on the way out of a thread).
  throw new Error(error instanceof Error ? error.message : String(error), { cause: error });
}

/** The last failure told to the store, so one that repeats every round is told once. */
let lastFailure = '';

function checkpoint() {
  try {
    const [passive] = /** @type {Array<{ log: number }>} */ (db.pragma('wal_checkpoint(PASSIVE)'));
    if (passive && passive.log > restartFrames) db.pragma('wal_checkpoint(RESTART)');
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
