import { describe, expect, it } from 'vitest';
import type { EditConflictProblem, Problem } from '../../protocol/problems.ts';
import type { Document } from '../../protocol/types.ts';
import {
  canSave,
  dialogProblem,
  initialSaveState,
  isSaving,
  newerThanDialog,
  openConflict,
  saveFlowReducer,
  saveStatus,
} from './save-flow.ts';
import type { DraftSaveAttempt, SaveAttempt, SaveEvent, SaveState } from './save-flow.ts';
import { conflictBase as base, conflictInput as conflict, conflictTheirs as theirs } from './test-support.ts';

const newest: Document = { ...theirs, content: 'one\nBob\nCarol\n', version: 3, updatedBy: 'Carol' };

const draftSave = (key = 'k1'): DraftSaveAttempt => ({ key, ifMatch: '"e1"', title: 'Notes', content: 'one\nmine\n', base });
const resolution = (key = 'r1'): SaveAttempt => ({ key, ifMatch: '"e2"', title: 'Notes', content: 'one\nmine\nBob\n' });

function conflictProblem(current: Document, currentEtag: string, known: Document | null): EditConflictProblem {
  return {
    type: '/problems/edit-conflict',
    title: 'Edit conflict',
    status: 409,
    detail: '',
    yourEtag: '"e1"',
    current,
    currentEtag,
    base: known,
    changesSince: [{ version: current.version, updatedBy: current.updatedBy, updatedAt: current.updatedAt }],
  };
}

const problem = (slug: string, status: number): Problem => ({ type: `/problems/${slug}`, title: slug, status, detail: '' });

function run(...events: SaveEvent[]): SaveState {
  return events.reduce(saveFlowReducer, initialSaveState);
}

const saving = (): SaveState => run({ type: 'save', attempt: draftSave() });
const inConflict = (): SaveState => run({ type: 'review' }, { type: 'review-opened', conflict });
const resolving = (): SaveState => saveFlowReducer(inConflict(), { type: 'resolve', attempt: resolution() });
const gone = (): SaveState => saveFlowReducer(saving(), { type: 'gone', key: 'k1', problem: problem('gone', 410) });

describe('saving the draft', () => {
  it('editing → saving, carrying the attempt (its If-Match is the draft base’s ETag)', () => {
    const state = saving();
    expect(state).toEqual({ name: 'saving', attempt: draftSave() });
    expect(isSaving(state)).toBe(true);
    expect(canSave(state)).toBe(false);
  });

  it('saving → saved on a 200 for this attempt', () => {
    expect(saveFlowReducer(saving(), { type: 'saved', key: 'k1', version: 2 })).toEqual({ name: 'saved', version: 2 });
  });

  it('a second save while one is in flight changes nothing', () => {
    const state = saving();
    expect(saveFlowReducer(state, { type: 'save', attempt: draftSave('k2') })).toBe(state);
  });

  it('an answer to another attempt changes nothing', () => {
    const state = saving();
    for (const event of [
      { type: 'saved', key: 'old', version: 9 },
      { type: 'failed', key: 'old', problem: problem('bad-request', 400) },
      { type: 'gone', key: 'old', problem: problem('gone', 410) },
      { type: 'retry-scheduled', key: 'old', offline: true },
      { type: 'conflicted', key: 'old', problem: conflictProblem(theirs, '"e2"', null), mine: conflict.mine },
    ] satisfies SaveEvent[]) {
      expect(saveFlowReducer(state, event)).toBe(state);
    }
  });

  it('a save can start again from saved and from failed', () => {
    const saved = saveFlowReducer(saving(), { type: 'saved', key: 'k1', version: 2 });
    expect(saveFlowReducer(saved, { type: 'save', attempt: draftSave('k2') })).toMatchObject({ name: 'saving', attempt: { key: 'k2' } });
    const failed = saveFlowReducer(saving(), { type: 'failed', key: 'k1', problem: problem('payload-too-large', 413) });
    expect(saveFlowReducer(failed, { type: 'save', attempt: draftSave('k3') })).toMatchObject({ name: 'saving', attempt: { key: 'k3' } });
  });

  it('saving → failed keeps the problem until dismissed (or the next save)', () => {
    const failed = saveFlowReducer(saving(), { type: 'failed', key: 'k1', problem: problem('payload-too-large', 413) });
    expect(failed).toEqual({ name: 'failed', problem: problem('payload-too-large', 413) });
    expect(saveStatus(failed, true, 1)).toEqual({ kind: 'failed' });
    expect(saveFlowReducer(failed, { type: 'dismiss-problem' })).toEqual({ name: 'editing' });
    expect(saveFlowReducer(saving(), { type: 'dismiss-problem' })).toEqual(saving());
  });
});

