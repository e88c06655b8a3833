import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MergeResult } from '../../../merge/index.ts';
import {
  conflictRefs,
  droppedEdits,
  keptFor,
  mergeTitle,
  nextConflict,
  openCount,
  resolveConflict,
  resultText,
  reopenWordMerges,
} from '../choices.ts';
import type { Choice, ConflictRef, Side } from '../choices.ts';
import {
  forgetResolution,
  inputsSignature,
  loadResolution,
  saveResolution,
  sessionStore,
} from '../saved-resolution.ts';
import type { SavedResolution } from '../saved-resolution.ts';
import { cachedMerge } from '../merge-cache.ts';
import type { ConflictInput } from '../types.ts';

export interface ConflictResolution {
  merge: MergeResult;
  refs: ConflictRef[];
  choices: ReadonlyMap<string, Choice>;
  /** Open conflicts, the title's among them while it waits for a pick. */
  open: number;
  /** Every conflict: the text's, plus the title's when both sides changed it differently. */
  total: number;
  /**
   * What Merge saves: the result of the choices, or what the user typed into it. A function, as
   * joining a long document back together is worth doing only when the text is needed.
   */
  result: () => string;
  /** The result the choices make, with diff3 markers for open conflicts, typed or not. */
  choicesResult: () => string;
  /** The text the user typed into the result, or null while the result follows the choices. */
  typedResult: string | null;
  /** A typed result put aside by "Reset to choices", so the reset can be undone. */
  setAsideResult: string | null;
  /**
   * Text the user typed for conflicts that a further save changed (so their choice could not be
   * kept): in neither mine nor the result, it waits here until the user dismisses it.
   */
  putAside: readonly string[];
  dismissPutAside: (text: string) => void;
  current: number;
  /** The side whose title is taken; null while a title both sides changed waits for a pick. */
  titleSide: Side | null;
  titleNeedsChoice: boolean;
  /** The title Merge saves (mine while the pick is open; Merge is blocked then). */
  title: string;
  choose: (ref: ConflictRef, choice: Choice | null) => void;
  /** Opens the hand edit of a conflict, with the text last typed there or its current resolution. */
  edit: (ref: ConflictRef) => void;
  typeResult: (text: string) => void;
  resetToChoices: () => void;
  restoreTypedResult: () => void;
  setCurrent: (ordinal: number) => void;
  /** Moves to the next open conflict (1) or the one before (-1) and returns its ordinal (see `nextConflict`). */
  step: (direction: 1 | -1) => number;
  setTitleSide: (side: Side) => void;
  /** Sends a hunk merged word by word back to its line conflict (by `wordMergeKey`). */
  reopenWordMerge: (key: string) => void;
  /**
   * Whether the kept work goes when the dialog closes: true once the user picks Merge, Overwrite
   * or Discard (the work is done), false again on Cancel (the user comes back to it).
   */
  setFinished: (finished: boolean) => void;
}

/**
 * The dialog's state: the merge of the three versions (recomputed only when their text changes),
 * the user's choices, and a result they may have typed themselves. A new `conflict` (a further
 * save came in) keeps every choice whose conflict text is unchanged and every word typed: text
 * typed for a conflict that changed is put aside for the user to copy.
 */
