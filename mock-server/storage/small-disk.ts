/**
 * For the full-disk tests: a 1 MiB tmpfs to put a data folder on, and a way to fill it and to
 * free it again. Mounting needs root; where it is not possible this gives null, and the tests
 * make the database full with SQLite's own page limit instead (the same SQLITE_FULL path).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempFolder } from './engines-under-test.ts';

export interface SmallDisk {
  /** A data folder on the small file system. */
  folder: string;
  /** Fills what is left of it. */
  fill(): void;
  /** Frees what fill() took. */
  free(): void;
  /** Unmounts it. */
  release(): void;
}

export function smallDisk(): SmallDisk | null {
  if (process.getuid?.() !== 0) return null;
  const mountPoint = tempFolder('conflict-lab-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const folder = join(mountPoint, 'data');
  mkdirSync(folder);
  const ballast = join(mountPoint, 'ballast');
  return {
    folder,
    fill: () => {
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${ballast}`, 'bs=4k'], { stdio: 'ignore' });
      } catch {
        // dd stops with "No space left on device": that is the point.
      }
    },
    free: () => execFileSync('rm', ['-f', ballast]),
    release: () => execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' }),
  };
}
