// @vitest-environment happy-dom
/**
 * The documents feature's mutations and conditional queries as React uses them: the real hooks
 * over a real query cache, with `fetch` stubbed. What each retries (and with which id), what it
 * writes into the cache and what it marks for refetching.
 */
import { QueryClient } from '@tanstack/react-query';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setUserProvider } from '../../../lib/api-client.ts';
import { NetworkError, ProblemError, ServerError } from '../../../lib/api-errors.ts';
import type { LockState } from '../../../protocol/concurrency.ts';
import type { Document } from '../../../protocol/types.ts';
import { jsonResponse, mountHook, scriptedServer, summary } from '../test-support.ts';
import type { Answer } from '../test-support.ts';
import { useDocumentList } from './cache.ts';
import { useCreateDocument } from './create-document.ts';
import { useDeleteDocument } from './delete-document.ts';
import { documentConcurrencyQueryOptions, useDocumentConcurrency, useSetDocumentConcurrency } from './document-concurrency.ts';
import { lockQueryOptions, useDocumentLock, useLockMutation, useTakeOverRequest } from './document-lock.ts';
import { documentQueryOptions, useDocument } from './get-document.ts';
import { documentsQueryOptions, useDocuments } from './get-documents.ts';
import { useRevision } from './get-revision.ts';
import { REVISION_PAGE, revisionPagesQueryOptions, revisionsQueryOptions, useRevisionPages, useRevisions } from './get-revisions.ts';
import { useTransitionDocument } from './transition-document.ts';
import { useUpdateDocument } from './update-document.ts';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const stubServer = (...answers: Answer[]) => scriptedServer(answers);
const json = (status: number, body: unknown, etag?: string) => () => jsonResponse(status, body, etag);
const noContent = () => () => new Response(null, { status: 204 });
const networkError = () => () => Promise.reject(new TypeError('Failed to fetch'));
const problem = (status: number, slug: string) => json(status, { type: `/problems/${slug}`, title: slug, status, detail: `A ${slug}.` });

const doc: Document = { id: 'd_1', title: 'Notes', content: 'one\n', version: 1, updatedAt: '2026-11-30T10:00:00.000Z', updatedBy: 'Alice', state: 'draft' };
let queryClient: QueryClient;
let unmounts: Array<() => Promise<void>> = [];

/** Renders `hook` inside the provider and hands back its latest value. */
const mount = <T>(hook: () => T) => mountHook(queryClient, hook, unmounts);

/** Lets the answers, the retries' delays and the cache's callbacks run. */
async function settle(ms = 0) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

const invalid = (key: readonly unknown[]) => queryClient.getQueryState(key)?.isInvalidated ?? false;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  setUserProvider(() => 'Alice');
  // No delay between a mutation's retries unless the mutation sets its own.
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retryDelay: 0 } } });
  queryClient.setQueryData(documentsQueryOptions().queryKey, [summary(doc, '"e1"')]);
});

afterEach(async () => {
  for (const unmount of unmounts) await unmount();
  unmounts = [];
  queryClient.clear();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('useCreateDocument', () => {
  it('resends the same id after a lost answer, and takes the 412 for it as the document it made', async () => {
    const created: Document = { ...doc, id: 'd_new', title: 'Plan' };
    const sent = stubServer(networkError(), problem(412, 'precondition-failed'), json(200, created, '"n1"'));
    const create = await mount(() => useCreateDocument());
    await act(async () => create().mutate({ title: 'Plan', content: 'one\n' }));
    await settle(10);
    expect(sent.map((s) => s.method)).toEqual(['PUT', 'PUT', 'GET']);
    const [first, second, read] = sent;
    expect(second?.path).toBe(first?.path);
    expect(read?.path).toBe(first?.path);
    expect(first?.path).toMatch(/^\/api\/docs\/d_[0-9a-f]{16}$/);
    expect(create().data).toEqual({ doc: created, etag: '"n1"' });
    // The new document is in the cache at once, and the list is asked for again.
    expect(queryClient.getQueryData(documentQueryOptions('d_new').queryKey)).toEqual({ doc: created, etag: '"n1"' });
    expect(queryClient.getQueryData(documentsQueryOptions().queryKey)?.map((d) => d.id)).toContain('d_new');
    expect(invalid(documentsQueryOptions().queryKey)).toBe(true);
  });

  it('passes a 412 on its first try on: that id is someone else’s document', async () => {
    const sent = stubServer(problem(412, 'precondition-failed'));
    const create = await mount(() => useCreateDocument());
    await act(async () => create().mutate({ title: 'Plan' }));
    await settle(10);
    expect(sent).toHaveLength(1);
    expect(create().error).toBeInstanceOf(ProblemError);
    expect(invalid(documentsQueryOptions().queryKey)).toBe(true);
  });

  it('tries three times in all when no answer comes, then says so; other failures are not retried', async () => {
    const sent = stubServer(networkError(), networkError(), networkError(), networkError());
    const create = await mount(() => useCreateDocument());
    await act(async () => create().mutate({ title: 'Plan' }));
    await settle(10);
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s.path)).size).toBe(1);
    expect(create().error).toBeInstanceOf(NetworkError);

    const refused = stubServer(problem(422, 'validation-failed'), json(201, doc, '"e1"'));
    await act(async () => create().mutate({ title: '' }));
    await settle(10);
    expect(refused).toHaveLength(1);
    expect(create().error).toBeInstanceOf(ProblemError);
  });

  it('gives each create the user asks for an id of its own', async () => {
    const sent = stubServer(json(201, { ...doc, id: 'a' }, '"a1"'), json(201, { ...doc, id: 'b' }, '"b1"'));
    const create = await mount(() => useCreateDocument());
    await act(async () => create().mutate({ title: 'Plan' }));
    await settle(10);
    await act(async () => create().mutate({ title: 'Plan' }));
    await settle(10);
    expect(sent).toHaveLength(2);
    expect(sent[0]?.path).not.toBe(sent[1]?.path);
  });
});