describe('a conflict on save', () => {
  it('saving → conflict, with the 409 body’s base, the draft as mine and the server’s current as theirs', () => {
    const known = { ...theirs, content: 'one (as the server remembers it)\n', version: 1 };
    const mine = { title: 'Notes', content: 'one\nmine, typed on while saving\n' };
    const state = saveFlowReducer(saving(), { type: 'conflicted', key: 'k1', problem: conflictProblem(theirs, '"e2"', known), mine });
    expect(state.name).toBe('conflict');
    expect(openConflict(state)).toMatchObject({
      base: { content: known.content, version: 1 },
      mine,
      theirs,
      currentEtag: '"e2"',
      arrivedDuringResolution: 0,
    });
    expect(dialogProblem(state)).toBeNull();
    expect(saveStatus(state, true, 2)).toEqual({ kind: 'conflict' });
  });

  it('takes the draft’s own base when the server no longer knows the version', () => {
    const state = saveFlowReducer(saving(), { type: 'conflicted', key: 'k1', problem: conflictProblem(theirs, '"e2"', null), mine: conflict.mine });
    expect(openConflict(state)?.base).toEqual(base);
  });

  it('conflict → editing on cancel and on discard, and nothing is saving', () => {
    for (const type of ['cancel', 'discard'] as const) {
      const state = saveFlowReducer(inConflict(), { type });
      expect(state).toEqual({ name: 'editing' });
      expect(openConflict(state)).toBeNull();
    }
  });

  it('no save or review starts while the dialog is open', () => {
    const state = inConflict();
    expect(canSave(state)).toBe(false);
    expect(saveFlowReducer(state, { type: 'save', attempt: draftSave('k2') })).toBe(state);
    expect(saveFlowReducer(state, { type: 'review' })).toBe(state);
  });
});

describe('resolving in the dialog', () => {
  it('conflict → resolving: the dialog stays open, saving', () => {
    const state = resolving();
    expect(state).toMatchObject({ name: 'resolving', attempt: resolution() });
    expect(openConflict(state)).toBe(conflict);
    expect(isSaving(state)).toBe(true);
    expect(saveStatus(state, true, 2)).toEqual({ kind: 'saving' });
  });

  it('resolving → saved on a 200', () => {
    expect(saveFlowReducer(resolving(), { type: 'saved', key: 'r1', version: 3 })).toEqual({ name: 'saved', version: 3 });
  });

  it('resolving → conflict again on a further 409: what was merged is mine, the version merged against is base', () => {
    const state = saveFlowReducer(resolving(), {
      type: 'conflicted',
      key: 'r1',
      problem: conflictProblem(newest, '"e3"', theirs),
      mine: { title: 'ignored', content: 'the draft is not what was being saved' },
    });
    expect(openConflict(state)).toMatchObject({
      base: { content: theirs.content, version: 2 },
      mine: { title: 'Notes', content: resolution().content },
      theirs: newest,
      currentEtag: '"e3"',
      arrivedDuringResolution: 1,
    });
  });

  it('resolving → conflict with the problem shown in the dialog on any other failure', () => {
    const state = saveFlowReducer(resolving(), { type: 'failed', key: 'r1', problem: problem('internal-error', 500) });
    expect(state).toEqual({ name: 'conflict', conflict, error: problem('internal-error', 500) });
    expect(dialogProblem(state)).toEqual(problem('internal-error', 500));
  });

  it('resolving → gone with the dialog still open, saying so', () => {
    const state = saveFlowReducer(resolving(), { type: 'gone', key: 'r1', problem: problem('gone', 410) });
    expect(state).toMatchObject({ name: 'gone', conflict, error: problem('gone', 410) });
    expect(saveStatus(state, true, 2)).toEqual({ kind: 'conflict' });
    // The dialog's buttons stay usable, and closing it leaves the document gone.
    expect(saveFlowReducer(state, { type: 'resolve', attempt: resolution('r2') })).toMatchObject({ name: 'resolving', conflict });
    expect(saveFlowReducer(state, { type: 'cancel' })).toMatchObject({ name: 'gone', conflict: null, error: null });
  });

  it('no resolution without an open conflict', () => {
    expect(saveFlowReducer(initialSaveState, { type: 'resolve', attempt: resolution() })).toBe(initialSaveState);
    const state = resolving();
    expect(saveFlowReducer(state, { type: 'resolve', attempt: resolution('r2') })).toBe(state);
  });
});

