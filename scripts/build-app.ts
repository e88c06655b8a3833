/**
 * A production build for the scripts that measure or picture the app (`bench:ui`, `screenshots`),
 * into a temporary folder of its own: a build running alongside (the e2e suite's, a developer's)
 * writes dist/ and could otherwise swap chunks under the running script.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the app and returns the folder it went to; the caller removes it when done. */
export function buildApp(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'conflict-lab-build-'));
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('vite build failed');
  return outDir;
}
