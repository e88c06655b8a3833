// @vitest-environment happy-dom
/**
 * The save flow's other actions, beyond the save itself: review before saving, the dialog's
 * Overwrite, Merge, Discard and Cancel, undoing an Overwrite, comparing against a newer version,
 * and saving the text of a deleted document as a new one. The real hooks over a real query cache
 * that follows the cached document as the editor does, with `fetch` stubbed.
 */
import { act } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { describeProblem } from '../../../lib/problem-text.ts';
import type { Document } from '../../../protocol/types.ts';
import { documentQueryOptions } from '../api/get-document.ts';
import type { VersionedDocument } from '../api/get-document.ts';
import { readDiscarded, readDraft } from '../drafts/draft-store.ts';
import type { Draft } from '../drafts/draft-store.ts';
import { hookTests, jsonResponse as json, mountEditorHooks, scriptedServer as stubServer } from '../test-support.ts';
import type { Answer, Sent } from '../test-support.ts';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const USER = 'Alice';
const NOW = Date.parse('2026-11-30T10:00:00.000Z');
const v1: Document = { id: 'd_1', title: 'Notes', content: 'one\n', version: 1, updatedAt: '2026-11-30T10:00:00.000Z', updatedBy: 'Alice', state: 'draft' };
const v2: Document = { ...v1, content: 'one\nBob\n', version: 2, updatedBy: 'Bob' };
const v3: Document = { ...v1, content: 'one\nBob\nCarol\n', version: 3, updatedBy: 'Carol' };

const answerWith = (status: number, body: unknown, etag?: string) => () => json(status, body, etag);
const savedAs = (doc: Document, etag: string) => answerWith(200, doc, etag);
const pending = () => {
  let answer: (r: Response) => void = () => undefined;
  const next: Answer = () => new Promise<Response>((resolve) => (answer = resolve));
  return { next, answer: (r: Response) => answer(r) };
};
const conflictWith = (current: Document, currentEtag: string) =>
  answerWith(409, {
    type: '/problems/edit-conflict',
    title: 'Edit conflict',
    status: 409,
    detail: `${current.updatedBy} saved first.`,
    yourEtag: '"e1"',
    current,
    currentEtag,
    base: v1,
    changesSince: [{ version: current.version, updatedBy: current.updatedBy, updatedAt: current.updatedAt }],
  });
const problem = (status: number, slug: string, extra: Record<string, unknown> = {}) =>
  answerWith(status, { type: `/problems/${slug}`, title: slug, status, detail: `A ${slug}.`, ...extra });
const noContent = () => () => new Response(null, { status: 204 });

const hooks = hookTests(USER);

/** The editor's two hooks, over a cache that holds `cached` (when given). */
async function mountFlow(cached: VersionedDocument | null) {
  if (cached) hooks.client.setQueryData(documentQueryOptions('d_1').queryKey, cached);
  return mountEditorHooks(hooks, 'd_1', USER);
}

function draftFrom(doc: Document, etag: string, content: string): Draft {
  return { docId: doc.id, title: doc.title, content, base: { title: doc.title, content: doc.content, version: doc.version, etag }, editedAt: Date.now() };
}

async function settle(ms = 0) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

async function editing(draft: Draft | null, cached: VersionedDocument | null = { doc: v1, etag: '"e1"' }) {
  const flow = await mountFlow(cached);
  if (draft) await act(async () => flow().setDraft(draft));
  return flow;
}

/** A save that met Bob's version 2: the dialog is open. */
async function inConflict(mine = 'one\nmine\n') {
  const sent = stubServer([conflictWith(v2, '"e2"')]);
  const flow = await editing(draftFrom(v1, '"e1"', mine));
  await act(async () => flow().save());
  await settle();
  expect(flow().conflict).not.toBeNull();
  return { sent, flow };
}

const outcomes = (sent: Sent[]) => sent.filter((s) => s.path === '/api/stats/outcomes').map((s) => s.body);

beforeEach(() => {
  vi.setSystemTime(NOW);
  window.history.replaceState(null, '', '/docs/d_1');
});