describe('offline-waiting', () => {
  it('saving → offline-waiting on a transient failure, keeping the same attempt (same key, same If-Match)', () => {
    const state = saveFlowReducer(saving(), { type: 'retry-scheduled', key: 'k1', offline: true });
    expect(state).toEqual({ name: 'offline-waiting', attempt: draftSave(), offline: true, resolving: null });
    expect(saveStatus(state, true, 1)).toEqual({ kind: 'retrying', offline: true });
    expect(isSaving(state)).toBe(true);
    expect(canSave(state)).toBe(false);
  });

  it('tells an unreachable server from a failing one', () => {
    const state = saveFlowReducer(saving(), { type: 'retry-scheduled', key: 'k1', offline: false });
    expect(saveStatus(state, true, 1)).toEqual({ kind: 'retrying', offline: false });
    const again = saveFlowReducer(state, { type: 'retry-scheduled', key: 'k1', offline: false });
    expect(again).toBe(state);
  });

  it('offline-waiting → saved when the retry goes through', () => {
    const state = saveFlowReducer(saving(), { type: 'retry-scheduled', key: 'k1', offline: true });
    expect(saveFlowReducer(state, { type: 'saved', key: 'k1', version: 2 })).toEqual({ name: 'saved', version: 2 });
  });

  it('offline-waiting → conflict when the retry meets a newer version', () => {
    const state = saveFlowReducer(saving(), { type: 'retry-scheduled', key: 'k1', offline: true });
    const next = saveFlowReducer(state, { type: 'conflicted', key: 'k1', problem: conflictProblem(theirs, '"e2"', null), mine: conflict.mine });
    expect(openConflict(next)).toMatchObject({ base, theirs });
  });

  it('a resolution that waits keeps the dialog open, and a later 409 merges from it', () => {
    const state = saveFlowReducer(resolving(), { type: 'retry-scheduled', key: 'r1', offline: true });
    expect(state).toMatchObject({ name: 'offline-waiting', resolving: conflict, attempt: resolution() });
    expect(openConflict(state)).toBe(conflict);
    const next = saveFlowReducer(state, { type: 'conflicted', key: 'r1', problem: conflictProblem(newest, '"e3"', theirs), mine: conflict.mine });
    expect(openConflict(next)).toMatchObject({ mine: { content: resolution().content }, theirs: newest });
    expect(saveFlowReducer(state, { type: 'failed', key: 'r1', problem: problem('internal-error', 500) })).toMatchObject({ name: 'conflict', conflict });
  });
});

