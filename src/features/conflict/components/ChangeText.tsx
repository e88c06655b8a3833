import { memo, useState } from 'react';
import { countLines } from '../layout.ts';
import { WordDiff } from './WordDiff.tsx';

/** Changes longer than this many lines (old plus new) open on request. */
const LONG_CHANGE_LINES = 40;

interface ChangeTextProps {
  whose: 'mine' | 'theirs' | 'both';
  /** "Yours", "Theirs (Bob)", "Both". */
  label: string;
  base: string;
  text: string;
  /** Where it starts in yours. */
  line: number;
  /** Index of its hunk, for the overview ruler to find it. */
  hunk: number;
  /**
   * Set when the merge resolved a line conflict word by word here: the change is marked for the
   * user to check, with one click back to the line conflict.
   */
  onReopen?: () => void;
}

/** A change the merge took on its own, marked with whose it is. */
export const ChangeText = memo(function ChangeText({ whose, label, base, text, line, hunk, onReopen }: ChangeTextProps) {
  const [expanded, setExpanded] = useState(false);
  const added = countLines(text);
  const removed = countLines(base);
  const long = added + removed > LONG_CHANGE_LINES;
  return (
    <span className={`cd-change cd-change--${whose}`} data-hunk={hunk}>
      <span className="cd-badge">{label}</span>
      <span className="cd-line-no">line {line}</span>
      {onReopen ? (
        <span className="cd-word-merged">
          merged word by word — check{' '}
          <button type="button" className="cd-reopen" onClick={onReopen}>
            Make it a conflict again
          </button>
        </span>
      ) : null}
      {long ? (
        <button type="button" className="cd-expander" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Hide' : 'Show'} change: {added} {added === 1 ? 'line' : 'lines'} in place of {removed}
        </button>
      ) : null}
      {!long || expanded ? <WordDiff base={base} changed={text} /> : null}
    </span>
  );
});
