/**
 * What a tab reads again because its data may predate what it has just learnt. When its event
 * stream opens (`refetchReadBeforeOpening`): every document query that was read, or was being
 * read, before the opening; what is first read after it, and other features' queries, are left
 * alone. When an event arrives during a query's first read (`applyDocumentEvent`, a lock or mode
 * event, the stream's `refetch`, the end of a scenario): that query, once the read is done. Either
 * way a read on its way is let finish and then repeated, never cancelled.
 */
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentEvent } from '../test-support.ts';
import { applyDocumentEvent } from './apply-event.ts';
import { docsKeys } from './keys.ts';
import { applyConcurrencyEvent, applyLockEvent, invalidateAllDocuments, invalidateDocument, refetchReadBeforeOpening } from './cache.ts';
import { documentConcurrencyQueryOptions } from './document-concurrency.ts';
import { lockQueryOptions } from './document-lock.ts';
import { revisionPagesQueryOptions } from './get-revisions.ts';

/** A query whose reads the test answers one by one, counting them and keeping their signals. */
function scriptedQuery(key: readonly unknown[]) {
  const reads: Array<{ signal: AbortSignal; answer: (value: string) => void }> = [];
  const observer = new QueryObserver(queryClient, {
    queryKey: key,
    queryFn: ({ signal }) => new Promise<string>((resolve) => reads.push({ signal, answer: resolve })),
  });
  const unsubscribe = observer.subscribe(() => {});
  unsubscribes.push(unsubscribe);
  return { reads, data: () => queryClient.getQueryData<string>(key) };
}

let queryClient: QueryClient;
let unsubscribes: Array<() => void> = [];

beforeEach(() => {
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
});

afterEach(() => {
  for (const unsubscribe of unsubscribes) unsubscribe();
  unsubscribes = [];
  queryClient.clear();
});

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('reading again at a stream’s opening', () => {
  it('a document and the list, read before the opening, are each read once more, and the answer replaces the old one', async () => {
    const list = scriptedQuery(docsKeys.all);
    const detail = scriptedQuery(docsKeys.detail('d_1'));
    list.reads[0]?.answer('list v1');
    detail.reads[0]?.answer('d_1 v1');
    await settle();

    const opening = refetchReadBeforeOpening(queryClient);
    await settle();
    expect(list.reads).toHaveLength(2);
    expect(detail.reads).toHaveLength(2);
    list.reads[1]?.answer('list v2');
    detail.reads[1]?.answer('d_1 v2');
    await opening;
    expect(list.data()).toBe('list v2');
    expect(detail.data()).toBe('d_1 v2');
  });

  it('a read on its way at the opening is not cancelled; once it is answered it is repeated, since its answer may predate the opening', async () => {
    const detail = scriptedQuery(docsKeys.detail('d_1'));
    expect(detail.reads).toHaveLength(1);

    const opening = refetchReadBeforeOpening(queryClient);
    await settle();
    expect(detail.reads).toHaveLength(1);
    expect(detail.reads[0]?.signal.aborted).toBe(false);

    detail.reads[0]?.answer('d_1 v1, read before the opening');
    await settle();
    expect(detail.reads).toHaveLength(2);
    detail.reads[1]?.answer('d_1 v2');
    await opening;
    expect(detail.data()).toBe('d_1 v2');
    expect(detail.reads[0]?.signal.aborted).toBe(false);
  });

  it('a refetch on its way at the opening is not cancelled either, nor one that starts while the opening waits for another', async () => {
    const detail = scriptedQuery(docsKeys.detail('d_1'));
    const list = scriptedQuery(docsKeys.all);
    detail.reads[0]?.answer('d_1 v1');
    list.reads[0]?.answer('list v1');
    await settle();
    void queryClient.refetchQueries({ queryKey: docsKeys.detail('d_1'), exact: true });
    await settle();

    const opening = refetchReadBeforeOpening(queryClient);
    await settle();
    void queryClient.refetchQueries({ queryKey: docsKeys.all, exact: true });
    await settle();
    expect(detail.reads[1]?.signal.aborted).toBe(false);
    expect(list.reads).toHaveLength(2);

    detail.reads[1]?.answer('d_1 v1 again, read before the opening');
    await settle();
    expect(list.reads).toHaveLength(2);
    expect(list.reads[1]?.signal.aborted).toBe(false);
    list.reads[1]?.answer('list v2');
    detail.reads[2]?.answer('d_1 v2');
    await opening;
    expect(detail.reads).toHaveLength(3);
    expect(detail.data()).toBe('d_1 v2');
    expect(list.data()).toBe('list v2');
  });

  it('a query first read after the opening is not read again', async () => {
    const before = scriptedQuery(docsKeys.detail('d_1'));
    before.reads[0]?.answer('d_1 v1');
    await settle();

    const opening = refetchReadBeforeOpening(queryClient);
    const after = scriptedQuery(docsKeys.detail('d_2'));
    after.reads[0]?.answer('d_2 v1');
    await settle();
    before.reads[1]?.answer('d_1 v2');
    await opening;
    expect(before.reads).toHaveLength(2);
    expect(after.reads).toHaveLength(1);
    expect(after.data()).toBe('d_2 v1');
  });

  it('another feature’s query is left alone, and a document query nobody watches is only marked stale', async () => {
    const stats = scriptedQuery(['stats']);
    stats.reads[0]?.answer('3 conflicts');
    queryClient.setQueryData(docsKeys.detail('d_9'), 'd_9 v1');
    await settle();

    await refetchReadBeforeOpening(queryClient);
    expect(stats.reads).toHaveLength(1);
    expect(queryClient.getQueryState(['stats'])?.isInvalidated).toBe(false);
    expect(queryClient.getQueryState(docsKeys.detail('d_9'))?.isInvalidated).toBe(true);
    expect(queryClient.getQueryData(docsKeys.detail('d_9'))).toBe('d_9 v1');
  });
});

