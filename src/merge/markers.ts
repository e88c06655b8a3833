import { lineEnding } from './lines.ts';
import type { Hunk, MergeResult } from './types.ts';

type Ending = '' | '\n' | '\r\n' | '\r';

/**
 * The line ending of a conflict's markers, decided as git does (xmerge.c is_cr_needed): from
 * the line before the conflict in mine and in theirs (or their first line) and the first line
 * of base. Any of the first two ending in LF decides LF; otherwise base's first line gives
 * CRLF (or, for old Mac text, CR); when nothing tells, LF.
 */
function markerEnding(mineBefore: Ending, theirsBefore: Ending, baseFirst: Ending): string {
  if (mineBefore === '\n' || theirsBefore === '\n') return '\n';
  return baseFirst === '\r\n' || baseFirst === '\r' ? baseFirst : '\n';
}

interface Sides {
  mine: string;
  theirs: string;
  base: string;
}

/** Each hunk's text as mine and as theirs had it (a word-merged hunk counts as both). */
function sides(hunk: Hunk): Sides {
  switch (hunk.kind) {
    case 'stable':
      return { mine: hunk.text, theirs: hunk.text, base: hunk.text };
    case 'mine':
      return { mine: hunk.text, theirs: hunk.base, base: hunk.base };
    case 'theirs':
      return { mine: hunk.base, theirs: hunk.text, base: hunk.base };
    case 'both':
      return { mine: hunk.text, theirs: hunk.text, base: hunk.base };
    case 'conflict':
      return { mine: hunk.mine, theirs: hunk.theirs, base: hunk.base };
  }
}

/** The first line of the side from hunk `from` on: what git looks at for a conflict at the start. */
function firstLineEnding(all: readonly Sides[], from: number, side: keyof Sides): Ending {
  for (let i = from; i < all.length; i++) {
    const text = (all[i] as Sides)[side];
    // Hunks hold whole lines, so the first line of the side is inside this one, and it ends
    // with the text's first terminator (CRLF before a lone CR), if any.
    // Stryker disable next-line StringLiteral: markerEnding reads an ending only as LF, CRLF or CR, and '' (none) reads as any other string would
    if (text) return (/\r\n|\r|\n/.exec(text)?.[0] ?? '') as Ending;
  }
  // Stryker disable next-line StringLiteral: as above, '' reads as any other string would
  return '';
}

/** A side written between markers must end its last line, or the next marker would join it. */
function terminated(text: string, eol: string): string {
  return text === '' || lineEnding(text) ? text : text + eol;
}

/** The merged text; unresolved conflicts as `git merge-file -p --diff3` writes them. */
export function toText(result: MergeResult): string {
  const all = result.hunks.map(sides);
  const baseFirst = firstLineEnding(all, 0, 'base');
  const parts: string[] = [];
  // What git's is_eol_crlf reads before a conflict: the ending of the line before it, which is
  // the end of the last text the side had before it, since hunks hold whole lines. (git looks
  // one line further up when that line has no ending; only the document's last line lacks one,
  // and it is never before a conflict.)
  let mineBefore = '';
  let theirsBefore = '';
  result.hunks.forEach((hunk, i) => {
    const side = all[i] as Sides;
    if (hunk.kind !== 'conflict') {
      parts.push(hunk.text);
    } else {
      const eol = markerEnding(
        mineBefore ? lineEnding(mineBefore) : firstLineEnding(all, i, 'mine'),
        theirsBefore ? lineEnding(theirsBefore) : firstLineEnding(all, i, 'theirs'),
        baseFirst,
      );
      parts.push(
        `<<<<<<< mine${eol}${terminated(hunk.mine, eol)}` +
          `||||||| base${eol}${terminated(hunk.base, eol)}` +
          `=======${eol}${terminated(hunk.theirs, eol)}` +
          `>>>>>>> theirs${eol}`,
      );
    }
    // The hunk before a conflict is always stable (a change next to a conflict is part of it),
    // so a side's empty text is never what is left here when a conflict comes.
    mineBefore = side.mine;
    theirsBefore = side.theirs;
  });
  return parts.join('');
}