describe('useDeleteDocument', () => {
  it('forgets the deleted document and asks for the list again', async () => {
    queryClient.setQueryData(documentQueryOptions('d_1').queryKey, { doc, etag: '"e1"' });
    const sent = stubServer(noContent());
    const remove = await mount(() => useDeleteDocument());
    await act(async () => remove().mutate({ id: 'd_1', ifMatch: '"e1"' }));
    await settle();
    expect(sent[0]).toMatchObject({ method: 'DELETE', path: '/api/docs/d_1' });
    expect(queryClient.getQueryState(documentQueryOptions('d_1').queryKey)).toBeUndefined();
    expect(invalid(documentsQueryOptions().queryKey)).toBe(true);
  });

  it('keeps the document when the delete is refused, and still refreshes the list', async () => {
    queryClient.setQueryData(documentQueryOptions('d_1').queryKey, { doc, etag: '"e1"' });
    stubServer(problem(409, 'edit-conflict'));
    const remove = await mount(() => useDeleteDocument());
    await act(async () => remove().mutate({ id: 'd_1', ifMatch: '"e0"' }));
    await settle();
    expect(queryClient.getQueryData(documentQueryOptions('d_1').queryKey)).toEqual({ doc, etag: '"e1"' });
    expect(invalid(documentsQueryOptions().queryKey)).toBe(true);
  });
});

describe('useSetDocumentConcurrency', () => {
  it('puts the mode and keeps the server’s answer as the document’s mode', async () => {
    const answer = { id: 'd_1', concurrency: 'lock', own: 'lock' };
    const sent = stubServer(json(200, answer));
    const set = await mount(() => useSetDocumentConcurrency('d_1'));
    await act(async () => set().mutate('lock'));
    await settle();
    expect(sent[0]).toMatchObject({ method: 'PUT', path: '/api/docs/d_1/concurrency', body: { concurrency: 'lock' } });
    expect(queryClient.getQueryData(documentConcurrencyQueryOptions('d_1').queryKey)).toEqual(answer);
  });
});

describe('useLockMutation', () => {
  const lease = { docId: 'd_1', holder: 'Alice', since: doc.updatedAt, expires: doc.updatedAt, token: 't' };

  it('takes the lease with the request as its body, and keeps the answer', async () => {
    const state: LockState = { lock: lease, enforced: true };
    const sent = stubServer(json(200, state));
    const lock = await mount(() => useLockMutation('d_1'));
    await act(async () => lock().mutate({ seconds: 30, force: true }));
    await settle();
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/api/docs/d_1/lock', body: { seconds: 30, force: true } });
    expect(queryClient.getQueryData(lockQueryOptions('d_1').queryKey)).toEqual(state);
    expect(invalid(lockQueryOptions('d_1').queryKey)).toBe(true);
  });

  it('releases it with a DELETE, and shows no lease at once', async () => {
    queryClient.setQueryData(lockQueryOptions('d_1').queryKey, { lock: lease, enforced: true });
    const sent = stubServer(noContent());
    const lock = await mount(() => useLockMutation('d_1'));
    await act(async () => lock().mutate(null));
    await settle();
    expect(sent[0]).toMatchObject({ method: 'DELETE', path: '/api/docs/d_1/lock' });
    expect(queryClient.getQueryData(lockQueryOptions('d_1').queryKey)).toEqual({ lock: null, enforced: true });
  });
});

