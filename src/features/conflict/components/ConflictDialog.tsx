import { useCallback, useDeferredValue, useId, useMemo, useRef, useState } from 'react';
import type { CSSProperties, KeyboardEvent } from 'react';
import { clockFormatter } from '../../../lib/clock.ts';
import { describeResolutionProblem } from '../../../lib/problem-text.ts';
import { lostByDiscard, lostByOverwrite } from '../../../merge/index.ts';
import type { Hunk } from '../../../merge/index.ts';
import { counterText, hasConflictMarkers, resultParts, titleLost, typedParts, wordMergeKey } from '../choices.ts';
import { highlightSpans } from '../highlights.ts';
import type { TakeOption } from '../choices.ts';
import { trapTab, useMarkOnce, useModalDialog } from '../hooks/use-modal-dialog.ts';
import { useConflictResolution } from '../hooks/use-conflict-resolution.ts';
import { NewerVersionNotice } from './NewerVersionNotice.tsx';
import {
  arrivedNote,
  changesSentence,
  discardLoss,
  overwriteLoss,
  theirAuthors,
  theirsLabel as labelForTheirs,
} from '../sentences.ts';
import type { ConflictDialogProps } from '../types.ts';
import { hunkLines } from '../layout.ts';
import { ChangeText } from './ChangeText.tsx';
import { ConflictPanel, takeShortcuts } from './ConflictPanel.tsx';
import { MergedResult } from './MergedResult.tsx';
import { OverviewRuler } from './OverviewRuler.tsx';
import { rulerMarks } from '../ruler.ts';
import type { RulerMark } from '../ruler.ts';
import { PutAsideTexts } from './PutAsideTexts.tsx';
import { StableText } from './StableText.tsx';
import '../conflict.css';

const formatTime = clockFormatter();

/**
 * Conflicts whose word-level changes the first render marks, counted from the one focus starts
 * on (and from the first): more than a screen holds. The rest, off screen, get theirs on the
 * render right after, so fifty conflicts do not hold the dialog up with a hundred word diffs.
 */
const HIGHLIGHT_FIRST = 6;

/**
 * Alt+key shortcuts, by `KeyboardEvent.code` so they work on any layout and with macOS Option.
 * Letters that open browser menus (Firefox: Alt+F/E/V/S/B/T/H; Alt+D, the address bar) are
 * avoided, hence R for theirs and J (join) for both; screen readers use Insert or Caps Lock.
 */
const shortcutKeys: Record<string, 'next' | 'previous' | TakeOption> = {
  KeyN: 'next',
  KeyP: 'previous',
  KeyM: 'mine',
  KeyR: 'theirs',
  KeyJ: 'mine-then-theirs',
};

/** For each hunk, whether it starts at the start of a line of yours. */
function startsOfLines(hunks: readonly Hunk[]): boolean[] {
  let atStart = true;
  return hunks.map((hunk) => {
    const starts = atStart;
    const mine = hunk.kind === 'conflict' ? hunk.mine : hunk.kind === 'theirs' ? hunk.base : hunk.text;
    if (mine !== '') atStart = mine.endsWith('\n');
    return starts;
  });
}

function isTextField(target: EventTarget): boolean {
  return target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement;
}

/**
 * The three-way conflict dialog: what happened since your version, each conflict side by side
 * with the ways to resolve it, the result as it will be saved, and the whole-document actions.
 */
