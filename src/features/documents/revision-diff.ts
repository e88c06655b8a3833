/**
 * What changed between two versions, for the history view: a word diff (the merge engine's exact
 * one, so a long document diffs in full), with long unchanged stretches folded to a few lines of
 * context. Pure, so it is tested without a browser.
 */
import { wordDiff } from '../../merge/index.ts';
import { collapseStable } from '../conflict/layout.ts';

export type DiffPart =
  | { kind: 'insert' | 'delete' | 'equal'; text: string }
  /** Unchanged lines left out between two shown stretches. */
  | { kind: 'folded'; lines: number };

const CONTEXT_LINES = 2;

export function revisionDiff(before: string, after: string): DiffPart[] {
  const spans = wordDiff(before, after);
  const parts: DiffPart[] = [];
  spans.forEach((span, i) => {
    if (span.kind !== 'equal') {
      parts.push(span);
      return;
    }
    const folded = collapseStable(span.text, { context: CONTEXT_LINES, atStart: i === 0, atEnd: i === spans.length - 1 });
    if (folded.hiddenLines === 0) {
      parts.push(span);
      return;
    }
    if (folded.head !== '') parts.push({ kind: 'equal', text: folded.head });
    parts.push({ kind: 'folded', lines: folded.hiddenLines });
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