export function useConflictResolution(conflict: ConflictInput): ConflictResolution {
  const baseText = conflict.base.content;
  const mineText = conflict.mine.content;
  const theirsText = conflict.theirs.content;
  // Usually prepared in idle time, when the live stream brought the newer version (merge-cache.ts).
  const computed = useMemo(() => cachedMerge(baseText, mineText, theirsText), [baseText, mineText, theirsText]);
  // Word-by-word merges the user sent back to their line conflicts, by their three texts, so a
  // further save that leaves them alone keeps them open.
  const [reopened, setReopened] = useState<ReadonlySet<string>>(() => new Set());
  const merge = useMemo(() => reopenWordMerges(computed, reopened), [computed, reopened]);
  const reopenWordMerge = useCallback((key: string) => setReopened((prev) => new Set(prev).add(key)), []);
  const refs = useMemo(() => conflictRefs(merge), [merge]);

  const docId = conflict.docId;
  // Work kept from an earlier opening (before a Cancel or a reload). Choices apply wherever their
  // conflict text still matches; a typed result applies as it is only to the very same merge, and
  // is otherwise offered back through "Restore your edited result".
  const [saved] = useState<SavedResolution | null>(() => {
    const store = sessionStore();
    return store ? loadResolution(store, docId) : null;
  });
  const savedTypedApplies =
    saved?.typedResult != null && saved.inputs === inputsSignature(baseText, mineText, theirsText);
  // The choices, and text typed into a conflict's own editor that is kept when the user tries a
  // "Take" button instead: one state, so a choice and the draft it leaves behind change together.
  const [work, setWork] = useState<{ choices: ReadonlyMap<string, Choice>; drafts: ReadonlyMap<string, string> }>(
    () => ({ choices: saved?.choices ?? new Map(), drafts: new Map() }),
  );
  const { choices, drafts } = work;
  const [putAside, setPutAside] = useState<readonly string[]>(() => saved?.putAside ?? []);
  const [typedResult, setTypedResult] = useState<string | null>(() => (savedTypedApplies ? (saved?.typedResult ?? null) : null));
  const [setAsideResult, setSetAsideResult] = useState<string | null>(() =>
    savedTypedApplies ? null : (saved?.typedResult ?? null),
  );
  const [currentRaw, setCurrentRaw] = useState(0);
  const [titlePick, setTitlePick] = useState<Side | null>(null);

  // A new merge (a further save arrived): adjust state while rendering, as React recommends for
  // state that follows props, instead of an effect that would first paint the stale state.
  const [seen, setSeen] = useState({ merge, refs });
  if (seen.merge !== merge) {
    setSeen({ merge, refs });
    // What was typed for a conflict whose region changed is put aside, not dropped with its choice.
    const dropped = droppedEdits({ merge: seen.merge, refs: seen.refs, choices, drafts }, { refs, mine: mineText }, putAside);
    if (dropped.length > 0) setPutAside([...putAside, ...dropped]);
    setWork({ choices: keptFor(choices, refs), drafts: keptFor(drafts, refs) });
    // The typed result was saved and came back as "mine": it lives on in the new merge.
    if (typedResult !== null && typedResult === mineText) setTypedResult(null);
  }

  // Keep the work on every change, but not on opening: nothing changed yet, and a long document
  // should not pay for hashing its text before it shows.
  const opened = useRef(false);
  useEffect(() => {
    if (!opened.current) {
      opened.current = true;
      return;
    }
    const store = sessionStore();
    if (!store) return;
    saveResolution(store, docId, {
      choices: new Map(choices),
      typedResult: typedResult ?? setAsideResult,
      // A result put aside stays aside next time: its signature never matches a merge.
      inputs: typedResult !== null ? inputsSignature(baseText, mineText, theirsText) : 'set aside',
      putAside: [...putAside],
    });
  }, [docId, choices, typedResult, setAsideResult, putAside, baseText, mineText, theirsText]);

  // Forgotten only when the dialog closes after a whole-document action: if that save fails and
  // the user cancels instead, the work is still there.
  const finished = useRef(false);
  useEffect(
    () => () => {
      const store = sessionStore();
      if (finished.current && store) forgetResolution(store, docId);
    },
    [docId],
  );

  const current = refs.length === 0 ? -1 : Math.min(Math.max(currentRaw, 0), refs.length - 1);
  // The whole document with every choice applied: the dialog shows it only on its second render,
  // so it is worked out when first asked for (once per set of choices), not on opening.
  const fromChoices = useMemo(() => {
    let text: string | null = null;
    return () => {
      text ??= resultText(merge, refs, choices);
      return text;
    };
  }, [merge, refs, choices]);
  const titles = mergeTitle(conflict.base.title, conflict.mine.title, conflict.theirs.title);
  const titleSide = titlePick ?? titles.side;

  const choose = useCallback((ref: ConflictRef, choice: Choice | null) => {
    setWork((prev) => {
      const next = new Map(prev.choices);
      const before = prev.choices.get(ref.key);
      const drafts = before?.kind === 'edit' ? new Map(prev.drafts).set(ref.key, before.text) : prev.drafts;
      if (choice === null) next.delete(ref.key);
      else next.set(ref.key, choice);
      return { choices: next, drafts };
    });
    setCurrentRaw(ref.ordinal);
  }, []);

  const edit = useCallback((ref: ConflictRef) => {
    setWork((prev) => {
      const before = prev.choices.get(ref.key);
      if (before?.kind === 'edit') return prev;
      const text = prev.drafts.get(ref.key) ?? (before ? resolveConflict(ref, before) : ref.hunk.mine);
      return { choices: new Map(prev.choices).set(ref.key, { kind: 'edit', text }), drafts: prev.drafts };
    });
    setCurrentRaw(ref.ordinal);
  }, []);

  const dismissPutAside = useCallback((text: string) => {
    setPutAside((prev) => prev.filter((kept) => kept !== text));
  }, []);

  const step = (direction: 1 | -1) => {
    const target = nextConflict(refs, choices, current, direction);
    if (target >= 0) setCurrentRaw(target);
    return target;
  };

  return {
    merge,
    refs,
    choices,
    open: openCount(refs, choices) + (titleSide === null ? 1 : 0),
    total: refs.length + (titles.needsChoice ? 1 : 0),
    result: typedResult === null ? fromChoices : () => typedResult,
    choicesResult: fromChoices,
    typedResult,
    setAsideResult,
    putAside,
    dismissPutAside,
    current,
    titleSide,
    titleNeedsChoice: titles.needsChoice,
    title: titleSide === 'theirs' ? conflict.theirs.title : conflict.mine.title,
    choose,
    edit,
    typeResult: (text) => {
      setTypedResult(text);
      setSetAsideResult(null);
    },
    resetToChoices: () => {
      setSetAsideResult(typedResult);
      setTypedResult(null);
    },
    restoreTypedResult: () => {
      if (setAsideResult === null) return;
      setTypedResult(setAsideResult);
      setSetAsideResult(null);
    },
    setCurrent: setCurrentRaw,
    step,
    setTitleSide: setTitlePick,
    reopenWordMerge,
    setFinished: (value) => {
      finished.current = value;
    },
  };
}