describe('status', () => {
  it('says unsaved while there is a draft, else the version on the server', async () => {
    const flow = await editing(null);
    expect(flow().status).toEqual({ kind: 'saved', version: 1 });
    await act(async () => flow().setDraft(draftFrom(v1, '"e1"', 'typed\n')));
    expect(flow().status).toEqual({ kind: 'unsaved' });
    expect(flow().canSave).toBe(true);
    expect(flow().saving).toBe(false);
    expect(flow().reviewing).toBe(false);
    expect(flow().gone).toBe(false);
    expect(flow().problem).toBeNull();
    expect(flow().deletedBy).toBeNull();
    expect(flow().saveAsNew).toBeNull();
  });

  it('says version 0 before the document has loaded', async () => {
    const flow = await editing(null, null);
    expect(flow().status).toEqual({ kind: 'saved', version: 0 });
  });
});

describe('save', () => {
  it('sends one PUT at a time: Save while a save is out does nothing', async () => {
    const put = pending();
    const sent = stubServer([put.next]);
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle();
    await act(async () => flow().save());
    await settle();
    expect(sent).toHaveLength(1);
    expect(flow().canSave).toBe(false);
    put.answer(json(200, { ...v1, content: 'one\nmine\n', version: 2 }, '"e2"'));
    await settle();
    expect(flow().state).toEqual({ name: 'saved', version: 2 });
  });

  it('Save without a draft sends nothing', async () => {
    const sent = stubServer([]);
    const flow = await editing(null);
    await act(async () => flow().save());
    await settle();
    expect(sent).toHaveLength(0);
    expect(flow().state).toEqual({ name: 'editing' });
  });

  it('a draft typed back to its base while the save was out stays no draft after the 200', async () => {
    const put = pending();
    stubServer([put.next]);
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle();
    await act(async () => flow().setDraft(null));
    put.answer(json(200, { ...v1, content: 'one\nmine\n', version: 2 }, '"e2"'));
    await settle();
    expect(flow().draft).toBeNull();
    expect(readDraft(USER, 'd_1')).toBeNull();
  });

  it('a 409 opens the dialog with the draft as it is when the answer comes, typing during the save included', async () => {
    const put = pending();
    stubServer([put.next]);
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle();
    await act(async () => flow().setDraft(draftFrom(v1, '"e1"', 'one\nmine\nmore\n')));
    const before = performance.getEntriesByName('conflict-received').length;
    put.answer(conflictWith(v2, '"e2"')());
    await settle();
    expect(flow().conflict?.mine.content).toBe('one\nmine\nmore\n');
    // `npm run bench:ui` times the dialog from this mark.
    expect(performance.getEntriesByName('conflict-received').length).toBe(before + 1);
  });

  it('a 409 without the current version’s ETag opens no dialog: the save failed, said in plain words, and Discard puts no ETag in the cache', async () => {
    const { currentEtag: _, ...incomplete } = await conflictWith(v2, '"e2"')().json();
    const sent = stubServer([answerWith(409, incomplete)]);
    const before = performance.getEntriesByName('conflict-received').length;
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle();
    expect(flow().conflict).toBeNull();
    expect(performance.getEntriesByName('conflict-received').length).toBe(before);
    const problem = flow().problem;
    expect(problem).toMatchObject({ type: 'about:blank', status: 409 });
    expect(problem && describeProblem(problem)).toMatch(/^Conflict\. Bob saved first\. The server's conflict answer is incomplete, .* your text is kept; reload the document and try again\.$/);

    await act(async () => flow().discard());
    await settle();
    expect(hooks.client.getQueryData(documentQueryOptions('d_1').queryKey)).toEqual({ doc: v1, etag: '"e1"' });
    expect(flow().draft?.content).toBe('one\nmine\n');
    expect(flow().discarded).toBeNull();
    expect(sent).toHaveLength(1);
  });

  it('a failure other than a conflict leaves no conflict mark, and Dismiss goes back to editing', async () => {
    stubServer([problem(422, 'validation-failed')]);
    const before = performance.getEntriesByName('conflict-received').length;
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle();
    expect(performance.getEntriesByName('conflict-received').length).toBe(before);
    expect(flow().problem).toMatchObject({ status: 422 });
    await act(async () => flow().dismissProblem());
    expect(flow().state).toEqual({ name: 'editing' });
    expect(flow().problem).toBeNull();
    expect(flow().draft?.content).toBe('one\nmine\n');
  });
});

describe('review and merge now', () => {
  it('fetches the newest version and its history, and opens the dialog against it, the draft untouched', async () => {
    const get = pending();
    const sent = stubServer([get.next, answerWith(200, { revisions: [] })]);
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => {
      void flow().reviewNow();
    });
    expect(flow().reviewing).toBe(true);
    expect(flow().canSave).toBe(false);
    get.answer(json(200, v2, '"e2"'));
    await settle();
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/docs/d_1', 'GET /api/docs/d_1/revisions']);
    expect(flow().reviewing).toBe(false);
    expect(flow().conflict).toMatchObject({ theirs: v2, currentEtag: '"e2"', mine: { content: 'one\nmine\n' }, base: { version: 1 } });
    expect(flow().draft?.content).toBe('one\nmine\n');
    expect(sent.filter((s) => s.method !== 'GET')).toHaveLength(0);
  });

  it('opens the dialog even when the history cannot be read', async () => {
    stubServer([answerWith(200, v2, '"e2"'), problem(500, 'internal-error')]);
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().reviewNow());
    await settle();
    expect(flow().conflict?.theirs).toEqual(v2);
  });

  it('goes back to editing when the newest version is the draft’s own base', async () => {
    stubServer([answerWith(200, v1, '"e1"'), answerWith(200, { revisions: [] })]);
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().reviewNow());
    await settle();
    expect(flow().state).toEqual({ name: 'editing' });
    expect(flow().conflict).toBeNull();
  });

  it('turns to "save as new" when the document was deleted, naming who deleted it', async () => {
    stubServer([problem(410, 'gone', { deletedBy: 'Bob' })]);
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().reviewNow());
    await settle();
    expect(flow().gone).toBe(true);
    expect(flow().deletedBy).toBe('Bob');
    expect(flow().saveAsNew).toEqual({ duplicate: null, problem: null, saving: false, content: null });
  });

  it('says what went wrong otherwise', async () => {
    stubServer([problem(404, 'not-found')]);
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().reviewNow());
    await settle();
    expect(flow().state.name).toBe('failed');
    expect(flow().problem).toMatchObject({ status: 404, type: '/problems/not-found' });
  });

  it('asks nothing without a draft, or while a save is out', async () => {
    const sent = stubServer([]);
    const flow = await editing(null);
    await act(async () => flow().reviewNow());
    await settle();
    expect(sent).toHaveLength(0);
    expect(flow().state).toEqual({ name: 'editing' });

    const put = pending();
    sent.answer(put.next);
    await act(async () => flow().setDraft(draftFrom(v1, '"e1"', 'one\nmine\n')));
    await act(async () => flow().save());
    await settle();
    await act(async () => flow().reviewNow());
    await settle();
    expect(sent.map((s) => s.method)).toEqual(['PUT']);
  });
});