describe('useTakeOverRequest', () => {
  it.each([
    ['asks the holder', { kind: 'ask' } as const, { method: 'POST', path: '/api/docs/d_1/lock/requests', body: null }],
    ['withdraws or declines a request', { kind: 'decline' } as const, { method: 'DELETE', path: '/api/docs/d_1/lock/requests', body: null }],
    ['hands the lease over to the one who asked', { kind: 'hand-over', to: 'Zoë' } as const, { method: 'POST', path: '/api/docs/d_1/lock/handover', body: { to: 'Zoë' } }],
  ])('%s, then reads the lock again', async (_what, action, request) => {
    queryClient.setQueryData(lockQueryOptions('d_1').queryKey, { lock: null, enforced: true });
    queryClient.setQueryData(lockQueryOptions('d_2').queryKey, { lock: null, enforced: true });
    const sent = stubServer(action.kind === 'decline' ? noContent() : json(200, { lock: null, enforced: true }));
    const takeOver = await mount(() => useTakeOverRequest('d_1'));
    await act(async () => takeOver().mutate(action));
    await settle();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject(request);
    expect(invalid(lockQueryOptions('d_1').queryKey)).toBe(true);
    // Only that document's lock: another's stays as it was read.
    expect(invalid(lockQueryOptions('d_2').queryKey)).toBe(false);
  });
});

describe('useRevisionPages', () => {
  const row = (version: number) => ({ version, updatedAt: doc.updatedAt, updatedBy: 'Alice', etag: `"e${version}"`, basedOn: null, lost: false, overwrote: [] });

  it('reads the newest page, then the one before its first version, and stops where no more are left', async () => {
    const sent = stubServer(
      json(200, { revisions: [row(21), row(22)], total: 22, more: true }),
      json(200, { revisions: [row(1), row(2)], total: 22, more: false }),
    );
    const pages = await mount(() => useRevisionPages('d_1', true));
    await settle();
    expect(sent[0]).toMatchObject({ method: 'GET', path: `/api/docs/d_1/revisions?limit=${REVISION_PAGE}` });
    expect(pages().hasNextPage).toBe(true);
    await act(async () => {
      await pages().fetchNextPage();
    });
    await settle();
    expect(sent[1]).toMatchObject({ method: 'GET', path: `/api/docs/d_1/revisions?limit=${REVISION_PAGE}&before=21` });
    expect(pages().hasNextPage).toBe(false);
    expect(queryClient.getQueryData(revisionPagesQueryOptions('d_1').queryKey)?.pages.map((page) => page.revisions.map((r) => r.version))).toEqual([
      [21, 22],
      [1, 2],
    ]);
  });

  it('reads nothing while not wanted', async () => {
    const sent = stubServer();
    await mount(() => useRevisionPages('d_1', false));
    await settle();
    expect(sent).toHaveLength(0);
  });
});

describe('useTransitionDocument', () => {
  it('puts the new version in the cache at once and marks the history for refetching', async () => {
    const published: Document = { ...doc, version: 2, state: 'published' };
    queryClient.setQueryData(revisionsQueryOptions('d_1').queryKey, []);
    queryClient.setQueryData(revisionsQueryOptions('d_2').queryKey, []);
    stubServer(json(200, published, '"e2"'));
    const transition = await mount(() => useTransitionDocument());
    await act(async () => transition().mutate({ id: 'd_1', to: 'published', etag: '"e1"' }));
    await settle();
    expect(queryClient.getQueryData(documentQueryOptions('d_1').queryKey)).toEqual({ doc: published, etag: '"e2"' });
    expect(invalid(revisionsQueryOptions('d_1').queryKey)).toBe(true);
    expect(invalid(revisionsQueryOptions('d_2').queryKey)).toBe(false);
  });
});

