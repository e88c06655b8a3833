/**
 * The save flow's reducer and its readers at the edges: events in states they do not belong to,
 * a retry whose reason changes, Cancel and Discard after the document was deleted, and what the
 * status line and the dialog read from each state.
 */
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../protocol/problems.ts';
import { deletedBy, dialogProblem, initialSaveState, openConflict, saveFlowReducer, saveStatus } from './save-flow.ts';
import type { DraftSaveAttempt, SaveAttempt, SaveEvent, SaveState } from './save-flow.ts';
import { conflictBase as base, conflictInput as conflict } from './test-support.ts';

const draftSave: DraftSaveAttempt = { key: 'k1', ifMatch: '"e1"', title: 'Notes', content: 'one\nmine\n', base };
const resolution: SaveAttempt = { key: 'r1', ifMatch: '"e2"', title: 'Notes', content: 'one\nmine\nBob\n' };
const problem = (slug: string, status: number, extra: Record<string, unknown> = {}): Problem => ({ type: `/problems/${slug}`, title: slug, status, detail: '', ...extra });

const run = (...events: SaveEvent[]): SaveState => events.reduce(saveFlowReducer, initialSaveState);
const saving = () => run({ type: 'save', attempt: draftSave });
const inConflict = () => run({ type: 'review' }, { type: 'review-opened', conflict });
const resolving = () => saveFlowReducer(inConflict(), { type: 'resolve', attempt: resolution });
const goneWithDialog = () => saveFlowReducer(resolving(), { type: 'gone', key: 'r1', problem: problem('gone', 410, { deletedBy: 'Bob' }) });
const goneWithoutDialog = () => saveFlowReducer(saving(), { type: 'gone', key: 'k1', problem: problem('gone', 410) });

describe('deletedBy', () => {
  it('names who deleted the document when the problem says, and nobody for a blank or missing name', () => {
    expect(deletedBy(problem('gone', 410, { deletedBy: 'Bob' }))).toBe('Bob');
    expect(deletedBy(problem('gone', 410, { deletedBy: '  ' }))).toBeNull();
    expect(deletedBy(problem('gone', 410, { deletedBy: '' }))).toBeNull();
    expect(deletedBy(problem('gone', 410, { deletedBy: 7 }))).toBeNull();
    expect(deletedBy(problem('gone', 410))).toBeNull();
    expect(deletedBy(null)).toBeNull();
  });
});

describe('events out of place', () => {
  it('"nothing to review" outside a review changes nothing', () => {
    for (const state of [initialSaveState, saving(), inConflict()]) {
      expect(saveFlowReducer(state, { type: 'review-unneeded' })).toBe(state);
    }
  });

  it('a retry whose reason changes (offline, then a 5xx) says so; the same reason again changes nothing', () => {
    const offline = saveFlowReducer(saving(), { type: 'retry-scheduled', key: 'k1', offline: true });
    expect(offline).toMatchObject({ name: 'offline-waiting', offline: true });
    expect(saveFlowReducer(offline, { type: 'retry-scheduled', key: 'k1', offline: true })).toBe(offline);
    const serverError = saveFlowReducer(offline, { type: 'retry-scheduled', key: 'k1', offline: false });
    expect(serverError).toEqual({ name: 'offline-waiting', attempt: draftSave, offline: false, resolving: null });
  });

  it('a first retry, whatever its reason, leaves "saving"', () => {
    expect(saveFlowReducer(saving(), { type: 'retry-scheduled', key: 'k1', offline: false })).toMatchObject({ name: 'offline-waiting', offline: false });
  });
});

describe('Cancel and Discard', () => {
  it('close the dialog that says the document was deleted, keeping the offer to save as new', () => {
    const gone = goneWithDialog();
    for (const type of ['cancel', 'discard'] as const) {
      const after = saveFlowReducer(gone, { type });
      expect(after).toMatchObject({ name: 'gone', conflict: null, error: null, deletedBy: 'Bob' });
    }
  });

  it('change nothing once the deleted document’s dialog is closed, or while a choice is on its way', () => {
    for (const state of [goneWithoutDialog(), resolving(), saving(), initialSaveState]) {
      expect(saveFlowReducer(state, { type: 'cancel' })).toBe(state);
      expect(saveFlowReducer(state, { type: 'discard' })).toBe(state);
    }
  });
});

describe('what the dialog reads', () => {
  it('the conflict stays open, with the problem, when the document turns out deleted from the dialog', () => {
    const gone = goneWithDialog();
    expect(openConflict(gone)).toBe(conflict);
    expect(dialogProblem(gone)).toMatchObject({ status: 410 });
    expect(openConflict(goneWithoutDialog())).toBeNull();
  });

  it('a problem only in the states that show the dialog', () => {
    const failedInDialog = saveFlowReducer(resolving(), { type: 'failed', key: 'r1', problem: problem('validation-failed', 422) });
    expect(dialogProblem(failedInDialog)).toMatchObject({ status: 422 });
    const failed = saveFlowReducer(saving(), { type: 'failed', key: 'k1', problem: problem('validation-failed', 422) });
    expect(dialogProblem(failed)).toBeNull();
    expect(dialogProblem(resolving())).toBeNull();
  });
});

describe('saveStatus', () => {
  it('a conflict, open or after a deletion from the dialog', () => {
    expect(saveStatus(inConflict(), true, 2)).toEqual({ kind: 'conflict' });
    expect(saveStatus(goneWithDialog(), true, 2)).toEqual({ kind: 'conflict' });
    expect(saveStatus(goneWithoutDialog(), true, 2)).toEqual({ kind: 'deleted', unsaved: true });
    expect(saveStatus(goneWithoutDialog(), false, 2)).toEqual({ kind: 'deleted', unsaved: false });
  });

  it('saved: the server’s version, or the saved one before the document is read again, or 0', () => {
    expect(saveStatus(initialSaveState, false, 3)).toEqual({ kind: 'saved', version: 3 });
    expect(saveStatus(initialSaveState, true, 3)).toEqual({ kind: 'unsaved' });
    const saved = saveFlowReducer(saving(), { type: 'saved', key: 'k1', version: 4 });
    expect(saveStatus(saved, false, undefined)).toEqual({ kind: 'saved', version: 4 });
    expect(saveStatus(initialSaveState, false, undefined)).toEqual({ kind: 'saved', version: 0 });
  });
});
