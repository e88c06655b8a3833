/**
 * The save and conflict lifecycle of one document, as a reducer: named states, named events, and
 * nothing else. Pure (no React, no HTTP), so every transition is tested on its own; the hook
 * `use-save-flow.ts` sends the requests and turns their answers into these events.
 *
 *   editing, saved, failed ──save──▶ saving ──200──▶ saved
 *                                       ├─409/412──▶ conflict (the dialog opens)
 *                                       ├─no answer, 5xx──▶ offline-waiting ──the same attempt again──▶ …
 *                                       ├─410──▶ gone (saving the text as a new document is the one Save left)
 *                                       └─any other problem──▶ failed
 *   editing, saved, failed ──review──▶ reviewing ──a newer version──▶ conflict
 *   conflict ──resolve──▶ resolving ──200──▶ saved
 *                                   ├─409/412 again──▶ conflict (what was just merged is mine)
 *                                   ├─410──▶ gone, the dialog still open and saying so
 *                                   └─any other problem──▶ conflict, the dialog saying what went wrong
 *   conflict ──update-comparison (a newer version came on the stream)──▶ conflict, against the newer version
 *   conflict ──cancel, discard──▶ editing
 *
 * The draft (what the user typed, and its base) is not in here: it lives in localStorage and is
 * only cleared or rebased by the hook when the server has confirmed a save.
 */
import type { EditConflictProblem, Problem } from '../../protocol/problems.ts';
import type { SavedOutcome } from '../../protocol/stats.ts';
import type { Document } from '../../protocol/types.ts';
import type { ConflictInput } from '../conflict/types.ts';
import { conflictAfterResolution, conflictFromProblem, conflictWithNewer } from './conflict-input.ts';

type Text = { title: string; content: string };
type TextVersion = Text & { version: number };

/** One PUT the user asked for, with everything a retry must send unchanged. */
export interface SaveAttempt {
  /** The `Idempotency-Key`: made once per attempt, resent as it is when the attempt is retried. */
  key: string;
  /** The ETag of the version this text was edited from (a resolution: the conflict's `currentEtag`). */
  ifMatch: string;
  /**
   * In a document whose mode compares dates (`timestamp`): the `Last-Modified` of that version,
   * sent as `If-Unmodified-Since` in place of If-Match (docs/protocol.md §1.11).
   */
  ifUnmodifiedSince?: string;
  title: string;
  content: string;
  /** The dialog's Overwrite or Merge, sent as `Conflict-Resolution` so the server counts it. */
  resolution?: SavedOutcome;
}

/** A save of the draft: its base is what a 409 is compared against when the server no longer knows it. */
export interface DraftSaveAttempt extends SaveAttempt {
  base: TextVersion;
}

export interface SaveAsNewState {
  /** A title the server refused as a duplicate, with a suggestion. */
  duplicate: { title: string; suggestion: string } | null;
  problem: Problem | null;
  saving: boolean;
  /** Text chosen in the dialog for the new document (its merged result), when it came from there. */
  content: string | null;
}

export type SaveState =
  /** Nothing in flight: the editor shows the draft, or the server's version when there is none. */
  | { name: 'editing' }
  | { name: 'saving'; attempt: DraftSaveAttempt }
  /** The server confirmed the last save. */
  | { name: 'saved'; version: number }
  /** A save failed in a way retrying will not mend; the text is kept. */
  | { name: 'failed'; problem: Problem }
  /** "Review and merge now": fetching the newest version to open the dialog before any save. */
  | { name: 'reviewing' }
  /** The three-way dialog is open; `error` is what its last save met, other than a conflict. */
  | { name: 'conflict'; conflict: ConflictInput; error: Problem | null }
  /** The dialog's Overwrite or Merge is being saved. */
  | { name: 'resolving'; conflict: ConflictInput; attempt: SaveAttempt }
  /**
   * No answer, or a 5xx: the same attempt goes out again (same If-Match, same Idempotency-Key).
   * `resolving` is the open conflict when the attempt is the dialog's.
   */
  | { name: 'offline-waiting'; attempt: SaveAttempt | DraftSaveAttempt; offline: boolean; resolving: ConflictInput | null }
  /**
   * The document was deleted (by `deletedBy`, when the server said who; `byReset` when that was the
   * demo reset, which `deletedBy` pressed): what is left is to save the text as a new document, the
   * one Save this state offers. The dialog may still be open, saying so.
   */
  | {
      name: 'gone';
      conflict: ConflictInput | null;
      error: Problem | null;
      deletedBy: string | null;
      byReset: boolean;
      saveAsNew: SaveAsNewState;
    };