describe('an event during a query’s first read', () => {
  it('the document being opened is read again once its first read is answered, since that answer may predate the save', async () => {
    const detail = scriptedQuery(docsKeys.detail('d_1'));
    applyDocumentEvent(queryClient, documentEvent({ id: 'd_1', version: 2 }));
    await settle();
    expect(detail.reads).toHaveLength(1);
    expect(detail.reads[0]?.signal.aborted).toBe(false);

    detail.reads[0]?.answer('d_1 v1, read before the save');
    await settle();
    expect(detail.reads).toHaveLength(2);
    detail.reads[1]?.answer('d_1 v2');
    await settle();
    expect(detail.data()).toBe('d_1 v2');
  });

  it('so is the revision list, which cannot take the event’s row in before it has been read', async () => {
    const revisions = scriptedQuery(docsKeys.revisions('d_1'));
    applyDocumentEvent(queryClient, documentEvent({ id: 'd_1', version: 2, overwrote: [1] }));
    revisions.reads[0]?.answer('v1 only');
    await settle();
    expect(revisions.reads).toHaveLength(2);
  });

  it('and so are the History’s pages, whose newest page cannot take the row in before it has been read', async () => {
    const pages = scriptedQuery(revisionPagesQueryOptions('d_1').queryKey);
    applyDocumentEvent(queryClient, documentEvent({ id: 'd_1', version: 2 }));
    pages.reads[0]?.answer('the newest page, read before the save');
    await settle();
    expect(pages.reads).toHaveLength(2);
  });

  it('and so is the list of documents, which may have been answered before the document was made', async () => {
    const list = scriptedQuery(docsKeys.all);
    applyDocumentEvent(queryClient, documentEvent({ type: 'created', id: 'd_1', version: 1 }));
    await settle();
    expect(list.reads).toHaveLength(1);
    expect(list.reads[0]?.signal.aborted).toBe(false);
    list.reads[0]?.answer('the list, read before d_1 was made');
    await settle();
    expect(list.reads).toHaveLength(2);
    list.reads[1]?.answer('the list with d_1');
    await settle();
    expect(list.data()).toBe('the list with d_1');
  });

  it('the document is found by its own key, not by one its history’s extends', async () => {
    queryClient.setQueryData(docsKeys.revisions('d_1'), []);
    const detail = scriptedQuery(docsKeys.detail('d_1'));
    applyDocumentEvent(queryClient, documentEvent({ id: 'd_1', version: 2 }));
    detail.reads[0]?.answer('d_1 v1, read before the save');
    await settle();
    expect(detail.reads).toHaveLength(2);
  });

  it('a deleted document’s first read, and the list’s, are read again, since their answers may still hold it', async () => {
    const detail = scriptedQuery(docsKeys.detail('d_1'));
    const list = scriptedQuery(docsKeys.all);
    applyDocumentEvent(queryClient, documentEvent({ type: 'deleted', id: 'd_1', version: 2 }));
    await settle();
    expect(detail.reads).toHaveLength(1);
    expect(detail.reads[0]?.signal.aborted).toBe(false);
    detail.reads[0]?.answer('d_1 v2, read before the delete');
    list.reads[0]?.answer('the list with d_1, read before the delete');
    await settle();
    expect(detail.reads).toHaveLength(2);
    expect(list.reads).toHaveLength(2);
    detail.reads[1]?.answer('d_1 gone');
    list.reads[1]?.answer('the list without d_1');
    await settle();
    expect(detail.data()).toBe('d_1 gone');
    expect(list.data()).toBe('the list without d_1');
  });

  it('another document’s first read on its way is not repeated for the event', async () => {
    const detail = scriptedQuery(docsKeys.detail('d_1'));
    const other = scriptedQuery(docsKeys.detail('d_2'));
    applyDocumentEvent(queryClient, documentEvent({ id: 'd_1', version: 2 }));
    detail.reads[0]?.answer('d_1 v1, read before the save');
    other.reads[0]?.answer('d_2 v1');
    await settle();
    expect(detail.reads).toHaveLength(2);
    expect(other.reads).toHaveLength(1);
  });

  it('a refetch on its way of a document read already is not repeated for a version it has', async () => {
    queryClient.setQueryData(docsKeys.detail('d_1'), { doc: { version: 1 }, etag: '"e1"' });
    const detail = scriptedQuery(docsKeys.detail('d_1'));
    void queryClient.refetchQueries({ queryKey: docsKeys.detail('d_1'), exact: true });
    await settle();
    expect(detail.reads).toHaveLength(1);
    applyDocumentEvent(queryClient, documentEvent({ id: 'd_1', version: 1, etag: '"e1"' }));
    detail.reads[0]?.answer('d_1 v1');
    await settle();
    expect(detail.reads).toHaveLength(1);
  });

  it('a query with no read on its way, or another document’s, is not read for the event', async () => {
    const other = scriptedQuery(docsKeys.detail('d_2'));
    applyDocumentEvent(queryClient, documentEvent({ id: 'd_1', version: 2 }));
    other.reads[0]?.answer('d_2 v1');
    await settle();
    expect(other.reads).toHaveLength(1);
    expect(queryClient.getQueryState(docsKeys.detail('d_1'))).toBeUndefined();
  });
});

