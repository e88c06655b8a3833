/**
 * Server events against a cache that holds less or more than the usual: no list yet, several
 * rows, a history with an old lost update, a version shown on screen, and data that is not an
 * event at all.
 */
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Document, Revision } from '../../../protocol/types.ts';
import { documentEvent as event, summary } from '../test-support.ts';
import { applyDocumentEvent, parseDocumentEvent } from './apply-event.ts';
import { lockQueryOptions } from './document-lock.ts';
import { documentQueryOptions } from './get-document.ts';
import { documentsQueryOptions } from './get-documents.ts';
import { revisionQueryOptions } from './get-revision.ts';
import { revisionsQueryOptions } from './get-revisions.ts';

const doc: Document = { id: 'd_1', title: 'Notes', content: 'one\n', version: 1, updatedAt: '2026-11-23T10:00:00.000Z', updatedBy: 'Alice', state: 'draft' };
const revision = (version: number, over: Partial<Revision> = {}): Revision => ({
  version,
  updatedAt: doc.updatedAt,
  updatedBy: 'Alice',
  etag: `"e${version}"`,
  basedOn: version > 1 ? `"e${version - 1}"` : null,
  lost: false,
  overwrote: [],
  ...over,
});

const invalid = (queryClient: QueryClient, key: readonly unknown[]) => queryClient.getQueryState(key)?.isInvalidated ?? false;

afterEach(() => vi.unstubAllGlobals());

describe('applyDocumentEvent with little in the cache', () => {
  it('takes any event before the list has loaded', () => {
    const queryClient = new QueryClient();
    expect(() => applyDocumentEvent(queryClient, event({ type: 'deleted' }))).not.toThrow();
    expect(() => applyDocumentEvent(queryClient, event({}))).not.toThrow();
    expect(queryClient.getQueryData(documentsQueryOptions().queryKey)).toBeUndefined();
  });

  it('searches the cache for nothing when the tab holds nothing of the document, not even the list', () => {
    // An editor opened by its address, with the bot saving every second: each event costs lookups
    // by key, not a search of the whole cache.
    const queryClient = new QueryClient();
    const findAll = vi.spyOn(queryClient.getQueryCache(), 'findAll');
    applyDocumentEvent(queryClient, event({}));
    applyDocumentEvent(queryClient, event({ type: 'created', id: 'd_3', version: 1 }));
    expect(findAll).not.toHaveBeenCalled();
  });

  it('starts a history that was read empty with the event’s row, based on nothing', () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(revisionsQueryOptions('d_1').queryKey, []);
    applyDocumentEvent(queryClient, event({ version: 1, etag: '"e1"' }));
    expect(queryClient.getQueryData(revisionsQueryOptions('d_1').queryKey)).toEqual([
      { version: 1, updatedAt: '2026-11-23T10:05:00.000Z', updatedBy: 'Bob', etag: '"e1"', basedOn: null, lost: false, overwrote: [] },
    ]);
  });

  it('adds no history row for a created or deleted document', () => {
    const queryClient = new QueryClient();
    queryClient.setQueryData(revisionsQueryOptions('d_3').queryKey, []);
    applyDocumentEvent(queryClient, event({ type: 'created', id: 'd_3', version: 1, etag: '"g1"' }));
    expect(queryClient.getQueryData(revisionsQueryOptions('d_3').queryKey)).toEqual([]);
  });
});

