import { InternTable } from './intern.ts';
import { mergeLines } from './line-merge.ts';
import { splitLines } from './lines.ts';
import { diffSequences } from './sequence-diff.ts';

/** What Overwrite (keeping mine) would drop of their changes since base, and what Discard would drop of mine. */
export interface LossSummary {
  changedRegions: number;
  linesAdded: number;
  linesRemoved: number;
  /**
   * The first line with words in it of up to 3 lost regions, in document order, quoted as the
   * document has it. A region that only added or removed blank lines has none (its lines are
   * counted above): an excerpt is always the document's text, never words about it.
   */
  excerpts: LossExcerpt[];
}

/** A short quote of one lost region: the text it added, or (`removed`) the text it removed. */
export interface LossExcerpt {
  text: string;
  removed: boolean;
}

const MAX_EXCERPTS = 3;
const MAX_EXCERPT_LENGTH = 80;

/** The first line of a text, trimmed and shortened without splitting a surrogate pair. */
function excerpt(text: string): string {
  const firstLine =
    text.split(/\r\n|\n|\r/).find((line) => line.trim() !== '') ??
    // Stryker disable next-line StringLiteral: never taken: quoteOf asks only about text with a line that is not blank
    '';
  const trimmed = firstLine.trim();
  const codePoints = Array.from(trimmed);
  const more = codePoints.length > MAX_EXCERPT_LENGTH || splitLines(text.trim()).length > 1;
  return codePoints.slice(0, MAX_EXCERPT_LENGTH).join('') + (more ? '…' : '');
}

const isBlank = (line: string) => line.trim() === '';

/**
 * One region's quote: the text it added, else the text it removed, else null (only blank lines
 * came or went, and a quote of blank text would be empty).
 */
function quoteOf(added: readonly string[], removed: readonly string[]): LossExcerpt | null {
  if (!added.every(isBlank)) return { text: excerpt(added.join('')), removed: false };
  if (!removed.every(isBlank)) return { text: excerpt(removed.join('')), removed: true };
  return null;
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
    const quote = summary.excerpts.length < MAX_EXCERPTS ? quoteOf(added, removed) : null;
    if (quote !== null) summary.excerpts.push(quote);
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
