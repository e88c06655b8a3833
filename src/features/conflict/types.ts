/**
 * The seam between the editor (which owns the draft and the save mutation) and the conflict
 * dialog (which owns the three-way view and the user's choices).
 */
import type { ChangeSince, Problem } from '../../protocol/problems.ts';
import type { Document } from '../../protocol/types.ts';

export interface ConflictInput {
  docId: string;
  /**
   * The version both sides started from: the 409 body's `base`, or the draft's own base. Version
   * null: a draft kept without its base, compared against nothing (empty title and text).
   */
  base: { title: string; content: string; version: number | null };
  /** What this tab has: the draft (or, after a further 409, the result so far). */
  mine: { title: string; content: string };
  /** What is on the server now (the 409 body's `current`). */
  theirs: Document;
  /** The next If-Match. */
  currentEtag: string;
  /** Saves since `base`, oldest first (from the 409 body). */
  changesSince: ChangeSince[];
  /** How many saves arrived while the dialog was open (a further 409); 0 at first. */
  arrivedDuringResolution: number;
}

export type Resolution =
  /** Save `mine` as it is over theirs. */
  | { kind: 'overwrite'; title: string; content: string }
  /** Save the merged result. */
  | { kind: 'merge'; title: string; content: string };

export interface ConflictDialogProps {
  conflict: ConflictInput;
  /** True while the parent's save (with If-Match: currentEtag) is in flight. */
  saving: boolean;
  /** A problem other than a conflict from the last save attempt (shown in plain words). */
  error: Problem | null;
  /** The parent saves with `If-Match: conflict.currentEtag`; a further 409 comes back as a new `conflict` prop. */
  onResolve: (resolution: Resolution) => void;
  /** Drop mine and load theirs into the editor (the parent keeps mine for undo). */
  onDiscard: () => void;
  /** Back to editing, everything kept. */
  onCancel: () => void;
  /** A version newer than `conflict.theirs` that the event stream brought while the dialog is open. */
  newer?: { version: number; updatedBy: string } | null;
  /** Compare against `newer` instead: a new `conflict` prop, choices kept where their text did not change. */
  onUpdateComparison?: () => void;
  /**
   * Offered when the last save found the document deleted (a `gone` problem): save the text as a
   * new document. Gets the merged result when no conflict is open, else mine as it is.
   */
  onSaveAsNew?: (document: { title: string; content: string }) => void;
  /**
   * Identity colours: this user's, and those of the people present (by name), so each side of the
   * dialog carries its author's colour. Without them the dialog uses its own two colours.
   */
  colours?: { mine: string; people: readonly { user: string; color: string }[] };
  /** Offered when given: show how each merge strategy merges this conflict's three texts, leaving the dialog as it is. */
  onCompareStrategies?: (texts: { base: string; mine: string; theirs: string }) => void;
}
