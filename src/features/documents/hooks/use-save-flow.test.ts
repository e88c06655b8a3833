// @vitest-environment happy-dom
/**
 * The save path without a browser: the real hooks (useDraft, useSaveFlow), the real API client and
 * the real query cache, with `fetch` stubbed so each test decides what the server answers.
 */
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { Document } from '../../../protocol/types.ts';
import { documentQueryOptions } from '../api/get-document.ts';
import type { VersionedDocument } from '../api/get-document.ts';
import { readDraft } from '../drafts/draft-store.ts';
import type { Draft } from '../drafts/draft-store.ts';
import { hookTests, jsonResponse as json, mountEditorHooks, scriptedServer as stubServer } from '../test-support.ts';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const USER = 'Alice';
const v1: Document = { id: 'd_1', title: 'Notes', content: 'one\n', version: 1, updatedAt: '2026-11-30T10:00:00.000Z', updatedBy: 'Alice', state: 'draft' };
const v2: Document = { ...v1, content: 'one\nBob\n', version: 2, updatedBy: 'Bob' };

const savedAs = (doc: Document, etag: string) => () => json(200, doc, etag);
const networkError = () => Promise.reject(new TypeError('Failed to fetch'));
const conflictWith = (current: Document, currentEtag: string) => () =>
  json(409, {
    type: '/problems/edit-conflict',
    title: 'Edit conflict',
    status: 409,
    detail: 'Bob saved first.',
    yourEtag: '"e1"',
    current,
    currentEtag,
    base: v1,
    changesSince: [{ version: current.version, updatedBy: current.updatedBy, updatedAt: current.updatedAt }],
  });
const problem = (status: number, slug: string) => () => json(status, { type: `/problems/${slug}`, title: slug, status, detail: '' });


function draftFrom(doc: Document, etag: string, content: string): Draft {
  return { docId: doc.id, title: doc.title, content, base: { title: doc.title, content: doc.content, version: doc.version, etag }, editedAt: Date.now() };
}

/** Lets the stubbed answers, the mutation's callbacks and React's updates run. */
async function settle(ms = 0) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

const hooks = hookTests(USER);

/** The editor's two hooks over a cache that holds `cached`. */
async function mountFlow(cached: VersionedDocument) {
  hooks.client.setQueryData(documentQueryOptions(cached.doc.id).queryKey, cached);
  return mountEditorHooks(hooks, cached.doc.id, USER);
}

async function editing(cached: VersionedDocument, draft: Draft) {
  const flow = await mountFlow(cached);
  await act(async () => flow().setDraft(draft));
  return flow;
}