describe('a lock or mode event during the first read of what it is about', () => {
  const modeChanged = (docId: string | null) => JSON.stringify({ docId, concurrency: 'none', own: docId && 'none' });

  it('the document’s mode and lock are read again once their first reads are answered, since those answers may predate the change', async () => {
    const mode = scriptedQuery(documentConcurrencyQueryOptions('d_1').queryKey);
    const lock = scriptedQuery(lockQueryOptions('d_1').queryKey);
    expect(applyConcurrencyEvent(queryClient, modeChanged('d_1'))).toBe(true);
    await settle();
    expect(mode.reads).toHaveLength(1);
    expect(mode.reads[0]?.signal.aborted).toBe(false);

    mode.reads[0]?.answer('etag, read before the change');
    lock.reads[0]?.answer('not enforced, read before the change');
    await settle();
    expect(mode.reads).toHaveLength(2);
    expect(lock.reads).toHaveLength(2);
    mode.reads[1]?.answer('none');
    lock.reads[1]?.answer('not enforced');
    await settle();
    expect(mode.data()).toBe('none');
    expect(lock.data()).toBe('not enforced');
  });

  it('so is every document’s, when the server’s mode changed', async () => {
    const modes = [scriptedQuery(documentConcurrencyQueryOptions('d_1').queryKey), scriptedQuery(documentConcurrencyQueryOptions('d_2').queryKey)];
    applyConcurrencyEvent(queryClient, modeChanged(null));
    for (const mode of modes) mode.reads[0]?.answer('etag, read before the change');
    await settle();
    expect(modes.map((mode) => mode.reads.length)).toEqual([2, 2]);
  });

  it('and the lock, when it changed hands', async () => {
    const lock = scriptedQuery(lockQueryOptions('d_1').queryKey);
    expect(applyLockEvent(queryClient, JSON.stringify({ type: 'locked', docId: 'd_1', lock: null, previous: null, by: 'Bob' }))).toBe(true);
    lock.reads[0]?.answer('free, read before Bob took it');
    await settle();
    expect(lock.reads).toHaveLength(2);
    lock.reads[1]?.answer('held by Bob');
    await settle();
    expect(lock.data()).toBe('held by Bob');
  });

  it('a read that had an answer is refetched at once, and another document’s is left alone', async () => {
    const mode = scriptedQuery(documentConcurrencyQueryOptions('d_1').queryKey);
    const other = scriptedQuery(documentConcurrencyQueryOptions('d_2').queryKey);
    mode.reads[0]?.answer('etag');
    other.reads[0]?.answer('etag');
    await settle();
    applyConcurrencyEvent(queryClient, modeChanged('d_1'));
    await settle();
    expect(mode.reads).toHaveLength(2);
    mode.reads[1]?.answer('none');
    await settle();
    expect(mode.reads).toHaveLength(2);
    expect(mode.data()).toBe('none');
    expect(other.reads).toHaveLength(1);
  });
});

