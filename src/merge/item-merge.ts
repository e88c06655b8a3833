import { diff3 } from './diff3.ts';
import { InternTable } from './intern.ts';
import type { Hunk } from './types.ts';

/** A text cut into items (lines or words) that concatenate to it. */
export interface Sequence {
  text: string;
  items: readonly string[];
}

/** Where each item starts in the text, plus the text's length: item runs become plain slices. */
function offsetsOf({ text, items }: Sequence): Int32Array {
  const offsets = new Int32Array(items.length + 1);
  for (let i = 0, at = 0; i < items.length; i++) {
    at += (items[i] as string).length;
    offsets[i + 1] = at;
  }
  if (offsets[items.length] !== text.length) throw new Error('items do not concatenate to the text');
  return offsets;
}

/** Merges three texts cut into items, and turns the regions into hunks. */
export function mergeItems(base: Sequence, mine: Sequence, theirs: Sequence): Hunk[] {
  const table = new InternTable();
  const baseIds = table.intern(base.items);
  const mineIds = table.internAlong(mine.items, base.items, baseIds);
  const theirsIds = table.internAlong(theirs.items, base.items, baseIds);
  const regions = diff3(baseIds, mineIds, theirsIds);
  const sliceOf = (sequence: Sequence) => {
    const offsets = offsetsOf(sequence);
    return (from: number, to: number) => sequence.text.slice(offsets[from], offsets[to]);
  };
  const baseSlice = sliceOf(base);
  const mineSlice = sliceOf(mine);
  const theirsSlice = sliceOf(theirs);
  const hunks: Hunk[] = [];
  for (const region of regions) {
    switch (region.kind) {
      case 'stable':
        hunks.push({ kind: 'stable', text: baseSlice(region.b0, region.b1) });
        break;
      case 'mine':
      case 'both':
        hunks.push({ kind: region.kind, base: baseSlice(region.b0, region.b1), text: mineSlice(region.m0, region.m1) });
        break;
      case 'theirs':
        hunks.push({ kind: 'theirs', base: baseSlice(region.b0, region.b1), text: theirsSlice(region.t0, region.t1) });
        break;
      case 'conflict':
        hunks.push({
          kind: 'conflict',
          base: baseSlice(region.b0, region.b1),
          mine: mineSlice(region.m0, region.m1),
          theirs: theirsSlice(region.t0, region.t1),
        });
        break;
    }
  }
  return hunks;
}