describe('reviewing before a save', () => {
  it('editing → reviewing → conflict with the fetched version', () => {
    const state = run({ type: 'review' });
    expect(state).toEqual({ name: 'reviewing' });
    expect(canSave(state)).toBe(false);
    expect(saveStatus(state, true, 2)).toEqual({ kind: 'unsaved' });
    expect(saveFlowReducer(state, { type: 'review-opened', conflict })).toEqual({ name: 'conflict', conflict, error: null });
  });

  it('reviewing → editing when the newest version is the draft’s base, → failed when the fetch fails', () => {
    expect(run({ type: 'review' }, { type: 'review-unneeded' })).toEqual({ name: 'editing' });
    expect(run({ type: 'review' }, { type: 'review-failed', problem: problem('internal-error', 500) })).toMatchObject({ name: 'failed' });
  });

  it('review answers outside a review change nothing', () => {
    expect(run({ type: 'review-opened', conflict })).toEqual(initialSaveState);
    expect(run({ type: 'review-unneeded' })).toEqual(initialSaveState);
    expect(run({ type: 'review-failed', problem: problem('internal-error', 500) })).toEqual(initialSaveState);
  });
});

describe('a newer version while the dialog is open', () => {
  const latest = { doc: newest, etag: '"e3"' };

  it('is offered from the cache while the dialog is open and nothing is being saved', () => {
    expect(newerThanDialog(inConflict(), latest)).toBe(latest);
    expect(newerThanDialog(inConflict(), { doc: theirs, etag: '"e2"' })).toBeNull();
    expect(newerThanDialog(resolving(), latest)).toBeNull();
    expect(newerThanDialog(initialSaveState, latest)).toBeNull();
  });

  it('conflict → conflict against it: base and mine kept, theirs and the next If-Match from the newer version', () => {
    const state = saveFlowReducer(inConflict(), { type: 'update-comparison', latest });
    expect(state).toMatchObject({ name: 'conflict', error: null });
    const updated = openConflict(state);
    expect(updated).toMatchObject({ base, mine: conflict.mine, theirs: newest, currentEtag: '"e3"', arrivedDuringResolution: 1 });
    expect(updated?.changesSince.map((c) => [c.version, c.updatedBy])).toEqual([[3, 'Carol']]);
  });

  it('changes nothing for a version the dialog already has, or while a choice is being saved', () => {
    const open = inConflict();
    expect(saveFlowReducer(open, { type: 'update-comparison', latest: { doc: theirs, etag: '"e2"' } })).toBe(open);
    const busy = resolving();
    expect(saveFlowReducer(busy, { type: 'update-comparison', latest })).toBe(busy);
  });
});