export type SaveEvent =
  | { type: 'save'; attempt: DraftSaveAttempt }
  | { type: 'review' }
  | { type: 'review-opened'; conflict: ConflictInput }
  /** The newest version turned out to be the draft's own base: nothing to review. */
  | { type: 'review-unneeded' }
  | { type: 'review-failed'; problem: Problem }
  | { type: 'resolve'; attempt: SaveAttempt }
  /** The attempt `key` failed for a reason that may heal, and will be tried again. */
  | { type: 'retry-scheduled'; key: string; offline: boolean }
  | { type: 'saved'; key: string; version: number }
  /** `mine` is the draft as it is when the answer comes (text typed during the save included). */
  | { type: 'conflicted'; key: string; problem: EditConflictProblem; mine: Text }
  | { type: 'failed'; key: string; problem: Problem }
  | { type: 'gone'; key: string; problem: Problem }
  /** The document was found deleted outside a save (its GET, a review); `problem` is the 410's. */
  | { type: 'document-gone'; problem: Problem | null }
  /** The open dialog is to compare against `latest`, which the event stream brought. */
  | { type: 'update-comparison'; latest: { doc: Document; etag: string } }
  | { type: 'cancel' }
  | { type: 'discard' }
  | { type: 'dismiss-problem' }
  | { type: 'save-as-new'; content: string | null }
  | { type: 'save-as-new-refused'; duplicate: { title: string; suggestion: string } | null; problem: Problem | null }
  | { type: 'save-as-new-done' };

export const initialSaveState: SaveState = { name: 'editing' };

const freshSaveAsNew: SaveAsNewState = { duplicate: null, problem: null, saving: false, content: null };

function goneState(conflict: ConflictInput | null, error: Problem | null, gone: Problem | null): SaveState {
  return { name: 'gone', conflict, error, deletedBy: deletedBy(gone), byReset: deletedByReset(gone), saveAsNew: freshSaveAsNew };
}

/** Whether the demo reset deleted it: the 410 problem's `reason` member (docs/protocol.md §1.5). */
export function deletedByReset(problem: Problem | null): boolean {
  return problem?.reason === 'reset';
}

/** Who deleted the document, from the 410 problem's `deletedBy` member (docs/protocol.md §1.5). */
export function deletedBy(problem: Problem | null): string | null {
  const by = problem?.deletedBy;
  return typeof by === 'string' && by.trim() !== '' ? by : null;
}

/** The attempt whose answer is awaited, and the conflict it resolves (null for a save of the draft). */
function inFlight(state: SaveState): { attempt: SaveAttempt; resolving: ConflictInput | null; base: TextVersion | null } | null {
  switch (state.name) {
    case 'saving':
      return { attempt: state.attempt, resolving: null, base: state.attempt.base };
    case 'resolving':
      return { attempt: state.attempt, resolving: state.conflict, base: null };
    case 'offline-waiting':
      return { attempt: state.attempt, resolving: state.resolving, base: 'base' in state.attempt ? state.attempt.base : null };
    default:
      return null;
  }
}

