import { memo, useMemo, useState } from 'react';
import { collapseStable, countLines } from '../layout.ts';
import { NumberedText, plainSpans } from './NumberedText.tsx';

/** Lines of unchanged text kept visible on each side of a change. */
const CONTEXT_LINES = 3;

interface StableTextProps {
  text: string;
  atStart: boolean;
  atEnd: boolean;
  /** The line the text starts on in yours, to name the lines folded away; absent, they go unnamed. */
  firstLine?: number;
  /** Number each shown line from `firstLine` (the text starts a line). */
  numbered?: boolean;
}

/** The text as shown: numbered line by line from `from`, or as it is. */
function Lines({ text, from }: { text: string; from: number | null }) {
  if (from === null || text === '') return text;
  return <NumberedText spans={plainSpans(text)} firstLine={from} />;
}

/** Unchanged text: a few lines of context, the rest behind a "Show N unchanged lines" button. */
export const StableText = memo(function StableText({ text, atStart, atEnd, firstLine, numbered = false }: StableTextProps) {
  const [expanded, setExpanded] = useState(false);
  const collapsed = useMemo(
    () => collapseStable(text, { context: CONTEXT_LINES, atStart, atEnd }),
    [text, atStart, atEnd],
  );
  const numberFrom = numbered && firstLine !== undefined ? firstLine : null;
  if (collapsed.hiddenLines === 0)
    return (
      <span className="cd-stable">
        <Lines text={text} from={numberFrom} />
      </span>
    );
  const { hiddenLines } = collapsed;
  const from = firstLine === undefined ? null : firstLine + countLines(collapsed.head);
  const range = from === null ? '' : hiddenLines === 1 ? ` (line ${from})` : ` (lines ${from}–${from + hiddenLines - 1})`;
  const lines = `${hiddenLines} unchanged ${hiddenLines === 1 ? 'line' : 'lines'}${range}`;
  // The button stays where it is when the lines open, so focus does not fall out of the dialog.
  return (
    <span className="cd-stable">
      <Lines text={collapsed.head} from={numberFrom} />
      <button
        type="button"
        className="cd-expander"
        aria-expanded={expanded}
        onClick={() => setExpanded(!expanded)}
      >
        {expanded ? `Hide ${lines}` : `Show ${lines}`}
      </button>
      {expanded ? <Lines text={collapsed.hidden} from={numberFrom === null ? null : from} /> : null}
      <Lines text={collapsed.tail} from={numberFrom === null || from === null ? null : from + hiddenLines} />
    </span>
  );
});