describe('the save request', () => {
  it('sends If-Match: the draft’s base ETag even when the cache holds a newer one, with X-User and an Idempotency-Key', async () => {
    const sent = stubServer([conflictWith(v2, '"e2"')]);
    // The cache learnt of version 2 (an event, a refetch); the draft was typed on version 1.
    const flow = await editing({ doc: v2, etag: '"e2"' }, draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle();

    expect(sent).toHaveLength(1);
    const [put] = sent;
    expect(put?.method).toBe('PUT');
    expect(put?.headers.get('If-Match')).toBe('"e1"');
    expect(put?.headers.get('X-User')).toBe(USER);
    expect(put?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(put?.body).toEqual({ title: 'Notes', content: 'one\nmine\n' });
  });

  it('makes a new Idempotency-Key for each save attempt', async () => {
    const sent = stubServer([savedAs({ ...v1, content: 'a\n', version: 2 }, '"e2"'), savedAs({ ...v1, content: 'b\n', version: 3 }, '"e3"')]);
    const flow = await editing({ doc: v1, etag: '"e1"' }, draftFrom(v1, '"e1"', 'a\n'));
    await act(async () => flow().save());
    await settle();
    await act(async () => flow().setDraft({ ...(flow().draft ?? draftFrom(v1, '"e2"', '')), content: 'b\n' }));
    await act(async () => flow().save());
    await settle();

    expect(sent.map((s) => s.headers.get('If-Match'))).toEqual(['"e1"', '"e2"']);
    const keys = sent.map((s) => s.headers.get('Idempotency-Key'));
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys.every((k) => typeof k === 'string' && k.length === 36)).toBe(true);
  });
});

describe('the draft until the server confirms', () => {
  it('survives a pending save, and is rebased (not cleared) on the 200 when more was typed meanwhile', async () => {
    let answer: (r: Response) => void = () => {};
    const sent = stubServer([() => new Promise<Response>((resolve) => (answer = resolve))]);
    const flow = await editing({ doc: v1, etag: '"e1"' }, draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle();
    expect(flow().status).toEqual({ kind: 'saving' });
    expect(flow().draft?.content).toBe('one\nmine\n');
    expect(readDraft(USER, 'd_1')?.content).toBe('one\nmine\n');

    // Typed on while the PUT is out.
    await act(async () => flow().setDraft({ ...(flow().draft as Draft), content: 'one\nmine\nmore\n' }));
    const saved = { ...v1, content: 'one\nmine\n', version: 2, updatedBy: USER };
    await act(async () => answer(json(200, saved, '"e2"')));
    await settle();

    expect(sent).toHaveLength(1);
    expect(flow().draft).toMatchObject({ content: 'one\nmine\nmore\n', base: { content: 'one\nmine\n', version: 2, etag: '"e2"' } });
    expect(readDraft(USER, 'd_1')?.base?.etag).toBe('"e2"');
    expect(hooks.client.getQueryData(documentQueryOptions('d_1').queryKey)?.etag).toBe('"e2"');
  });

  it('is cleared once the server has confirmed exactly that text', async () => {
    stubServer([savedAs({ ...v1, content: 'one\nmine\n', version: 2 }, '"e2"')]);
    const flow = await editing({ doc: v1, etag: '"e1"' }, draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle();
    expect(flow().draft).toBeNull();
    expect(readDraft(USER, 'd_1')).toBeNull();
    expect(flow().state).toEqual({ name: 'saved', version: 2 });
    expect(flow().status).toEqual({ kind: 'saved', version: 2 });
  });

  it('survives a 409: the dialog opens with it as mine, and a 409 is never retried', async () => {
    const sent = stubServer([conflictWith(v2, '"e2"')]);
    const flow = await editing({ doc: v1, etag: '"e1"' }, draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle(60_000);

    expect(sent).toHaveLength(1);
    expect(flow().status).toEqual({ kind: 'conflict' });
    expect(flow().conflict).toMatchObject({ mine: { content: 'one\nmine\n' }, theirs: v2, currentEtag: '"e2"' });
    expect(readDraft(USER, 'd_1')?.content).toBe('one\nmine\n');
  });

  it('survives a network error: the same attempt is retried with the same key and If-Match, then saved', async () => {
    const sent = stubServer([networkError, networkError, savedAs({ ...v1, content: 'one\nmine\n', version: 2 }, '"e2"')]);
    const flow = await editing({ doc: v1, etag: '"e1"' }, draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle();
    expect(sent).toHaveLength(1);
    expect(flow().status).toEqual({ kind: 'retrying', offline: true });
    expect(flow().state.name).toBe('offline-waiting');
    expect(readDraft(USER, 'd_1')?.content).toBe('one\nmine\n');

    await settle(1_000);
    expect(sent).toHaveLength(2);
    expect(readDraft(USER, 'd_1')?.content).toBe('one\nmine\n');
    await settle(2_000);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s.headers.get('Idempotency-Key'))).size).toBe(1);
    expect(sent.map((s) => s.headers.get('If-Match'))).toEqual(['"e1"', '"e1"', '"e1"']);
    expect(flow().draft).toBeNull();
    expect(flow().state).toEqual({ name: 'saved', version: 2 });
  });

  it('retries a 5xx as a server error, and keeps the draft', async () => {
    const sent = stubServer([problem(503, 'internal-error'), savedAs({ ...v1, content: 'one\nmine\n', version: 2 }, '"e2"')]);
    const flow = await editing({ doc: v1, etag: '"e1"' }, draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle();
    expect(flow().status).toEqual({ kind: 'retrying', offline: false });
    expect(flow().draft?.content).toBe('one\nmine\n');
    await settle(1_000);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.headers.get('Idempotency-Key')).toBe(sent[1]?.headers.get('Idempotency-Key'));
    expect(flow().status).toEqual({ kind: 'saved', version: 2 });
  });

  it('gives up after eight retries of a server that stays down, says so, and keeps the draft', async () => {
    const sent = stubServer(Array.from({ length: 10 }, () => problem(503, 'internal-error')));
    const flow = await editing({ doc: v1, etag: '"e1"' }, draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    // 1 + 2 + 4 + 8 + 10 + 10 + 10 + 10 s of backoff: under a minute, then no more.
    await settle(54_000);
    expect(sent).toHaveLength(8);
    expect(flow().status).toEqual({ kind: 'retrying', offline: false });
    await settle(1_000);
    expect(sent).toHaveLength(9);
    await settle(120_000);
    expect(sent).toHaveLength(9);
    expect(new Set(sent.map((s) => s.headers.get('Idempotency-Key'))).size).toBe(1);
    expect(flow().status).toEqual({ kind: 'failed' });
    expect(flow().problem).toMatchObject({ status: 503 });
    expect(readDraft(USER, 'd_1')?.content).toBe('one\nmine\n');
  });

  it.each([
    [428, 'precondition-required'],
    [422, 'validation-failed'],
    [404, 'not-found'],
  ])('never retries a %i, and keeps the draft', async (status, slug) => {
    const sent = stubServer([problem(status, slug)]);
    const flow = await editing({ doc: v1, etag: '"e1"' }, draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle(60_000);
    expect(sent).toHaveLength(1);
    expect(flow().status).toEqual({ kind: 'failed' });
    expect(flow().problem).toMatchObject({ status, type: `/problems/${slug}` });
    expect(readDraft(USER, 'd_1')?.content).toBe('one\nmine\n');
  });

  it('a 410 turns to "save as a new document", keeping the draft', async () => {
    stubServer([problem(410, 'gone')]);
    const flow = await editing({ doc: v1, etag: '"e1"' }, draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle();
    expect(flow().gone).toBe(true);
    expect(flow().saveAsNew).toMatchObject({ saving: false, duplicate: null });
    expect(flow().draft?.content).toBe('one\nmine\n');
  });
});

describe('the dialog’s save', () => {
  async function inConflict() {
    const sent = stubServer([conflictWith(v2, '"e2"')]);
    const flow = await editing({ doc: v1, etag: '"e1"' }, draftFrom(v1, '"e1"', 'one\nmine\n'));
    await act(async () => flow().save());
    await settle();
    expect(flow().conflict).not.toBeNull();
    return { sent, flow };
  }

  it('Overwrite sends If-Match: the conflict’s currentEtag, and clears the draft only on the 200', async () => {
    const { sent, flow } = await inConflict();
    let answer: (r: Response) => void = () => {};
    sent.answer(() => new Promise<Response>((resolve) => (answer = resolve)));
    await act(async () => flow().resolve({ kind: 'overwrite', title: 'Notes', content: 'one\nmine\n' }));
    await settle();

    expect(sent).toHaveLength(2);
    expect(sent[1]?.headers.get('If-Match')).toBe('"e2"');
    expect(sent[1]?.headers.get('Idempotency-Key')).not.toBe(sent[0]?.headers.get('Idempotency-Key'));
    expect(flow().saving).toBe(true);
    expect(readDraft(USER, 'd_1')?.content).toBe('one\nmine\n');

    await act(async () => answer(json(200, { ...v2, content: 'one\nmine\n', version: 3 }, '"e3"')));
    await settle();
    expect(flow().conflict).toBeNull();
    expect(flow().draft).toBeNull();
    expect(readDraft(USER, 'd_1')).toBeNull();
  });

  it('a further 409 reopens the dialog with the newest version and the next If-Match', async () => {
    const { sent, flow } = await inConflict();
    const v3 = { ...v2, content: 'one\nBob\nCarol\n', version: 3, updatedBy: 'Carol' };
    sent.answer(conflictWith(v3, '"e3"'));
    await act(async () => flow().resolve({ kind: 'merge', title: 'Notes', content: 'one\nmine\nBob\n' }));
    await settle(60_000);
    expect(sent).toHaveLength(2);
    expect(flow().conflict).toMatchObject({ theirs: v3, currentEtag: '"e3"', mine: { content: 'one\nmine\nBob\n' } });
    expect(readDraft(USER, 'd_1')?.content).toBe('one\nmine\n');
  });
});