describe('useUpdateDocument', () => {
  const variables = { id: 'd_1', title: 'Notes', content: 'two\n', ifMatch: '"e1"', idempotencyKey: 'k-1' };
  const saved: Document = { ...doc, content: 'two\n', version: 2 };

  it('a 200 goes into the cache and nothing is asked again', async () => {
    queryClient.setQueryData(documentQueryOptions('d_1').queryKey, { doc, etag: '"e1"' });
    stubServer(json(200, saved, '"e2"'));
    const update = await mount(() => useUpdateDocument());
    await act(async () => update().mutate(variables));
    await settle();
    expect(queryClient.getQueryData(documentQueryOptions('d_1').queryKey)).toEqual({ doc: saved, etag: '"e2"' });
    expect(invalid(documentsQueryOptions().queryKey)).toBe(false);
    expect(invalid(documentQueryOptions('d_1').queryKey)).toBe(false);
  });

  it('a refused save marks the list and the document, and only those, for refetching', async () => {
    queryClient.setQueryData(documentQueryOptions('d_1').queryKey, { doc, etag: '"e1"' });
    queryClient.setQueryData(revisionsQueryOptions('d_1').queryKey, []);
    stubServer(problem(422, 'validation-failed'));
    const update = await mount(() => useUpdateDocument());
    await act(async () => update().mutate(variables));
    await settle();
    expect(invalid(documentsQueryOptions().queryKey)).toBe(true);
    expect(invalid(documentQueryOptions('d_1').queryKey)).toBe(true);
    expect(invalid(revisionsQueryOptions('d_1').queryKey)).toBe(false);
  });

  it('retries a 5xx eight times with a growing delay, resending the same attempt, and then gives up', async () => {
    const sent = stubServer(...Array.from({ length: 10 }, () => problem(503, 'unavailable')));
    const update = await mount(() => useUpdateDocument());
    await act(async () => update().mutate(variables));
    await settle();
    expect(sent).toHaveLength(1);
    // The first retry waits a second, not less.
    await settle(999);
    expect(sent).toHaveLength(1);
    await settle(1);
    expect(sent).toHaveLength(2);
    await settle(120_000);
    expect(sent).toHaveLength(9);
    expect(new Set(sent.map((s) => `${s.headers.get('If-Match')} ${s.headers.get('Idempotency-Key')}`))).toEqual(new Set(['"e1" k-1']));
    expect(update().error).toBeInstanceOf(ServerError);
  });

  it('a save cancels a refetch of the document started before it, so the old version cannot land after it', async () => {
    queryClient.setQueryData(documentQueryOptions('d_1').queryKey, { doc, etag: '"e1"' });
    let answerRefetch: (response: Response) => void = () => undefined;
    let answerHistory: (response: Response) => void = () => undefined;
    const sent = stubServer(
      () => new Promise<Response>((resolve) => (answerRefetch = resolve)),
      () => new Promise<Response>((resolve) => (answerHistory = resolve)),
      json(200, saved, '"e2"'),
    );
    const refetch = queryClient.fetchQuery({ ...documentQueryOptions('d_1'), staleTime: 0 }).catch(() => null);
    const history = queryClient.fetchQuery(revisionsQueryOptions('d_1')).catch(() => null);
    await settle();
    const update = await mount(() => useUpdateDocument());
    await act(async () => update().mutate(variables));
    await settle();
    answerRefetch(json(200, doc, '"e1"')());
    answerHistory(json(200, { revisions: [] })());
    await act(async () => {
      await refetch;
      await history;
    });
    await settle();
    expect(sent.map((s) => s.method)).toEqual(['GET', 'GET', 'PUT']);
    expect(queryClient.getQueryData(documentQueryOptions('d_1').queryKey)).toEqual({ doc: saved, etag: '"e2"' });
    // Only the document's own read: its history's, under a longer key, goes on.
    expect(queryClient.getQueryData(revisionsQueryOptions('d_1').queryKey)).toEqual([]);
  });
});

describe('queries that wait for their input', () => {
  it('useRevision asks for nothing until a version is chosen, then for that one', async () => {
    const sent = stubServer(json(200, doc));
    let version: number | null = null;
    const read = await mount(() => useRevision('d_1', version));
    await settle();
    expect(sent).toHaveLength(0);
    expect(read().fetchStatus).toBe('idle');
    version = 1;
    await act(async () => queryClient.invalidateQueries({ queryKey: ['docs', 'd_1', 'revisions', 1] }));
    const again = await mount(() => useRevision('d_1', version));
    await settle();
    expect(sent.map((s) => s.path)).toEqual(['/api/docs/d_1/revisions/1']);
    expect(again().data).toEqual(doc);
  });

  it('useRevisions asks only when enabled, which it is unless told', async () => {
    const sent = stubServer(json(200, { revisions: [] }));
    await mount(() => useRevisions('d_1', false));
    await settle();
    expect(sent).toHaveLength(0);
    const read = await mount(() => useRevisions('d_1'));
    await settle();
    expect(sent.map((s) => s.path)).toEqual(['/api/docs/d_1/revisions']);
    expect(read().data).toEqual([]);
  });
});

describe('the reading hooks', () => {
  it('read the document, the list, the document’s mode and its lock through their queries', async () => {
    queryClient.clear();
    const lock: LockState = { lock: null, enforced: false };
    const mode = { id: 'd_1', concurrency: 'etag', own: null };
    const rows = [summary(doc, '"e1"')];
    const sent = stubServer(json(200, doc, '"e1"'), json(200, { docs: rows }), json(200, mode), json(200, lock));
    const read = await mount(() => ({
      doc: useDocument('d_1').data,
      list: useDocuments().data,
      mode: useDocumentConcurrency('d_1').data,
      lock: useDocumentLock('d_1').data,
    }));
    await settle();
    expect(sent).toHaveLength(4);
    expect(read()).toEqual({ doc: { doc, etag: '"e1"' }, list: rows, mode, lock });
    const listed = await mount(() => useDocumentList().data);
    expect(listed()).toEqual(rows);
  });
});
