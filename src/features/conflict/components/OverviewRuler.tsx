import { memo } from 'react';
import type { RulerMark } from '../ruler.ts';

interface OverviewRulerProps {
  marks: readonly RulerMark[];
  /** Lines in yours: the ruler's full height. */
  totalLines: number;
  onJump: (mark: RulerMark) => void;
}

/**
 * The whole document in one strip beside the view: a mark for every conflict (red while open,
 * green once resolved) and every change merged on its own (in its side's colour), placed by line.
 * A click jumps there. It is a pointer's shortcut, hidden from assistive technology: the keyboard
 * has Previous and Next conflict, and the view itself lists every change in order.
 */
export const OverviewRuler = memo(function OverviewRuler({ marks, totalLines, onJump }: OverviewRulerProps) {
  if (marks.length === 0) return null;
  return (
    <div className="cd-ruler" aria-hidden="true" data-testid="overview-ruler">
      {marks.map((mark) => (
        <span
          key={mark.hunk}
          className={`cd-mark cd-mark--${mark.kind}`}
          style={{ top: `${(100 * (mark.line - 1)) / Math.max(1, totalLines)}%` }}
          title={mark.label}
          data-line={mark.line}
          onClick={() => onJump(mark)}
        />
      ))}
    </div>
  );
});