describe('everything, or one document, read again during a first read', () => {
  it('the stream’s `refetch` (events were missed) has the list, a document and its mode read again once their first reads are answered', async () => {
    const list = scriptedQuery(docsKeys.all);
    const detail = scriptedQuery(docsKeys.detail('d_1'));
    const mode = scriptedQuery(documentConcurrencyQueryOptions('d_1').queryKey);
    let done = false;
    const refetched = invalidateAllDocuments(queryClient).then(() => (done = true));
    await settle();
    expect([list, detail, mode].map((query) => query.reads.length)).toEqual([1, 1, 1]);
    expect([list, detail, mode].some((query) => query.reads[0]?.signal.aborted)).toBe(false);

    list.reads[0]?.answer('the list, read before the missed events');
    detail.reads[0]?.answer('d_1 v1, read before the missed events');
    mode.reads[0]?.answer('etag, read before the missed events');
    await settle();
    expect([list, detail, mode].map((query) => query.reads.length)).toEqual([2, 2, 2]);
    // What it returns is done only when the reads again are.
    expect(done).toBe(false);
    list.reads[1]?.answer('the list now');
    detail.reads[1]?.answer('d_1 now');
    mode.reads[1]?.answer('none');
    await refetched;
    expect([list.data(), detail.data(), mode.data()]).toEqual(['the list now', 'd_1 now', 'none']);
  });

  it('one document’s (after a scenario) has its own first reads and the list’s read again, and leaves another document’s alone', async () => {
    const list = scriptedQuery(docsKeys.all);
    const detail = scriptedQuery(docsKeys.detail('d_1'));
    const lock = scriptedQuery(lockQueryOptions('d_1').queryKey);
    const other = scriptedQuery(docsKeys.detail('d_2'));
    let done = false;
    const refetched = invalidateDocument(queryClient, 'd_1').then(() => (done = true));
    await settle();
    expect(detail.reads[0]?.signal.aborted).toBe(false);

    for (const query of [list, detail, lock]) query.reads[0]?.answer('read before the scenario');
    other.reads[0]?.answer('d_2 v1');
    await settle();
    expect([list, detail, lock, other].map((query) => query.reads.length)).toEqual([2, 2, 2, 1]);
    expect(done).toBe(false);
    for (const query of [list, detail, lock]) query.reads[1]?.answer('read after the scenario');
    await refetched;
    expect([list.data(), detail.data(), lock.data(), other.data()]).toEqual(['read after the scenario', 'read after the scenario', 'read after the scenario', 'd_2 v1']);
  });

  it('a query that had its answer is refetched once, as before', async () => {
    const detail = scriptedQuery(docsKeys.detail('d_1'));
    detail.reads[0]?.answer('d_1 v1');
    await settle();
    const refetched = invalidateAllDocuments(queryClient);
    await settle();
    expect(detail.reads).toHaveLength(2);
    detail.reads[1]?.answer('d_1 v2');
    await refetched;
    expect(detail.reads).toHaveLength(2);
    expect(detail.data()).toBe('d_1 v2');
  });
});
