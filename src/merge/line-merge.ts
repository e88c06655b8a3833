import { diff3, type Region } from './diff3.ts';
import { InternTable } from './intern.ts';
import { splitLines } from './lines.ts';
import type { Hunk } from './types.ts';

/** Cuts three texts into items, merges the item sequences and turns the regions into hunks. */
export function mergeItems(
  base: readonly string[],
  mine: readonly string[],
  theirs: readonly string[],
): { hunks: Hunk[]; regions: Region[] } {
  const table = new InternTable();
  const regions = diff3(table.intern(base), table.intern(mine), table.intern(theirs));
  const join = (items: readonly string[], from: number, to: number) => items.slice(from, to).join('');
  const hunks: Hunk[] = [];
  for (const region of regions) {
    switch (region.kind) {
      case 'stable':
        hunks.push({ kind: 'stable', text: join(base, region.b0, region.b1) });
        break;
      case 'mine':
      case 'both':
        hunks.push({ kind: region.kind, base: join(base, region.b0, region.b1), text: join(mine, region.m0, region.m1) });
        break;
      case 'theirs':
        hunks.push({ kind: 'theirs', base: join(base, region.b0, region.b1), text: join(theirs, region.t0, region.t1) });
        break;
      case 'conflict':
        hunks.push({
          kind: 'conflict',
          base: join(base, region.b0, region.b1),
          mine: join(mine, region.m0, region.m1),
          theirs: join(theirs, region.t0, region.t1),
        });
        break;
    }
  }
  return { hunks, regions };
}

/** Classic line diff3, as `git merge-file --diff3` decides it. */
export function mergeLines(base: string, mine: string, theirs: string): Hunk[] {
  return mergeItems(splitLines(base), splitLines(mine), splitLines(theirs)).hunks;
}