describe('a draft kept without the version it was typed on', () => {
  /** A tab of an older page left Alice's text with a base that has no ETag. */
  async function readBack(content = 'one\nmine\n') {
    const record = { docId: 'd_1', title: 'Notes', content, editedAt: NOW - 60_000, base: { title: 'Notes', version: 1 }, author: USER };
    localStorage.setItem('conflict-lab:draft:alice:d_1', JSON.stringify(record));
    const sent = stubServer([answerWith(200, v2, '"e2"'), answerWith(200, { revisions: [] })]);
    const flow = await mountFlow({ doc: v1, etag: '"e1"' });
    expect(flow().draft).toMatchObject({ content, base: null });
    return { sent, flow };
  }

  it('comes back as the draft, and Save sends no PUT: it opens the comparison with the newest version, on an empty base', async () => {
    const { sent, flow } = await readBack();
    await act(async () => flow().save());
    await settle();
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/docs/d_1', 'GET /api/docs/d_1/revisions']);
    expect(flow().conflict).toEqual({
      docId: 'd_1',
      base: { title: '', content: '', version: null },
      mine: { title: 'Notes', content: 'one\nmine\n' },
      theirs: v2,
      currentEtag: '"e2"',
      changesSince: [],
      arrivedDuringResolution: 0,
    });
    expect(flow().draft?.base).toBeNull();
  });

  it('is saved as the dialog’s choice, with If-Match: the version it was compared with', async () => {
    const { sent, flow } = await readBack();
    await act(async () => flow().save());
    await settle();
    sent.answer(savedAs({ ...v2, content: 'one\nmine\nBob\n', version: 3, updatedBy: USER }, '"e3"'));
    await act(async () => flow().resolve({ kind: 'merge', title: 'Notes', content: 'one\nmine\nBob\n' }));
    await settle();
    const put = sent.filter((s) => s.method === 'PUT');
    expect(put).toHaveLength(1);
    expect(put[0]?.headers.get('If-Match')).toBe('"e2"');
    expect(put[0]?.body).toEqual({ title: 'Notes', content: 'one\nmine\nBob\n' });
    expect(flow().draft).toBeNull();
    expect(readDraft(USER, 'd_1')).toBeNull();
  });

  it('stays unplaced when the comparison is cancelled or discarded, and comes back so from Undo discard', async () => {
    const { sent, flow } = await readBack();
    await act(async () => flow().save());
    await settle();
    sent.answer(noContent());
    await act(async () => flow().cancel());
    await settle();
    expect(flow().draft).toMatchObject({ content: 'one\nmine\n', base: null });

    for (const next of [answerWith(200, v2, '"e2"'), answerWith(200, { revisions: [] }), noContent()]) sent.answer(next);
    await act(async () => flow().save());
    await settle();
    await act(async () => flow().discard());
    await settle();
    expect(readDiscarded(USER, 'd_1', NOW)?.draft).toMatchObject({ content: 'one\nmine\n', base: null });
    await act(async () => flow().undoDiscard());
    expect(flow().draft).toMatchObject({ content: 'one\nmine\n', base: null });
    expect(sent.filter((s) => s.method === 'PUT')).toHaveLength(0);
  });
});

