import { lineEnding, splitLines } from './lines.ts';
import type { Hunk, MergeResult } from './types.ts';

type ConflictHunk = Extract<Hunk, { kind: 'conflict' }>;

/**
 * The line ending for the markers of a conflict: the one the merged text uses just before it,
 * else the first one found inside it, else `\n`. In a CRLF document the markers are CRLF too,
 * as git writes them (xmerge.c is_cr_needed), so an editor does not see mixed endings.
 */
function markerEnding(before: string, conflict: ConflictHunk): string {
  const previous = lineEnding(before);
  if (previous) return previous;
  for (const side of [conflict.mine, conflict.theirs, conflict.base]) {
    const first = splitLines(side)[0];
    const ending = first === undefined ? '' : lineEnding(first);
    if (ending) return ending;
  }
  return '\n';
}

/** A side written between markers must end its last line, or the next marker would join it. */
function terminated(text: string, eol: string): string {
  return text === '' || lineEnding(text) ? text : text + eol;
}

/** The merged text; unresolved conflicts as `git merge-file -p --diff3` writes them. */
export function toText(result: MergeResult): string {
  const parts: string[] = [];
  let last = '';
  for (const hunk of result.hunks) {
    if (hunk.kind !== 'conflict') {
      parts.push(hunk.text);
      if (hunk.text) last = hunk.text;
      continue;
    }
    const eol = markerEnding(last, hunk);
    const block =
      `<<<<<<< mine${eol}${terminated(hunk.mine, eol)}` +
      `||||||| base${eol}${terminated(hunk.base, eol)}` +
      `=======${eol}${terminated(hunk.theirs, eol)}` +
      `>>>>>>> theirs${eol}`;
    parts.push(block);
    last = block;
  }
  return parts.join('');
}