export default function ConflictDialog(props: ConflictDialogProps) {
  const { conflict, saving, error, onResolve, onDiscard, onCancel, onSaveAsNew, colours, newer, onUpdateComparison, onCompareStrategies } = props;
  const state = useConflictResolution(conflict);
  const { merge, refs, choices, open, typedResult, current } = state;
  const refsByHunk = useMemo(() => new Map(refs.map((ref) => [ref.hunkIndex, ref])), [refs]);
  const lines = useMemo(() => hunkLines(merge.hunks), [merge]);
  // Whether each hunk starts a line (a change merged word by word may end mid-line): unchanged
  // text is numbered line by line only then.
  const lineStarts = useMemo(() => startsOfLines(merge.hunks), [merge]);

  const id = useId();
  const ids = {
    title: `${id}-title`,
    summary: `${id}-summary`,
    result: `${id}-result`,
    resultHeading: `${id}-result-heading`,
    locked: `${id}-locked`,
    merge: `${id}-merge-why`,
    overwrite: `${id}-overwrite-loss`,
    discard: `${id}-discard-loss`,
    moreActions: `${id}-more-actions`,
  };

  const dialogRef = useRef<HTMLDialogElement>(null);
  const mergeRef = useRef<HTMLButtonElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const panels = useRef(new Map<number, HTMLElement>());
  const panelRef = useCallback((ordinal: number, element: HTMLElement | null) => {
    if (element) panels.current.set(ordinal, element);
    else panels.current.delete(ordinal);
  }, []);
  const [showBase, setShowBase] = useState(false);
  // The phone layout's "More": Overwrite, Discard and Cancel, opened above the pinned bar.
  const [moreActions, setMoreActions] = useState(false);
  const moreActionsRef = useRef<HTMLButtonElement>(null);

  // Focus starts on the first open conflict (choices may have been kept from an earlier opening),
  // then on a title both sides changed, or on Merge when nothing is left to decide.
  const firstOpen = refs.find((ref) => !choices.has(ref.key));
  useModalDialog(
    dialogRef,
    () => (firstOpen && panels.current.get(firstOpen.ordinal)) ?? titleRef.current ?? mergeRef.current,
  );
  useMarkOnce('conflict-dialog-ready');

  const authors = useMemo(() => theirAuthors(conflict.changesSince, conflict.theirs), [conflict]);
  const theirsLabel = labelForTheirs(authors);
  // One author behind theirs who is present here: their colour; several, or someone gone, the
  // dialog's own colour for "theirs".
  const theirColour = authors.length === 1 ? colours?.people.find((person) => person.user === authors[0])?.color : undefined;
  const sideColours = {
    ...(colours ? { '--cd-mine': colours.mine } : {}),
    ...(theirColour ? { '--cd-theirs': theirColour } : {}),
  } as CSSProperties;
  const base = conflict.base.content;
  const mine = conflict.mine.content;
  const theirs = conflict.theirs.content;
  // The first render shows the three-way view and nothing it can do without. What Overwrite and
  // Discard lose (two more full diffs), the full result text (a long document's every line in
  // one textarea) and the word marks of conflicts off screen follow in a render React runs right
  // after, so a long document opens sooner.
  const settled = useDeferredValue(true, false);
  // Every conflict drawn, the result and the loss sentences with them (bench:ui times both marks).
  useMarkOnce(settled ? 'conflict-dialog-complete' : null);
  const highlightFrom = firstOpen?.ordinal ?? 0;
  // The first render stops a few conflicts past the one focus starts on: more than a screen
  // holds. The rest of the view follows in the render right after.
  const firstRenderEnd = refs[Math.max(HIGHLIGHT_FIRST, highlightFrom + HIGHLIGHT_FIRST)]?.hunkIndex ?? Infinity;
  const titles = { base: conflict.base.title, mine: conflict.mine.title, theirs: conflict.theirs.title };
  const overwriteNote = useMemo(
    () =>
      settled
        ? overwriteLoss(lostByOverwrite(base, mine, theirs), authors, titleLost(titles.base, titles.mine, titles.theirs))
        : null,
    [settled, base, mine, theirs, authors, titles.base, titles.mine, titles.theirs],
  );
  const discardNote = useMemo(
    () =>
      settled ? discardLoss(lostByDiscard(base, mine, theirs), titleLost(titles.base, titles.theirs, titles.mine)) : null,
    [settled, base, mine, theirs, titles.base, titles.mine, titles.theirs],
  );

  const { choicesResult } = state;
  const parts = useMemo(() => {
    if (!settled) return null;
    return typedResult === null ? resultParts(merge, refs, choices) : typedParts(choicesResult(), typedResult, highlightSpans);
  }, [settled, typedResult, merge, refs, choices, choicesResult]);

  const lockedReason = saving
    ? 'Saving…'
    : typedResult !== null
      ? 'You edited the merged result directly; reset to choices to use these buttons again.'
      : null;

  let mergeBlocked: string | null = null;
  if (saving) mergeBlocked = 'Saving…';
  else if (typedResult !== null && hasConflictMarkers(typedResult, mine, theirs))
    mergeBlocked = 'The merged result still holds conflict markers (<<<<<<< mine … >>>>>>> theirs). Remove them or reset to choices.';
  else if (typedResult === null && open > 0)
    mergeBlocked = `Resolve the ${open === 1 ? 'open conflict' : `${open} open conflicts`} first, or type the merged result yourself.`;
  else if (state.titleSide === null) mergeBlocked = 'Choose which title to keep first.';

  const goTo = (direction: 1 | -1) => {
    const target = state.step(direction);
    panels.current.get(target)?.focus();
  };
  const goToResult = () => document.getElementById(ids.resultHeading)?.focus();

  const marks = useMemo(
    () => rulerMarks(merge.hunks, refsByHunk, choices, lines.starts, theirsLabel),
    [merge, refsByHunk, choices, lines, theirsLabel],
  );
  const jump = (mark: RulerMark) => {
    const ref = refsByHunk.get(mark.hunk);
    if (ref) {
      state.setCurrent(ref.ordinal);
      panels.current.get(ref.ordinal)?.focus();
      return;
    }
    dialogRef.current?.querySelector(`[data-hunk="${mark.hunk}"]`)?.scrollIntoView({ block: 'center' });
  };

  // One callback per word-merged hunk, made once per merge, so the memoised changes keep theirs.
  const { reopenWordMerge } = state;
  const reopeners = useMemo(() => {
    const byHunk = new Map<number, () => void>();
    merge.hunks.forEach((hunk, i) => {
      const key = wordMergeKey(hunk);
      if (key !== null) byHunk.set(i, () => reopenWordMerge(key));
    });
    return byHunk;
  }, [merge, reopenWordMerge]);

  const act = (run: () => void) => () => {
    if (!saving) run();
  };
  const cancel = () => {
    state.setFinished(false);
    onCancel();
  };
  const merged = () => {
    state.setFinished(true);
    onResolve({ kind: 'merge', title: state.title, content: state.result() });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    trapTab(event);
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const action = shortcutKeys[event.code];
    // In a text field Alt (Option on macOS) types characters; leave it to the field.
    if (!action || isTextField(event.target)) return;
    event.preventDefault();
    if (action === 'next') goTo(1);
    else if (action === 'previous') goTo(-1);
    else if (lockedReason === null && current >= 0) state.choose(refs[current], { kind: 'take', take: action });
  };

  const gone = error?.type === '/problems/gone';
  const arrived = arrivedNote(conflict.arrivedDuringResolution);
  const lastHunk = merge.hunks.length - 1;

  return (
    <dialog
      ref={dialogRef}
      className="cd-dialog"
      style={sideColours}
      aria-modal="true"
      aria-labelledby={ids.title}
      aria-describedby={ids.summary}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        // Escape is Cancel; the parent decides when the dialog goes away. With the phone layout's
        // "More" open, Escape closes that first.
        event.preventDefault();
        if (moreActions && moreActionsRef.current?.checkVisibility()) {
          setMoreActions(false);
          moreActionsRef.current.focus();
        } else if (!saving) cancel();
      }}
      onClose={() => {
        // The browser may close a modal on its own (repeated Escape): treat it as Cancel. A close
        // after unmounting (the ref is null by then) is the dialog going away, not a Cancel.
        const dialog = dialogRef.current;
        if (dialog && !dialog.open) cancel();
      }}
    >
      <header className="cd-header">
        <h2 id={ids.title} className="cd-title">
          {state.total === 0 ? 'Review changes' : 'Edit conflict'}: {conflict.mine.title || conflict.theirs.title}
        </h2>
        <p id={ids.summary} className="cd-summary">
          {conflict.base.version === null
            ? 'Which version you started from is not known, so your text is compared with the latest as it is: '
            : `Since version ${conflict.base.version}, which you started from: `}
          {changesSentence(conflict.changesSince, conflict.theirs, formatTime)}
        </p>
        {onCompareStrategies ? (
          <p className="cd-summary cd-compare">
            <button type="button" className="button-quiet" aria-describedby={`${id}-compare`} onClick={() => onCompareStrategies({ base, mine, theirs })}>
              Compare strategies
            </button>{' '}
            <span id={`${id}-compare`}>every merge strategy on these texts, in a new tab</span>
          </p>
        ) : null}
        {arrived ? (
          <p className="cd-arrived" role="status">
            {arrived} while you were resolving. Your choices are kept where their text did not change.
            {state.putAside.length > 0 ? ' Text you typed for a conflict that changed is kept below the merged result.' : ''}
          </p>
        ) : null}
        {newer && onUpdateComparison && !saving ? <NewerVersionNotice newer={newer} onUpdate={onUpdateComparison} /> : null}
        {error ? (
          <div className="cd-error" role="alert">
            <p>{describeResolutionProblem(error)}</p>
            {gone && onSaveAsNew ? (
              <button
                type="button"
                aria-disabled={saving || undefined}
                onClick={act(() =>
                  onSaveAsNew(
                    open === 0 || typedResult !== null
                      ? { title: state.title, content: state.result() }
                      : { title: conflict.mine.title, content: mine },
                  ),
                )}
              >
                Save as a new document
              </button>
            ) : null}
          </div>
        ) : null}
      </header>

      <div className="cd-main">
        <div className="cd-body">
          {titles.mine !== titles.theirs ? (
            <fieldset className={`cd-title-choice${state.titleSide === null ? ' cd-title-choice--open' : ''}`}>
              <legend>
                {state.titleNeedsChoice
                  ? `Title conflict: both sides changed it${state.titleSide === null ? '; choose one' : ''}`
                  : 'Title'}
              </legend>
              {(['mine', 'theirs'] as const).map((side) => (
                <label key={side}>
                  <input
                    ref={side === 'mine' && state.titleSide === null ? titleRef : undefined}
                    type="radio"
                    name={`${id}-title-side`}
                    checked={state.titleSide === side}
                    onChange={() => state.setTitleSide(side)}
                  />{' '}
                  {side === 'mine' ? 'Yours' : theirsLabel}: “{side === 'mine' ? conflict.mine.title : conflict.theirs.title}”
                </label>
              ))}
            </fieldset>
          ) : null}

          <div className="cd-toolbar">
            <p className="cd-counter" role="status">
              {counterText(open, state.total)}
            </p>
            {refs.length > 0 ? (
              <div className="cd-nav">
                <button type="button" aria-keyshortcuts="Alt+P" onClick={() => goTo(-1)}>
                  Previous conflict
                </button>
                <button type="button" aria-keyshortcuts="Alt+N" onClick={() => goTo(1)}>
                  Next conflict
                </button>
                <button type="button" aria-pressed={showBase} onClick={() => setShowBase(!showBase)}>
                  Show base
                </button>
                <button type="button" onClick={goToResult}>
                  Go to merged result
                </button>
              </div>
            ) : (
              <div className="cd-nav">
                <button type="button" onClick={goToResult}>
                  Go to merged result
                </button>
              </div>
            )}
            {refs.length > 0 ? (
              <p className="cd-shortcuts">
                Keys: <kbd>Alt+N</kbd> next, <kbd>Alt+P</kbd> previous conflict; on the current one{' '}
                <kbd>{takeShortcuts.mine}</kbd> take mine, <kbd>{takeShortcuts.theirs}</kbd> take theirs,{' '}
                <kbd>{takeShortcuts['mine-then-theirs']}</kbd> take both (mine first).
              </p>
            ) : null}
          </div>

          <div className="cd-merge-view" role="region" aria-label="Three-way merge: yours, theirs and the base">
            {merge.hunks.map((hunk, i) => {
              if (!settled && i >= firstRenderEnd) return null;
              if (hunk.kind === 'stable')
                return (
                <StableText
                  key={i}
                  text={hunk.text}
                  atStart={i === 0}
                  atEnd={i === lastHunk}
                  firstLine={lines.starts[i]}
                  numbered={lineStarts[i] ?? false}
                />
              );
              if (hunk.kind !== 'conflict') {
                const label = hunk.kind === 'mine' ? 'Yours' : hunk.kind === 'theirs' ? theirsLabel : 'Both';
                return (
                  <ChangeText
                    key={i}
                    whose={hunk.kind}
                    label={label}
                    base={hunk.base}
                    text={hunk.text}
                    line={lines.starts[i]}
                    hunk={i}
                    onReopen={reopeners.get(i)}
                  />
                );
              }
              const ref = refsByHunk.get(i);
              if (!ref) return null;
              return (
                <ConflictPanel
                  key={ref.key}
                  conflict={ref}
                  total={refs.length}
                  line={lines.starts[i]}
                  theirsLine={lines.theirs[i]}
                  baseLine={lines.base[i]}
                  choice={choices.get(ref.key)}
                  isCurrent={ref.ordinal === current}
                  showBase={showBase}
                  highlight={
                    settled ||
                    ref.ordinal < HIGHLIGHT_FIRST ||
                    (ref.ordinal >= highlightFrom && ref.ordinal < highlightFrom + HIGHLIGHT_FIRST)
                  }
                  theirsLabel={theirsLabel}
                  lockedReason={lockedReason}
                  lockedReasonId={ids.locked}
                  panelRef={panelRef}
                  onChoose={state.choose}
                  onEdit={state.edit}
                  onFocusWithin={state.setCurrent}
                />
              );
            })}
          </div>
          <p id={ids.locked} className="cd-visually-hidden">
            {lockedReason ?? ''}
          </p>

          <MergedResult
            headingId={ids.resultHeading}
            textId={ids.result}
            settled={settled}
            parts={parts}
            theirsLabel={theirsLabel}
            open={open - (state.titleSide === null ? 1 : 0)}
            saving={saving}
            typedResult={typedResult}
            setAsideResult={state.setAsideResult}
            text={state.result}
            onType={state.typeResult}
            onReset={state.resetToChoices}
            onRestore={state.restoreTypedResult}
          />

          {state.putAside.length > 0 ? (
            <PutAsideTexts
              texts={state.putAside}
              onDismiss={state.dismissPutAside}
              focusAfterLast={() => (document.getElementById(ids.result) ?? document.getElementById(ids.resultHeading))?.focus()}
            />
          ) : null}
        </div>

        <OverviewRuler marks={marks} totalLines={lines.total} onJump={jump} />
      </div>

      <footer className="cd-actions" data-pinned-bottom="">
        <div className="cd-action cd-action--merge">
          <button
            ref={mergeRef}
            type="button"
            className="cd-primary"
            aria-disabled={mergeBlocked !== null || undefined}
            aria-describedby={ids.merge}
            onClick={() => {
              if (mergeBlocked === null) merged();
            }}
          >
            Merge
          </button>
          <p id={ids.merge} className="cd-help">
            {mergeBlocked ?? `Saves the merged result as a new version after version ${conflict.theirs.version}.`}
          </p>
        </div>
        {/* On a phone the bar holds Merge and this; the other actions open above it. Elsewhere
            the button is not shown and the actions sit beside Merge. */}
        <button
          ref={moreActionsRef}
          type="button"
          className="cd-more-actions"
          aria-label="More actions"
          aria-expanded={moreActions}
          aria-controls={ids.moreActions}
          onClick={() => setMoreActions(!moreActions)}
        >
          More
        </button>
        <div id={ids.moreActions} className={`cd-other-actions${moreActions ? ' cd-other-actions--open' : ''}`}>
          <LosingAction
            name="Overwrite"
            helpId={ids.overwrite}
            does="Saves yours as it is."
            loss={overwriteNote}
            saving={saving}
            onClick={act(() => {
              state.setFinished(true);
              onResolve({ kind: 'overwrite', title: conflict.mine.title, content: mine });
            })}
          />
          <LosingAction
            name="Discard"
            helpId={ids.discard}
            does="Loads theirs into the editor."
            loss={discardNote}
            saving={saving}
            onClick={act(() => {
              state.setFinished(true);
              onDiscard();
            })}
          />
          <div className="cd-action cd-action--cancel">
            <button type="button" aria-disabled={saving || undefined} onClick={act(cancel)}>
              Cancel
            </button>
            <p className="cd-help cd-saving" role="status">
              {saving ? 'Saving…' : ''}
            </p>
          </div>
        </div>
      </footer>
    </dialog>
  );
}

/**
 * Overwrite or Discard: a whole-document action that drops one side's changes, with what it does
 * and, once worked out, what it would drop (`loss`) under its button.
 */
interface LosingActionProps {
  name: 'Overwrite' | 'Discard';
  /** The id of the help under the button, which describes it. */
  helpId: string;
  does: string;
  /** What it would drop, in a sentence; null while that is being worked out. */
  loss: string | null;
  saving: boolean;
  onClick: () => void;
}

function LosingAction({ name, helpId, does, loss, saving, onClick }: LosingActionProps) {
  return (
    <div className="cd-action">
      <button type="button" aria-disabled={saving || undefined} aria-describedby={helpId} onClick={onClick}>
        {name}
      </button>
      <p id={helpId} className="cd-help">
        {does} {loss ?? 'Working out what it would drop…'}
      </p>
    </div>
  );
}
