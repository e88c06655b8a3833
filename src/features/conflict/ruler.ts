/**
 * The overview ruler's marks: one per conflict (open or resolved) and per change merged on its
 * own, at the line it starts on in yours. Pure, so it is tested without a browser.
 */
import type { Hunk } from '../../merge/index.ts';
import type { Choices, ConflictRef } from './choices.ts';

export interface RulerMark {
  /** Index of the hunk the mark stands for. */
  hunk: number;
  kind: 'conflict' | 'resolved' | 'mine' | 'theirs' | 'both';
  /** Line in yours where it starts (1-based). */
  line: number;
  /** "Conflict 3, line 120" or "Theirs (Bob), line 80": the mark's tooltip. */
  label: string;
}

export function rulerMarks(
  hunks: readonly Hunk[],
  refsByHunk: ReadonlyMap<number, ConflictRef>,
  choices: Choices,
  starts: readonly number[],
  theirsLabel: string,
): RulerMark[] {
  const marks: RulerMark[] = [];
  hunks.forEach((hunk, i) => {
    if (hunk.kind === 'stable') return;
    const line = starts[i];
    if (hunk.kind === 'conflict') {
      const ref = refsByHunk.get(i);
      if (!ref) return;
      const kind = choices.has(ref.key) ? 'resolved' : 'conflict';
      marks.push({ hunk: i, kind, line, label: `Conflict ${ref.ordinal + 1}, line ${line}` });
    } else {
      const label = hunk.kind === 'mine' ? 'Yours' : hunk.kind === 'theirs' ? theirsLabel : 'Both';
      marks.push({ hunk: i, kind: hunk.kind, line, label: `${label}, line ${line}` });
    }
  });
  return marks;
}
