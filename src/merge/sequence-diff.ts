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
 * document touch a small part of it. Insertions and deletions that could sit in several places
 * are moved as far down as they go (see slideDown).
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
  return slideDown(a, b, changes);
}

/**
 * Moves each pure insertion or deletion down past the items it repeats, as git does
 * (xdl_change_compact): inserting "b a" into "a b a" is reported after the last "a", so an
 * edit on the line (or word) before it is not mistaken for a touching one. A change that slides
 * into the next one joins it.
 */
function slideDown(a: Int32Array, b: Int32Array, changes: Change[]): Change[] {
  const out: Change[] = [];
  for (let k = 0; k < changes.length; k++) {
    const change = { ...(changes[k] as Change) };
    const next = changes[k + 1];
    const insertion = change.aStart === change.aEnd;
    const deletion = change.bStart === change.bEnd;
    if (insertion !== deletion) {
      const seq = insertion ? b : a;
      let common = (next ? next.aStart : a.length) - change.aEnd;
      while (common > 0) {
        const [start, end] = insertion ? [change.bStart, change.bEnd] : [change.aStart, change.aEnd];
        if (seq[start] !== seq[end]) break;
        change.aStart += deletion ? 1 : 0;
        change.bStart += insertion ? 1 : 0;
        change.aEnd++;
        change.bEnd++;
        if (insertion) change.aStart = change.aEnd;
        else change.bStart = change.bEnd;
        common--;
      }
      if (common === 0 && next) {
        out.push({ aStart: change.aStart, aEnd: next.aEnd, bStart: change.bStart, bEnd: next.bEnd });
        k++;
        continue;
      }
    }
    out.push(change);
  }
  return out;
}