describe('gone', () => {
  it('saving → gone on a 410: the text can be saved as a new document', () => {
    const state = gone();
    expect(state).toEqual({
      name: 'gone',
      conflict: null,
      error: null,
      deletedBy: null,
      byReset: false,
      saveAsNew: { duplicate: null, problem: null, saving: false, content: null },
    });
    expect(saveStatus(state, true, 1)).toEqual({ kind: 'deleted', unsaved: true });
    expect(saveStatus(state, false, 1)).toEqual({ kind: 'deleted', unsaved: false });
    // "Save as a new document" is the one Save left: the ordinary one could only fail.
    expect(canSave(state)).toBe(false);
    expect(saveFlowReducer(state, { type: 'save', attempt: draftSave('k2') })).toBe(state);
  });

  it('names who deleted it, from the 410 of a save or of a GET', () => {
    const deleted = { ...problem('gone', 410), deletedBy: 'Zoë 🦊' };
    expect(saveFlowReducer(saving(), { type: 'gone', key: 'k1', problem: deleted })).toMatchObject({ deletedBy: 'Zoë 🦊' });
    expect(run({ type: 'document-gone', problem: deleted })).toMatchObject({ name: 'gone', deletedBy: 'Zoë 🦊' });
    // A problem without the member (another server) names nobody rather than "undefined".
    expect(run({ type: 'document-gone', problem: problem('gone', 410) })).toMatchObject({ deletedBy: null, byReset: false });
  });

  it('tells the demo reset apart from a person, and keeps it through a refused "save as new"', () => {
    const reset = { ...problem('gone', 410), deletedBy: 'Teacher', reason: 'reset' };
    const state = run({ type: 'document-gone', problem: reset });
    expect(state).toMatchObject({ name: 'gone', deletedBy: 'Teacher', byReset: true });
    const refused = saveFlowReducer(state, { type: 'save-as-new-refused', duplicate: null, problem: problem('server-error', 500) });
    expect(refused).toMatchObject({ byReset: true, deletedBy: 'Teacher' });
    // Any other reason is not the reset.
    expect(run({ type: 'document-gone', problem: { ...reset, reason: 'Reset' } })).toMatchObject({ byReset: false });
  });

  it('no save starts while the dialog is open over a deleted document', () => {
    const state = saveFlowReducer(inConflict(), { type: 'document-gone', problem: null });
    expect(canSave(state)).toBe(false);
    expect(saveFlowReducer(state, { type: 'save', attempt: draftSave('k2') })).toBe(state);
  });

  it('the document found deleted outside a save: from editing, from a review, and behind an open dialog', () => {
    expect(run({ type: 'document-gone', problem: null })).toMatchObject({ name: 'gone', conflict: null });
    expect(run({ type: 'review' }, { type: 'document-gone', problem: null })).toMatchObject({ name: 'gone', conflict: null });
    expect(saveFlowReducer(inConflict(), { type: 'document-gone', problem: null })).toMatchObject({ name: 'gone', conflict, error: null });
  });

  it('a save in flight learns of the delete from its own answer', () => {
    expect(saveFlowReducer(saving(), { type: 'document-gone', problem: null })).toEqual(saving());
    const state = gone();
    expect(saveFlowReducer(state, { type: 'document-gone', problem: null })).toBe(state);
  });

  it('save as new: saving, refused as a duplicate (the dialog makes way), then done', () => {
    const fromDialog = saveFlowReducer(saveFlowReducer(resolving(), { type: 'gone', key: 'r1', problem: problem('gone', 410) }), {
      type: 'save-as-new',
      content: 'merged text',
    });
    expect(fromDialog).toMatchObject({ name: 'gone', saveAsNew: { saving: true, content: 'merged text' } });
    const refused = saveFlowReducer(fromDialog, { type: 'save-as-new-refused', duplicate: { title: 'Notes', suggestion: 'Notes (2)' }, problem: null });
    expect(refused).toEqual({
      name: 'gone',
      conflict: null,
      error: null,
      deletedBy: null,
      byReset: false,
      saveAsNew: { duplicate: { title: 'Notes', suggestion: 'Notes (2)' }, problem: null, saving: false, content: 'merged text' },
    });
    // The panel's next try keeps the dialog's text unless it brings its own.
    const retried = saveFlowReducer(refused, { type: 'save-as-new', content: null });
    expect(retried).toMatchObject({ saveAsNew: { saving: true, duplicate: null, content: 'merged text' } });
    expect(saveFlowReducer(retried, { type: 'save-as-new-done' })).toMatchObject({ saveAsNew: { saving: false } });
  });

  it('save-as-new events mean nothing unless the document is gone', () => {
    const state = saving();
    expect(saveFlowReducer(state, { type: 'save-as-new', content: null })).toBe(state);
    expect(saveFlowReducer(state, { type: 'save-as-new-refused', duplicate: null, problem: problem('internal-error', 500) })).toBe(state);
    expect(saveFlowReducer(state, { type: 'save-as-new-done' })).toBe(state);
  });
});

describe('saveStatus', () => {
  it('shows the server’s version when there is no draft, and unsaved changes when there is one', () => {
    expect(saveStatus(initialSaveState, false, 4)).toEqual({ kind: 'saved', version: 4 });
    expect(saveStatus(initialSaveState, true, 4)).toEqual({ kind: 'unsaved' });
    expect(saveStatus({ name: 'saved', version: 5 }, false, undefined)).toEqual({ kind: 'saved', version: 5 });
    expect(saveStatus({ name: 'saved', version: 5 }, true, 5)).toEqual({ kind: 'unsaved' });
    expect(saveStatus(saving(), true, 1)).toEqual({ kind: 'saving' });
  });
});
