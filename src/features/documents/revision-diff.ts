/**
 * What changed between two versions, for the history view: a word diff (the merge engine's exact
 * one, so a long document diffs in full), with long unchanged stretches folded to a few lines of
 * context. Pure, so it is tested without a browser.
 */
import { wordDiff } from '../../merge/index.ts';

export type DiffPart =
  | { kind: 'insert' | 'delete' | 'equal'; text: string }
  /** Unchanged lines left out between two shown stretches. */
  | { kind: 'folded'; lines: number };

const CONTEXT_LINES = 2;
/** Folding fewer lines than this would cost more room than showing them. */
const MIN_FOLDED = 3;

/**
 * Unchanged text as what stays in view and what folds: `CONTEXT_LINES` next to a change, none
 * before the first or after the last. Cuts fall after a line break, so a partial line (the start
 * of a changed one) always stays in view.
 */
function fold(text: string, atStart: boolean, atEnd: boolean): { head: string; lines: number; tail: string } | null {
  const breaks: number[] = [];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) breaks.push(at + 1);
  // Whole lines lie between the first cut and the last: from the start (or just past the first
  // partial line's break) to the last break.
  // Unchanged text after a change starts with the rest of the changed line: context is counted
  // from the break that ends it.
  const headEnd = atStart ? 0 : breaks[CONTEXT_LINES];
  const lastBreak = breaks.length - 1;
  const tailStart = atEnd ? (text.endsWith('\n') ? text.length : breaks[lastBreak]) : breaks[lastBreak - CONTEXT_LINES];
  if (headEnd === undefined || tailStart === undefined || tailStart <= headEnd) return null;
  let lines = 0;
  for (const at of breaks) if (at > headEnd && at <= tailStart) lines++;
  if (lines < MIN_FOLDED) return null;
  return { head: text.slice(0, headEnd), lines, tail: text.slice(tailStart) };
}

export function revisionDiff(before: string, after: string): DiffPart[] {
  const spans = wordDiff(before, after);
  const parts: DiffPart[] = [];
  spans.forEach((span, i) => {
    if (span.kind !== 'equal') {
      parts.push(span);
      return;
    }
    const folded = fold(span.text, i === 0, i === spans.length - 1);
    if (!folded) {
      parts.push(span);
      return;
    }
    if (folded.head !== '') parts.push({ kind: 'equal', text: folded.head });
    parts.push({ kind: 'folded', lines: folded.lines });
    if (folded.tail !== '') parts.push({ kind: 'equal', text: folded.tail });
  });
  return parts;
}

/** "3 changes" or "No changes", for the heading above a diff. */
export function changeCount(parts: readonly DiffPart[]): string {
  let n = 0;
  let inChange = false;
  for (const part of parts) {
    const changed = part.kind === 'insert' || part.kind === 'delete';
    if (changed && !inChange) n++;
    inChange = changed;
  }
  return n === 0 ? 'No changes' : n === 1 ? '1 change' : `${n} changes`;
}