describe('applyDocumentEvent with more in the cache', () => {
  function cache() {
    const queryClient = new QueryClient();
    queryClient.setQueryData(documentsQueryOptions().queryKey, [summary(doc, '"e1"'), summary({ ...doc, id: 'd_2', title: 'Other' }, '"f1"')]);
    return queryClient;
  }

  it('changes only the row of the event’s document', () => {
    const queryClient = cache();
    applyDocumentEvent(queryClient, event({ id: 'd_2', etag: '"f2"' }));
    expect(queryClient.getQueryData(documentsQueryOptions().queryKey)).toEqual([
      summary(doc, '"e1"'),
      { ...summary({ ...doc, id: 'd_2', title: 'Other' }, '"f2"'), version: 2, updatedBy: 'Bob', updatedAt: '2026-11-23T10:05:00.000Z' },
    ]);
  });

  it('a deleted document’s row goes, and only its own cached version is marked', () => {
    const queryClient = cache();
    queryClient.setQueryData(documentQueryOptions('d_1').queryKey, { doc, etag: '"e1"' });
    queryClient.setQueryData(lockQueryOptions('d_1').queryKey, { lock: null, enforced: false });
    applyDocumentEvent(queryClient, event({ type: 'deleted' }));
    expect(invalid(queryClient, documentQueryOptions('d_1').queryKey)).toBe(true);
    expect(invalid(queryClient, lockQueryOptions('d_1').queryKey)).toBe(false);
  });

  it('keeps a row of the same version with another tag (a reset), and reads the list again', () => {
    const queryClient = cache();
    applyDocumentEvent(queryClient, event({ version: 1, etag: '"x1"', updatedBy: 'Bob' }));
    expect(queryClient.getQueryData(documentsQueryOptions().queryKey)?.[0]).toEqual(summary(doc, '"e1"'));
    expect(invalid(queryClient, documentsQueryOptions().queryKey)).toBe(true);
  });

  it('does not mark the open document for a version it already has under another tag', () => {
    const queryClient = cache();
    queryClient.setQueryData(documentQueryOptions('d_1').queryKey, { doc: { ...doc, version: 2 }, etag: '"e2"' });
    applyDocumentEvent(queryClient, event({ version: 2, etag: '"x2"' }));
    expect(invalid(queryClient, documentQueryOptions('d_1').queryKey)).toBe(false);
  });

  it('reads the history again when any earlier save in it lost an update, not only the last', () => {
    const queryClient = cache();
    const key = revisionsQueryOptions('d_1').queryKey;
    const history = [revision(1, { lost: true }), revision(2, { overwrote: [1] }), revision(3)];
    queryClient.setQueryData(key, history);
    applyDocumentEvent(queryClient, event({ version: 4, etag: '"e4"' }));
    expect(queryClient.getQueryData(key)).toEqual(history);
    expect(invalid(queryClient, key)).toBe(true);
  });

  it('never marks the single versions, which cannot change, along with the history', () => {
    const queryClient = cache();
    queryClient.setQueryData(revisionsQueryOptions('d_1').queryKey, [revision(1)]);
    queryClient.setQueryData(revisionQueryOptions('d_1', 1).queryKey, doc);
    applyDocumentEvent(queryClient, event({ version: 2, overwrote: [1] }));
    expect(invalid(queryClient, revisionsQueryOptions('d_1').queryKey)).toBe(true);
    expect(invalid(queryClient, revisionQueryOptions('d_1', 1).queryKey)).toBe(false);

    applyDocumentEvent(queryClient, event({ version: 5, etag: '"e5"' }));
    expect(invalid(queryClient, revisionQueryOptions('d_1', 1).queryKey)).toBe(false);
  });

  it('a history on screen with a hole is not read again at once, only marked', async () => {
    const queryClient = cache();
    const fetchStub = vi.fn(async () => new Response(JSON.stringify({ revisions: [revision(1)] }), { status: 200, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchStub);
    queryClient.setQueryData(revisionsQueryOptions('d_1').queryKey, [revision(1)]);
    const observer = new QueryObserver(queryClient, { ...revisionsQueryOptions('d_1'), staleTime: Infinity });
    const unsubscribe = observer.subscribe(() => undefined);
    try {
      applyDocumentEvent(queryClient, event({ version: 3, etag: '"e3"' }));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(fetchStub).not.toHaveBeenCalled();
      expect(invalid(queryClient, revisionsQueryOptions('d_1').queryKey)).toBe(true);
    } finally {
      unsubscribe();
    }
  });
});

describe('parseDocumentEvent', () => {
  it('reads each kind of document event', () => {
    for (const type of ['created', 'updated', 'deleted'] as const) {
      expect(parseDocumentEvent(JSON.stringify(event({ type })))?.type).toBe(type);
    }
  });

  it.each([
    ['null', 'null'],
    ['a number', '5'],
    ['an id that is not text', JSON.stringify({ ...event({}), id: 7 })],
    ['no id', JSON.stringify({ ...event({}), id: undefined })],
    ['a tag that is not text', JSON.stringify({ ...event({}), etag: 2 })],
    ['no type', JSON.stringify({ ...event({}), type: undefined })],
  ])('refuses %s', (_what, data) => {
    expect(parseDocumentEvent(data)).toBeNull();
  });
});
