// @vitest-environment happy-dom
/**
 * What each change marks for refetching, and what it leaves alone: a create, a delete or a lock
 * asks again for its own queries only, never for another document's or another feature's.
 */
import { QueryClient } from '@tanstack/react-query';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setUserProvider } from '../../../lib/api-client.ts';
import type { Document, Revision } from '../../../protocol/types.ts';
import { mountHook, summary } from '../test-support.ts';
import { applyDocumentEvent } from './apply-event.ts';
import { invalidateAllDocuments } from './cache.ts';
import { useCreateDocument } from './create-document.ts';
import { useDeleteDocument } from './delete-document.ts';
import { lockQueryOptions, useLockMutation } from './document-lock.ts';
import { documentQueryOptions } from './get-document.ts';
import { documentsQueryOptions } from './get-documents.ts';
import { fetchRevision, fetchRevisionPage, revisionsQueryOptions } from './get-revisions.ts';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const doc: Document = { id: 'd_1', title: 'Notes', content: 'one\n', version: 1, updatedAt: '2026-11-30T10:00:00.000Z', updatedBy: 'Alice', state: 'draft' };
const other: Document = { ...doc, id: 'd_2', title: 'Other' };
const unrelatedKey = ['stats', 'window', 5] as const;

let queryClient: QueryClient;
let unmounts: Array<() => Promise<void>> = [];

function answer(status: number, body: unknown, etag?: string) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () =>
      body === null
        ? new Response(null, { status })
        : new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...(etag ? { ETag: etag } : {}) } }),
    ),
  );
}

const mount = <T>(hook: () => T) => mountHook(queryClient, hook, unmounts);

const invalid = (key: readonly unknown[]) => queryClient.getQueryState(key)?.isInvalidated ?? false;

beforeEach(() => {
  setUserProvider(() => 'Alice');
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  queryClient.setQueryData(documentsQueryOptions().queryKey, [summary(doc, '"e1"'), summary(other, '"f1"')]);
  queryClient.setQueryData(documentQueryOptions('d_1').queryKey, { doc, etag: '"e1"' });
  queryClient.setQueryData(documentQueryOptions('d_2').queryKey, { doc: other, etag: '"f1"' });
  queryClient.setQueryData(unrelatedKey, { conflicts: 3 });
});

afterEach(async () => {
  for (const unmount of unmounts) await unmount();
  unmounts = [];
  queryClient.clear();
  vi.unstubAllGlobals();
});

describe('what a change marks for refetching', () => {
  it('a create: the list, not the document it just put in the cache, nor anything else', async () => {
    answer(201, { ...doc, id: 'd_3' }, '"g1"');
    const create = await mount(() => useCreateDocument());
    await act(async () => create().mutate({ title: 'New' }));
    await vi.waitFor(() => expect(create().isSuccess).toBe(true));
    expect(invalid(documentsQueryOptions().queryKey)).toBe(true);
    expect(invalid(documentQueryOptions('d_3').queryKey)).toBe(false);
    expect(invalid(documentQueryOptions('d_2').queryKey)).toBe(false);
    expect(invalid(unrelatedKey)).toBe(false);
  });

  it('a delete: the list, not the other documents', async () => {
    answer(204, null);
    const remove = await mount(() => useDeleteDocument());
    await act(async () => remove().mutate({ id: 'd_1', ifMatch: '"e1"' }));
    await vi.waitFor(() => expect(remove().isSuccess).toBe(true));
    expect(invalid(documentsQueryOptions().queryKey)).toBe(true);
    expect(invalid(documentQueryOptions('d_2').queryKey)).toBe(false);
    expect(invalid(unrelatedKey)).toBe(false);
  });

  it('a lock: that document’s lock, not the document nor anything else', async () => {
    answer(200, { lock: null, enforced: false });
    const lock = await mount(() => useLockMutation('d_1'));
    await act(async () => lock().mutate({}));
    await vi.waitFor(() => expect(lock().isSuccess).toBe(true));
    expect(invalid(lockQueryOptions('d_1').queryKey)).toBe(true);
    expect(invalid(documentQueryOptions('d_1').queryKey)).toBe(false);
    expect(invalid(unrelatedKey)).toBe(false);
  });

  it('reading everything again covers every document and nothing of other features', async () => {
    await invalidateAllDocuments(queryClient);
    expect(invalid(documentQueryOptions('d_2').queryKey)).toBe(true);
    expect(invalid(unrelatedKey)).toBe(false);
  });
});

describe('events against a fuller cache', () => {
  it('finds the event’s own row, not the first one', () => {
    queryClient.setQueryData(documentsQueryOptions().queryKey, [summary({ ...doc, version: 5 }, '"e5"'), summary(other, '"f1"')]);
    applyDocumentEvent(queryClient, { type: 'updated', id: 'd_2', version: 2, etag: '"f2"', updatedBy: 'Bob', updatedAt: doc.updatedAt });
    expect(queryClient.getQueryData(documentsQueryOptions().queryKey)?.map((d) => [d.id, d.version])).toEqual([
      ['d_1', 5],
      ['d_2', 2],
    ]);
  });

  it('reads the history again after a save that overwrote versions, lost or not', () => {
    const rev = (version: number, overwrote: number[]): Revision => ({
      version,
      updatedAt: doc.updatedAt,
      updatedBy: 'Alice',
      etag: `"e${version}"`,
      basedOn: null,
      lost: false,
      overwrote,
    });
    const key = revisionsQueryOptions('d_1').queryKey;
    queryClient.setQueryData(key, [rev(1, []), rev(2, [1])]);
    applyDocumentEvent(queryClient, { type: 'updated', id: 'd_1', version: 3, etag: '"e3"', updatedBy: 'Bob', updatedAt: doc.updatedAt });
    expect(queryClient.getQueryData(key)).toHaveLength(2);
    expect(invalid(key)).toBe(true);
  });
});

describe('fetchRevision', () => {
  it('passes the caller’s signal on', async () => {
    const fetchStub = vi.fn(async (_path: string, _init?: RequestInit) => new Response(JSON.stringify(doc), { status: 200 }));
    vi.stubGlobal('fetch', fetchStub);
    const signal = new AbortController().signal;
    await fetchRevision('d_1', 1, signal);
    expect(fetchStub.mock.calls[0]?.[1]?.signal).toBe(signal);
  });
});

describe('fetchRevisionPage', () => {
  it('passes the caller’s signal on', async () => {
    const fetchStub = vi.fn(async (_path: string, _init?: RequestInit) => new Response(JSON.stringify({ revisions: [], total: 0, more: false }), { status: 200 }));
    vi.stubGlobal('fetch', fetchStub);
    const signal = new AbortController().signal;
    await fetchRevisionPage('d_1', 21, signal);
    expect(fetchStub.mock.calls[0]?.[1]?.signal).toBe(signal);
  });
});