export function saveFlowReducer(state: SaveState, event: SaveEvent): SaveState {
  switch (event.type) {
    case 'save':
      return canSave(state) ? { name: 'saving', attempt: event.attempt } : state;

    case 'review':
      return canSave(state) ? { name: 'reviewing' } : state;
    case 'review-opened':
      return state.name === 'reviewing' ? { name: 'conflict', conflict: event.conflict, error: null } : state;
    case 'review-unneeded':
      return state.name === 'reviewing' ? { name: 'editing' } : state;
    case 'review-failed':
      return state.name === 'reviewing' ? { name: 'failed', problem: event.problem } : state;

    case 'resolve': {
      // Also after the dialog said the document was deleted: the dialog's buttons stay, and fail the same way.
      const conflict = state.name === 'conflict' || state.name === 'gone' ? state.conflict : null;
      return conflict ? { name: 'resolving', conflict, attempt: event.attempt } : state;
    }

    case 'retry-scheduled': {
      const current = inFlight(state);
      if (!current || current.attempt.key !== event.key) return state;
      if (state.name === 'offline-waiting' && state.offline === event.offline) return state;
      return { name: 'offline-waiting', attempt: current.attempt, offline: event.offline, resolving: current.resolving };
    }

    case 'saved': {
      const current = inFlight(state);
      if (!current || current.attempt.key !== event.key) return state;
      return { name: 'saved', version: event.version };
    }

    case 'conflicted': {
      const current = inFlight(state);
      if (!current || current.attempt.key !== event.key) return state;
      if (current.resolving) {
        // Someone saved again while the dialog's choice was on its way: merge once more, from there.
        return { name: 'conflict', conflict: conflictAfterResolution(current.resolving, current.attempt, event.problem), error: null };
      }
      if (!current.base) return state;
      return { name: 'conflict', conflict: conflictFromProblem(event.problem, current.base, event.mine), error: null };
    }

    case 'failed': {
      const current = inFlight(state);
      if (!current || current.attempt.key !== event.key) return state;
      // The dialog stays open and says what went wrong; the editor shows it in a banner.
      if (current.resolving) return { name: 'conflict', conflict: current.resolving, error: event.problem };
      return { name: 'failed', problem: event.problem };
    }

    case 'gone': {
      const current = inFlight(state);
      if (!current || current.attempt.key !== event.key) return state;
      // From the dialog, the dialog says so and offers to save the result as a new document.
      return current.resolving ? goneState(current.resolving, event.problem, event.problem) : goneState(null, null, event.problem);
    }

    case 'document-gone':
      // A save in flight learns it from its own answer.
      if (state.name === 'gone' || inFlight(state)) return state;
      return goneState(state.name === 'conflict' ? state.conflict : null, null, event.problem);

    case 'update-comparison':
      // Not while a choice is on its way: its answer (a 409 with the newest version) decides.
      if (state.name !== 'conflict' || event.latest.doc.version <= state.conflict.theirs.version) return state;
      return { name: 'conflict', conflict: conflictWithNewer(state.conflict, event.latest), error: null };

    case 'cancel':
    case 'discard':
      if (state.name === 'conflict') return { name: 'editing' };
      if (state.name === 'gone' && state.conflict) return { ...state, conflict: null, error: null };
      return state;

    case 'dismiss-problem':
      return state.name === 'failed' ? { name: 'editing' } : state;

    case 'save-as-new':
      if (state.name !== 'gone') return state;
      return { ...state, saveAsNew: { ...state.saveAsNew, duplicate: null, problem: null, saving: true, content: event.content ?? state.saveAsNew.content } };
    case 'save-as-new-refused':
      if (state.name !== 'gone') return state;
      // The answer is shown beside the title field under the dialog, so the dialog makes way.
      return {
        name: 'gone',
        conflict: null,
        error: null,
        deletedBy: state.deletedBy,
        byReset: state.byReset,
        saveAsNew: { ...state.saveAsNew, duplicate: event.duplicate, problem: event.problem, saving: false },
      };
    case 'save-as-new-done':
      if (state.name !== 'gone') return state;
      return { ...state, conflict: null, error: null, saveAsNew: { ...state.saveAsNew, saving: false } };
  }
}

/**
 * A save (or a review) can start: nothing in flight and no dialog open. Not once the document is
 * known to be deleted: then "Save as a new document" is the one Save, rather than a second button
 * that can only fail.
 */
export function canSave(state: SaveState): boolean {
  return state.name === 'editing' || state.name === 'saved' || state.name === 'failed';
}

/** A PUT of this document is on its way (or waiting to go out again). */
export function isSaving(state: SaveState): boolean {
  return inFlight(state) !== null;
}

/** The conflict the dialog shows, or null when it is closed. */
export function openConflict(state: SaveState): ConflictInput | null {
  switch (state.name) {
    case 'conflict':
    case 'resolving':
      return state.conflict;
    case 'offline-waiting':
      return state.resolving;
    case 'gone':
      return state.conflict;
    default:
      return null;
  }
}

/**
 * A version newer than the one the open dialog compares against, which the dialog can be updated
 * to: what the event stream brought into the cache (`server`), while no choice is being saved.
 */
export function newerThanDialog<T extends { doc: Document }>(state: SaveState, server: T | undefined): T | null {
  if (state.name !== 'conflict' || !server) return null;
  return server.doc.version > state.conflict.theirs.version ? server : null;
}

/** What the dialog's last save met, other than a conflict. */
export function dialogProblem(state: SaveState): Problem | null {
  return state.name === 'conflict' || state.name === 'gone' ? state.error : null;
}

export type SaveStatus =
  | { kind: 'saved'; version: number }
  | { kind: 'unsaved' }
  | { kind: 'saving' }
  | { kind: 'retrying'; offline: boolean }
  | { kind: 'conflict' }
  | { kind: 'failed' }
  /** The document was deleted; `unsaved`: there is typed text only this device has. */
  | { kind: 'deleted'; unsaved: boolean };

/** The status line's one sentence, from the state, whether a draft exists, and the server's version. */
export function saveStatus(state: SaveState, hasDraft: boolean, serverVersion: number | undefined): SaveStatus {
  switch (state.name) {
    case 'saving':
    case 'resolving':
      return { kind: 'saving' };
    case 'offline-waiting':
      return { kind: 'retrying', offline: state.offline };
    case 'conflict':
      return { kind: 'conflict' };
    case 'gone':
      return state.conflict ? { kind: 'conflict' } : { kind: 'deleted', unsaved: hasDraft };
    case 'failed':
      return { kind: 'failed' };
    case 'editing':
    case 'reviewing':
    case 'saved':
      return hasDraft ? { kind: 'unsaved' } : { kind: 'saved', version: serverVersion ?? (state.name === 'saved' ? state.version : 0) };
  }
}
