/**
 * The store on disk: one JSON file, rewritten whole and atomically (a temp file in the same
 * folder, fsync, then rename), so a crash leaves either the old file or the new one, never half.
 * A file that cannot be read back is refused, never overwritten: it may be the only copy of
 * someone's documents.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { SnapshotError, validateSnapshot, type DocumentStore, type StoreSnapshot } from './store.ts';

export class CorruptDataError extends Error {
  override name = 'CorruptDataError';
  readonly file: string;

  constructor(file: string, reason: string) {
    super(
      `The data file ${file} cannot be read (${reason}). The server will not start, so that the file is not overwritten. ` +
        'Repair or move it away, or start with --memory.',
    );
    this.file = file;
  }
}

/** The snapshot in `file`, or null when there is no file yet. */
export function loadSnapshot(file: string): StoreSnapshot | null {
  if (!existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CorruptDataError(file, error instanceof Error ? error.message : String(error));
  }
  try {
    return validateSnapshot(parsed);
  } catch (error) {
    if (error instanceof SnapshotError) throw new CorruptDataError(file, error.message);
    throw error;
  }
}

export function writeSnapshotAtomically(file: string, snapshot: StoreSnapshot): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, JSON.stringify(snapshot));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

/**
 * Writes the store shortly after each change; a burst of saves becomes one write. `flush()`
 * writes at once (on shutdown).
 */
export class SnapshotWriter {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribe: () => void;
  private readonly file: string;
  private readonly store: DocumentStore;
  private readonly debounceMs: number;

  constructor(file: string, store: DocumentStore, debounceMs = 50) {
    this.file = file;
    this.store = store;
    this.debounceMs = debounceMs;
    this.unsubscribe = store.subscribe(() => this.schedule());
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    writeSnapshotAtomically(this.file, this.store.snapshot());
  }

  /** Writes what is pending and stops listening. */
  close(): void {
    this.unsubscribe();
    if (this.timer) this.flush();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        this.flush();
      } catch (error) {
        // Keep serving: the next change tries again, and shutdown flushes once more.
        console.error(`Could not write ${this.file}:`, error);
      }
    }, this.debounceMs);
  }
}
