import { InternTable } from './intern.ts';
import { mergeLines } from './line-merge.ts';
import { splitLines } from './lines.ts';
import { diffSequences } from './sequence-diff.ts';

/** What Overwrite (keeping mine) would drop of their changes since base, and what Discard would drop of mine. */
export interface LossSummary {
  changedRegions: number;
  linesAdded: number;
  linesRemoved: number;
  /** Short human-readable snippets of the lost text, at most 3. */
  excerpts: string[];
}

const MAX_EXCERPTS = 3;
const MAX_EXCERPT_LENGTH = 80;

/** The first line of a text, trimmed and shortened without splitting a surrogate pair. */
function excerpt(text: string): string {
  const firstLine =
    text.split(/\r\n|\n|\r/).find((line) => line.trim() !== '') ??
    // Stryker disable next-line StringLiteral: never taken: describeChange asks only about text with a line that is not blank
    '';
  const trimmed = firstLine.trim();
  const codePoints = Array.from(trimmed);
  const more = codePoints.length > MAX_EXCERPT_LENGTH || splitLines(text.trim()).length > 1;
  return codePoints.slice(0, MAX_EXCERPT_LENGTH).join('') + (more ? '…' : '');
}

const isBlank = (line: string) => line.trim() === '';

function blankLines(n: number, verb: string): string {
  return `${verb} ${n === 1 ? 'a blank line' : `${n} blank lines`}`;
}

/**
 * One region's change in a few words: the text it added, else the text it removed, else (only
 * blank lines came or went) how many: an excerpt of blank text would be empty.
 */
function describeChange(added: readonly string[], removed: readonly string[]): string {
  if (!added.every(isBlank)) return excerpt(added.join(''));
  if (!removed.every(isBlank)) return `removed: ${excerpt(removed.join(''))}`;
  const parts: string[] = [];
  if (removed.length > 0) parts.push(blankLines(removed.length, 'removed'));
  if (added.length > 0) parts.push(blankLines(added.length, 'added'));
  return parts.join(', ');
}

/**
 * The changes `lost` made since base that keeping `kept` as it is would drop: every region
 * where only `lost` changed, or both changed differently (a conflict). A change both made
 * identically is not lost.
 */
function lostChanges(base: string, kept: string, lost: string): LossSummary {
  const summary: LossSummary = { changedRegions: 0, linesAdded: 0, linesRemoved: 0, excerpts: [] };
  for (const hunk of mergeLines(base, kept, lost)) {
    let before: string;
    let after: string;
    if (hunk.kind === 'theirs') {
      before = hunk.base;
      after = hunk.text;
    } else if (hunk.kind === 'conflict') {
      before = hunk.base;
      after = hunk.theirs;
    } else {
      continue;
    }
    summary.changedRegions++;
    const beforeLines = splitLines(before);
    const afterLines = splitLines(after);
    const table = new InternTable();
    const added: string[] = [];
    const removed: string[] = [];
    for (const change of diffSequences(table.intern(beforeLines), table.intern(afterLines))) {
      removed.push(...beforeLines.slice(change.aStart, change.aEnd));
      added.push(...afterLines.slice(change.bStart, change.bEnd));
    }
    summary.linesAdded += added.length;
    summary.linesRemoved += removed.length;
    if (summary.excerpts.length < MAX_EXCERPTS) summary.excerpts.push(describeChange(added, removed));
  }
  return summary;
}

/** Their changes since base that saving `mine` as it is would drop. */
export function lostByOverwrite(base: string, mine: string, theirs: string): LossSummary {
  return lostChanges(base, mine, theirs);
}

/** My changes since base that loading `theirs` would drop. */
export function lostByDiscard(base: string, mine: string, theirs: string): LossSummary {
  return lostChanges(base, theirs, mine);
}