describe('the dialog’s choices', () => {
  it('Overwrite says so in Conflict-Resolution and offers to undo it; Undo saves the replaced version back over it', async () => {
    const { sent, flow } = await inConflict();
    const overwritten = { ...v2, content: 'one\nmine\n', version: 3, updatedBy: USER };
    sent.answer(savedAs(overwritten, '"e3"'));
    await act(async () => flow().resolve({ kind: 'overwrite', title: 'Notes', content: 'one\nmine\n' }));
    await settle();
    expect(sent[1]?.headers.get('Conflict-Resolution')).toBe('overwrite');
    expect(flow().overwrote).toEqual({ replaced: v2, saved: { doc: overwritten, etag: '"e3"' } });

    sent.answer(savedAs({ ...v2, version: 4, updatedBy: USER }, '"e4"'));
    await act(async () => flow().undoOverwrite());
    await settle();
    expect(sent).toHaveLength(3);
    expect(sent[2]).toMatchObject({ method: 'PUT', body: { title: 'Notes', content: 'one\nBob\n' } });
    expect(sent[2]?.headers.get('If-Match')).toBe('"e3"');
    expect(sent[2]?.headers.has('Conflict-Resolution')).toBe(false);
    expect(flow().overwrote).toBeNull();
    expect(flow().state).toEqual({ name: 'saved', version: 4 });
  });

  it('Merge says so in Conflict-Resolution and offers no undo', async () => {
    const { sent, flow } = await inConflict();
    sent.answer(savedAs({ ...v2, content: 'one\nmine\nBob\n', version: 3 }, '"e3"'));
    await act(async () => flow().resolve({ kind: 'merge', title: 'Notes', content: 'one\nmine\nBob\n' }));
    await settle();
    expect(sent[1]?.headers.get('Conflict-Resolution')).toBe('merge');
    expect(sent[1]?.body).toEqual({ title: 'Notes', content: 'one\nmine\nBob\n' });
    expect(flow().overwrote).toBeNull();
    expect(flow().draft).toBeNull();
  });

  it('a second choice while the first is on its way sends nothing', async () => {
    const { sent, flow } = await inConflict();
    const put = pending();
    sent.answer(put.next);
    await act(async () => flow().resolve({ kind: 'merge', title: 'Notes', content: 'one\nmine\nBob\n' }));
    await settle();
    await act(async () => flow().resolve({ kind: 'overwrite', title: 'Notes', content: 'one\nmine\n' }));
    await settle();
    expect(sent).toHaveLength(2);
    put.answer(json(200, { ...v2, version: 3 }, '"e3"'));
    await settle();
  });

  it('a choice with no dialog open sends nothing, and Undo with nothing to undo neither', async () => {
    const sent = stubServer([]);
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().resolve({ kind: 'overwrite', title: 'Notes', content: 'x\n' }));
    await act(async () => flow().undoOverwrite());
    await settle();
    expect(sent).toHaveLength(0);
  });

  it('Discard puts mine aside, shows theirs, closes the dialog and is counted', async () => {
    const { sent, flow } = await inConflict();
    sent.answer(noContent());
    await act(async () => flow().discard());
    await settle();
    expect(flow().state).toEqual({ name: 'editing' });
    expect(flow().draft).toBeNull();
    expect(flow().discarded?.draft.content).toBe('one\nmine\n');
    expect(readDiscarded(USER, 'd_1', NOW)?.draft.content).toBe('one\nmine\n');
    expect(hooks.client.getQueryData(documentQueryOptions('d_1').queryKey)).toEqual({ doc: v2, etag: '"e2"' });
    expect(outcomes(sent)).toEqual([{ docId: 'd_1', outcome: 'discard' }]);
  });

  it('Discard with no dialog open does nothing', async () => {
    const sent = stubServer([]);
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().discard());
    await settle();
    expect(flow().draft?.content).toBe('one\nmine\n');
    expect(flow().discarded).toBeNull();
    expect(sent).toHaveLength(0);
  });

  it('Cancel closes the dialog keeping the draft, and is counted; not while the choice is on its way', async () => {
    const { sent, flow } = await inConflict();
    sent.answer(noContent());
    await act(async () => flow().cancel());
    await settle();
    expect(flow().state).toEqual({ name: 'editing' });
    expect(flow().draft?.content).toBe('one\nmine\n');
    expect(outcomes(sent)).toEqual([{ docId: 'd_1', outcome: 'cancel' }]);

    const again = await inConflict();
    const put = pending();
    again.sent.answer(put.next);
    await act(async () => again.flow().resolve({ kind: 'merge', title: 'Notes', content: 'one\nmine\nBob\n' }));
    await settle();
    await act(async () => again.flow().cancel());
    await settle();
    expect(again.flow().state.name).toBe('resolving');
    expect(outcomes(again.sent)).toEqual([]);
    put.answer(json(200, { ...v2, version: 3 }, '"e3"'));
    await settle();
  });

  it('Cancel with no dialog open is not counted', async () => {
    const sent = stubServer([]);
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().cancel());
    await settle();
    expect(sent).toHaveLength(0);
  });
});

