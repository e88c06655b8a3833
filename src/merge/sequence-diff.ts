import myersDiff from '@jest/diff-sequences';

/** One changed region of a two-way diff: `a[aStart, aEnd)` became `b[bStart, bEnd)`. */
export interface Change {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/**
 * The changes that turn `a` into `b`, as a minimal (Myers) diff with no time limit: a large
 * input is slower, never approximated. Common ends are trimmed first because most edits of a
 * document touch a small part of it.
 */
export function diffSequences(a: Int32Array, b: Int32Array): Change[] {
  let start = 0;
  const minLength = Math.min(a.length, b.length);
  while (start < minLength && a[start] === b[start]) start++;
  let aEnd = a.length;
  let bEnd = b.length;
  while (aEnd > start && bEnd > start && a[aEnd - 1] === b[bEnd - 1]) {
    aEnd--;
    bEnd--;
  }

  const changes: Change[] = [];
  let aPos = start;
  let bPos = start;
  const emitUpTo = (aNext: number, bNext: number) => {
    if (aNext > aPos || bNext > bPos) changes.push({ aStart: aPos, aEnd: aNext, bStart: bPos, bEnd: bNext });
  };
  if (aEnd > start && bEnd > start) {
    myersDiff(
      aEnd - start,
      bEnd - start,
      (i, j) => a[start + i] === b[start + j],
      (nCommon, aCommon, bCommon) => {
        emitUpTo(start + aCommon, start + bCommon);
        aPos = start + aCommon + nCommon;
        bPos = start + bCommon + nCommon;
      },
    );
  }
  emitUpTo(aEnd, bEnd);
  return changes;
}
