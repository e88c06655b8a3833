import { memo, useId, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { choiceDescription, takeLabels } from '../choices.ts';
import { countLines } from '../layout.ts';
import type { Choice, ConflictRef, TakeOption } from '../choices.ts';
import { NumberedText, plainSpans } from './NumberedText.tsx';
import { WordDiff } from './WordDiff.tsx';

/** The shortcut of each take option, announced through aria-keyshortcuts on the current conflict. */
export const takeShortcuts: Partial<Record<TakeOption, string>> = {
  mine: 'Alt+M',
  theirs: 'Alt+R',
  'mine-then-theirs': 'Alt+J',
};

interface ConflictPanelProps {
  conflict: ConflictRef;
  total: number;
  /** Where it starts in yours. */
  line: number;
  /** Where it starts in theirs and in the base, for those columns' line numbers. */
  theirsLine: number;
  baseLine: number;
  choice: Choice | undefined;
  /** The conflict the shortcuts act on. */
  isCurrent: boolean;
  showBase: boolean;
  /**
   * Whether the sides show their word-level changes. Off only for a panel the dialog opens off
   * screen, until the render right after the first: the plain text shows meanwhile.
   */
  highlight: boolean;
  theirsLabel: string;
  /** Why the buttons do nothing right now (a save in flight, a typed result), or null. */
  lockedReason: string | null;
  lockedReasonId: string;
  panelRef: (ordinal: number, element: HTMLElement | null) => void;
  onChoose: (conflict: ConflictRef, choice: Choice | null) => void;
  onEdit: (conflict: ConflictRef) => void;
  onFocusWithin: (ordinal: number) => void;
}

/** The two choices shown on every conflict; the rest wait behind "More choices". */
const COMMON: readonly TakeOption[] = ['mine', 'theirs'];
const MORE: readonly TakeOption[] = ['mine-then-theirs', 'theirs-then-mine', 'base'];

/** Beyond about this many lines a side scrolls within its panel (see .cd-side-text). */
const SCROLLING_SIDE_LINES = 10;
const SCROLLING_SIDE_CHARS = 1_000;

function Side({
  heading,
  whose,
  text,
  label,
  children,
}: {
  heading: string;
  whose: 'base' | 'mine' | 'theirs';
  text: string;
  label: string;
  children: ReactNode;
}) {
  // A side that scrolls must be reachable by keyboard to be scrolled; short ones stay out of the
  // Tab order, or fifty conflicts would add a hundred stops.
  const scrolls = text.length > SCROLLING_SIDE_CHARS || countLines(text) > SCROLLING_SIDE_LINES;
  return (
    <div className="cd-side">
      <div className={`cd-side-heading cd-side-heading--${whose}`}>{heading}</div>
      {scrolls ? (
        <pre className="cd-side-text" tabIndex={0} role="region" aria-label={label}>
          {children}
        </pre>
      ) : (
        <pre className="cd-side-text">{children}</pre>
      )}
    </div>
  );
}

function SideText({ base, text, highlight, firstLine }: { base: string; text: string; highlight: boolean; firstLine: number }) {
  const plain = useMemo(() => plainSpans(text), [text]);
  if (text === '') return <span className="cd-empty">(nothing: this side removed it)</span>;
  return highlight ? <WordDiff base={base} changed={text} firstLine={firstLine} /> : <NumberedText spans={plain} firstLine={firstLine} />;
}

/** One conflict: yours and theirs side by side (base on demand), and the ways to resolve it. */
export const ConflictPanel = memo(function ConflictPanel(props: ConflictPanelProps) {
  const { conflict, total, line, theirsLine, baseLine, choice, isCurrent, showBase, highlight, theirsLabel, lockedReason, lockedReasonId } =
    props;
  const { hunk, ordinal } = conflict;
  const id = useId();
  const headingId = `${id}-heading`;
  const editorId = `${id}-editor`;
  const moreId = `${id}-more`;
  // The menu opens by itself when the choice made is one of its own, so the chosen one shows.
  const chosenInMenu = choice?.kind === 'edit' || (choice?.kind === 'take' && MORE.includes(choice.take));
  const [moreOpen, setMoreOpen] = useState<boolean | null>(null);
  const showMore = moreOpen ?? chosenInMenu;
  const locked = lockedReason !== null;
  const number = ordinal + 1;
  const focusEditor = useRef(false);

  const take = (option: TakeOption) => {
    if (locked) return;
    const pressed = choice?.kind === 'take' && choice.take === option;
    // Pressing the chosen option again opens the conflict again.
    props.onChoose(conflict, pressed ? null : { kind: 'take', take: option });
  };

  const takeButton = (option: TakeOption) => (
    <button
      key={option}
      type="button"
      aria-pressed={choice?.kind === 'take' && choice.take === option}
      aria-disabled={locked || undefined}
      aria-describedby={locked ? lockedReasonId : undefined}
      aria-keyshortcuts={isCurrent ? takeShortcuts[option] : undefined}
      onClick={() => take(option)}
    >
      {takeLabels[option]}
    </button>
  );

  return (
    // A group, not a <section>: fifty named sections would be fifty landmarks to wade through.
    <div
      role="group"
      className={`cd-conflict${choice ? ' cd-conflict--resolved' : ''}${isCurrent ? ' cd-conflict--current' : ''}`}
      aria-labelledby={headingId}
      tabIndex={-1}
      ref={(element) => props.panelRef(ordinal, element)}
      onFocus={() => props.onFocusWithin(ordinal)}
      data-conflict={number}
    >
      <div className="cd-conflict-header">
        <h3 id={headingId} className="cd-conflict-title">
          Conflict {number} of {total}
        </h3>
        <span className="cd-line-no">line {line}</span>
        <span className="cd-conflict-status">{choiceDescription(choice)}</span>
      </div>
      <div className={`cd-sides${showBase ? ' cd-sides--three' : ''}`}>
        {showBase ? (
          <Side heading="Base" whose="base" text={hunk.base} label={`Base of conflict ${number}`}>
            {hunk.base === '' ? <span className="cd-empty">(nothing)</span> : <NumberedText spans={plainSpans(hunk.base)} firstLine={baseLine} />}
          </Side>
        ) : null}
        <Side heading="Yours" whose="mine" text={hunk.mine} label={`Yours in conflict ${number}`}>
          <SideText base={hunk.base} text={hunk.mine} highlight={highlight} firstLine={line} />
        </Side>
        <Side heading={theirsLabel} whose="theirs" text={hunk.theirs} label={`${theirsLabel} in conflict ${number}`}>
          <SideText base={hunk.base} text={hunk.theirs} highlight={highlight} firstLine={theirsLine} />
        </Side>
      </div>
      <div className="cd-takes" role="group" aria-label={`Resolve conflict ${number}`}>
        {COMMON.map(takeButton)}
        <button
          type="button"
          className="cd-more"
          aria-expanded={showMore}
          aria-controls={moreId}
          onClick={() => setMoreOpen(!showMore)}
        >
          More choices
        </button>
        <div id={moreId} className="cd-more-choices" role="group" aria-label={`More ways to resolve conflict ${number}`} hidden={!showMore}>
          {MORE.map(takeButton)}
          <button
            type="button"
            aria-pressed={choice?.kind === 'edit'}
            aria-disabled={locked || undefined}
            aria-describedby={locked ? lockedReasonId : undefined}
            aria-controls={choice?.kind === 'edit' ? editorId : undefined}
            onClick={() => {
              if (locked) return;
              focusEditor.current = true;
              props.onEdit(conflict);
            }}
          >
            Edit
          </button>
        </div>
      </div>
      {choice?.kind === 'edit' ? (
        <div className="cd-conflict-editor">
          <label htmlFor={editorId}>Result for conflict {number}</label>
          <textarea
            id={editorId}
            value={choice.text}
            readOnly={locked}
            rows={Math.min(12, Math.max(3, choice.text.split('\n').length + 1))}
            spellCheck={false}
            ref={(element) => {
              // Clicking Edit puts the caret at the end of the text; an editor restored from kept
              // work, and later renders, leave focus alone.
              if (element && focusEditor.current) {
                focusEditor.current = false;
                element.focus();
                element.setSelectionRange(element.value.length, element.value.length);
              }
            }}
            onChange={(event) => props.onChoose(conflict, { kind: 'edit', text: event.target.value })}
          />
        </div>
      ) : null}
    </div>
  );
});