describe('a newer version while the dialog is open', () => {
  it('is offered, and the dialog compares against it once asked', async () => {
    const { flow } = await inConflict();
    expect(flow().newerForDialog).toBeNull();
    await act(async () => hooks.client.setQueryData(documentQueryOptions('d_1').queryKey, { doc: v3, etag: '"e3"' }));
    await settle();
    expect(flow().newerForDialog).toEqual(v3);
    expect(flow().conflict?.theirs).toEqual(v2);
    await act(async () => flow().updateComparison());
    expect(flow().conflict).toMatchObject({ theirs: v3, currentEtag: '"e3"' });
    expect(flow().newerForDialog).toBeNull();
  });

  it('asking with no version loaded changes nothing', async () => {
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'), null);
    await act(async () => flow().updateComparison());
    expect(flow().state).toEqual({ name: 'editing' });
  });
});

describe('save as a new document, once the document is gone', () => {
  async function gone(draft: Draft | null = draftFrom(v1, '"e1"', 'one\nmine\n')) {
    const flow = await editing(draft);
    await act(async () => flow().markGone({ type: '/problems/gone', title: 'Gone', status: 410, detail: '', deletedBy: 'Bob' }));
    expect(flow().gone).toBe(true);
    expect(flow().deletedBy).toBe('Bob');
    return flow;
  }

  it('creates it from the draft, under a new id, and goes there; the old draft is cleared', async () => {
    const created = { ...v1, id: 'd_new', title: 'Notes (2)', content: 'one\nmine\n' };
    const put = pending();
    const sent = stubServer([put.next]);
    const flow = await gone();
    await act(async () => flow().saveAsNewDocument('Notes (2)'));
    expect(flow().saveAsNew?.saving).toBe(true);
    put.answer(json(201, created, '"n1"'));
    await settle();
    expect(sent[0]).toMatchObject({ method: 'PUT', body: { title: 'Notes (2)', content: 'one\nmine\n' } });
    expect(sent[0]?.headers.get('If-None-Match')).toBe('*');
    expect(window.location.pathname).toBe('/docs/d_new');
    expect(readDraft(USER, 'd_1')).toBeNull();
    expect(readDraft(USER, 'd_new')).toBeNull();
    expect(flow().saveAsNew?.saving).toBe(false);
  });

  it('text typed while the create was out becomes the new document’s draft', async () => {
    const created = { ...v1, id: 'd_new', title: 'Notes (2)', content: 'one\nmine\n' };
    const put = pending();
    stubServer([put.next]);
    const flow = await gone();
    await act(async () => flow().saveAsNewDocument('Notes (2)'));
    await settle(1_000);
    await act(async () => flow().setDraft({ ...draftFrom(v1, '"e1"', 'one\nmine\nmore\n'), editedAt: Date.now() }));
    put.answer(json(201, created, '"n1"'));
    await settle();
    expect(readDraft(USER, 'd_new')).toEqual({
      docId: 'd_new',
      title: 'Notes (2)',
      content: 'one\nmine\nmore\n',
      base: { title: 'Notes (2)', content: 'one\nmine\n', version: 1, etag: '"n1"', updatedAt: created.updatedAt },
      editedAt: NOW + 1_000,
    });
    expect(readDraft(USER, 'd_1')).toBeNull();
  });

  it('a draft last typed before the create went out, or equal to what it sent, is not carried', async () => {
    const created = { ...v1, id: 'd_new', title: 'Notes (2)', content: 'one\nmine\n' };
    stubServer([answerWith(201, created, '"n1"')]);
    const flow = await gone({ ...draftFrom(v1, '"e1"', 'one\nmine\n'), editedAt: NOW });
    await act(async () => flow().saveAsNewDocument('Notes (2)'));
    await settle();
    expect(readDraft(USER, 'd_new')).toBeNull();

    const put = pending();
    stubServer([put.next]);
    const second = await gone();
    await act(async () => second().saveAsNewDocument('Notes (2)'));
    await settle(1_000);
    // Touched again, the same text: nothing new to carry.
    await act(async () => second().setDraft({ ...draftFrom(v1, '"e1"', 'one\nmine\n'), editedAt: Date.now() }));
    put.answer(json(201, created, '"n1"'));
    await settle();
    expect(readDraft(USER, 'd_new')).toBeNull();
  });

  it('takes the dialog’s text over the draft, and the server’s text when there is no draft', async () => {
    const created = { ...v1, id: 'd_new' };
    const sent = stubServer([answerWith(201, created, '"n1"')]);
    const flow = await gone();
    await act(async () => flow().saveAsNewDocument('Merged', 'one\nmerged\n'));
    await settle();
    expect(sent[0]?.body).toEqual({ title: 'Merged', content: 'one\nmerged\n' });

    const again = stubServer([answerWith(201, created, '"n1"')]);
    const withoutDraft = await gone(null);
    await act(async () => withoutDraft().saveAsNewDocument('Copy'));
    await settle();
    expect(again[0]?.body).toEqual({ title: 'Copy', content: 'one\n' });
  });

  it('creates an empty document when it was gone before anything of it loaded, and nothing was typed', async () => {
    const sent = stubServer([answerWith(201, { ...v1, id: 'd_new', content: '' }, '"n1"')]);
    const flow = await editing(null, null);
    await act(async () => flow().markGone({ type: '/problems/gone', title: 'Gone', status: 410, detail: '', deletedBy: 'Bob' }));
    await act(async () => flow().saveAsNewDocument('Fresh start'));
    await settle();
    expect(sent[0]?.body).toEqual({ title: 'Fresh start', content: '' });
  });

  it('a taken title is answered with a suggestion, and the next try sends the dialog’s text again', async () => {
    const sent = stubServer([problem(409, 'duplicate-title', { existing: { id: 'd_9', title: 'Merged' } })]);
    const flow = await gone();
    await act(async () => flow().saveAsNewDocument('Merged', 'one\nmerged\n'));
    await settle();
    expect(flow().saveAsNew).toEqual({ duplicate: { title: 'Merged', suggestion: 'Merged (2)' }, problem: null, saving: false, content: 'one\nmerged\n' });
    sent.answer(answerWith(201, { ...v1, id: 'd_new' }, '"n1"'));
    await act(async () => flow().saveAsNewDocument('Merged (2)'));
    await settle();
    expect(sent[1]?.body).toEqual({ title: 'Merged (2)', content: 'one\nmerged\n' });
  });

  it('any other refusal is said in plain words', async () => {
    stubServer([problem(422, 'validation-failed')]);
    const flow = await gone();
    await act(async () => flow().saveAsNewDocument(''));
    await settle();
    expect(flow().saveAsNew).toMatchObject({ duplicate: null, problem: { status: 422 }, saving: false });
  });

  it('does nothing while the document is not gone', async () => {
    const sent = stubServer([]);
    const flow = await editing(draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().saveAsNewDocument('Copy'));
    await settle();
    expect(sent).toHaveLength(0);
    expect(window.location.pathname).toBe('/docs/d_1');
  });
});
