/**
 * What a tab reads again because its data may predate what it has just learnt. When its event
 * stream opens (`refetchReadBeforeOpening`): every document query that was read, or was being
 * read, before the opening; what is first read after it, and other features' queries, are left
 * alone. When an event arrives during a query's first read (`applyDocumentEvent`): that query,
 * once the read is done. Either way a read on its way is let finish and then repeated, never
 * cancelled.
 */
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentEvent } from '../test-support.ts';
import { applyDocumentEvent } from './apply-event.ts';
import { docsKeys } from './keys.ts';
import { refetchReadBeforeOpening } from './cache.ts';
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

  it('a query with no read on its way, or another document’s, is not read for the event', async () => {
    const other = scriptedQuery(docsKeys.detail('d_2'));
    applyDocumentEvent(queryClient, documentEvent({ id: 'd_1', version: 2 }));
    other.reads[0]?.answer('d_2 v1');
    await settle();
    expect(other.reads).toHaveLength(1);
    expect(queryClient.getQueryState(docsKeys.detail('d_1'))).toBeUndefined();
  });
});
