import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Document, Revision } from '../../../protocol/types.ts';
import { documentEvent as event, summary } from '../test-support.ts';
import { applyDocumentEvent, parseDocumentEvent } from './apply-event.ts';
import { documentQueryOptions } from './get-document.ts';
import { documentsQueryOptions } from './get-documents.ts';
import { REVISION_PAGE, revisionPagesQueryOptions, revisionsQueryOptions } from './get-revisions.ts';

const revision1: Revision = { version: 1, updatedAt: '2026-11-23T10:00:00.000Z', updatedBy: 'Alice', etag: '"e1"', basedOn: null, lost: false, overwrote: [] };
const doc: Document = { id: 'd_1', title: 'Notes', content: 'one\n', version: 1, updatedAt: '2026-11-23T10:00:00.000Z', updatedBy: 'Alice', state: 'draft' };

function setup() {
  const queryClient = new QueryClient();
  queryClient.setQueryData(documentQueryOptions('d_1').queryKey, { doc, etag: '"e1"' });
  queryClient.setQueryData(documentsQueryOptions().queryKey, [summary(doc, '"e1"'), summary({ ...doc, id: 'd_2', title: 'Other' }, '"f1"')]);
  const invalid = (key: readonly unknown[]) => queryClient.getQueryState(key)?.isInvalidated ?? false;
  return { queryClient, invalid };
}

describe('applyDocumentEvent', () => {
  it('updates the list row at once and marks the list and the document for refetching', () => {
    const { queryClient, invalid } = setup();
    applyDocumentEvent(queryClient, event({}));
    const row = queryClient.getQueryData(documentsQueryOptions().queryKey)?.find((d) => d.id === 'd_1');
    expect(row).toMatchObject({ version: 2, etag: '"e2"', updatedBy: 'Bob', title: 'Notes' });
    expect(invalid(documentsQueryOptions().queryKey)).toBe(true);
    expect(invalid(documentQueryOptions('d_1').queryKey)).toBe(true);
    // The cached document itself stays until the refetch answers (a draft keeps its own base anyway).
    expect(queryClient.getQueryData(documentQueryOptions('d_1').queryKey)?.etag).toBe('"e1"');
  });

  it('writes the revision row from the event itself, without asking the server for the list', () => {
    const { queryClient, invalid } = setup();
    const revisionsKey = revisionsQueryOptions('d_1').queryKey;
    queryClient.setQueryData(revisionsKey, [revision1]);
    applyDocumentEvent(queryClient, event({}));
    applyDocumentEvent(queryClient, event({})); // the same event again (a resumed stream) adds nothing
    expect(queryClient.getQueryData(revisionsKey)).toEqual([
      revision1,
      { version: 2, updatedAt: '2026-11-23T10:05:00.000Z', updatedBy: 'Bob', etag: '"e2"', basedOn: '"e1"', lost: false, overwrote: [] },
    ]);
    expect(invalid(revisionsKey)).toBe(false);
  });

  it('reads the revision list again when a save overwrote versions unseen, or came after one', () => {
    const { queryClient, invalid } = setup();
    const revisionsKey = revisionsQueryOptions('d_1').queryKey;
    queryClient.setQueryData(revisionsKey, [revision1]);
    applyDocumentEvent(queryClient, event({ overwrote: [1] }));
    expect(queryClient.getQueryData(revisionsKey)).toEqual([revision1]);
    expect(invalid(revisionsKey)).toBe(true);

    const lossy = setup();
    lossy.queryClient.setQueryData(revisionsKey, [{ ...revision1, lost: true }]);
    applyDocumentEvent(lossy.queryClient, event({}));
    expect(lossy.queryClient.getQueryData(revisionsKey)).toHaveLength(1);
    expect(lossy.invalid(revisionsKey)).toBe(true);
  });

  it('marks the revision list stale instead of showing it with a hole when an event was missed', () => {
    const { queryClient, invalid } = setup();
    const revisionsKey = revisionsQueryOptions('d_1').queryKey;
    queryClient.setQueryData(revisionsKey, [revision1]);
    applyDocumentEvent(queryClient, event({ version: 3, etag: '"e3"' }));
    expect(queryClient.getQueryData(revisionsKey)).toHaveLength(1);
    expect(invalid(revisionsKey)).toBe(true);
  });

  it('reads the History’s pages again when a lost update shows on an older page only', () => {
    const { queryClient, invalid } = setup();
    const pagesKey = revisionPagesQueryOptions('d_1').queryKey;
    const lostOne: Revision = { ...revision1, version: 0, etag: '"e0"', lost: true };
    queryClient.setQueryData(pagesKey, {
      pages: [
        { revisions: [revision1], total: 2, more: true },
        { revisions: [lostOne], total: 2, more: false },
      ],
      pageParams: [null, 1],
    });
    applyDocumentEvent(queryClient, event({}));
    // Which versions are lost depends on the whole history: the row is not written in place.
    expect(queryClient.getQueryData(pagesKey)?.pages[0]?.revisions).toEqual([revision1]);
    expect(invalid(pagesKey)).toBe(true);
  });

  it('leaves a History with no page read alone', () => {
    const { queryClient, invalid } = setup();
    const pagesKey = revisionPagesQueryOptions('d_1').queryKey;
    queryClient.setQueryData(pagesKey, { pages: [], pageParams: [] });
    expect(() => applyDocumentEvent(queryClient, event({}))).not.toThrow();
    expect(queryClient.getQueryData(pagesKey)).toEqual({ pages: [], pageParams: [] });
    expect(invalid(pagesKey)).toBe(false);
  });

  it('adds the row to the History list’s newest page, keeping the older pages, without a request', () => {
    const { queryClient, invalid } = setup();
    const pagesKey = revisionPagesQueryOptions('d_1').queryKey;
    const older: Revision = { ...revision1, version: 0, etag: '"e0"' };
    queryClient.setQueryData(pagesKey, {
      pages: [
        { revisions: [revision1], total: 2, more: true },
        { revisions: [older], total: 2, more: false },
      ],
      pageParams: [null, 1],
    });
    applyDocumentEvent(queryClient, event({}));
    applyDocumentEvent(queryClient, event({})); // again: nothing more
    const pages = queryClient.getQueryData(pagesKey);
    expect(pages?.pages[0]).toEqual({
      revisions: [
        revision1,
        { version: 2, updatedAt: '2026-11-23T10:05:00.000Z', updatedBy: 'Bob', etag: '"e2"', basedOn: '"e1"', lost: false, overwrote: [] },
      ],
      total: 3,
      more: true,
    });
    expect(pages?.pages[1]?.revisions).toEqual([older]);
    expect(pages?.pageParams).toEqual([null, 1]);
    expect(invalid(pagesKey)).toBe(false);

    // A save that overwrote versions unseen, and a missed event: the pages are read again.
    applyDocumentEvent(queryClient, event({ version: 3, etag: '"e3"', overwrote: [2] }));
    expect(invalid(pagesKey)).toBe(true);
    const gap = setup();
    gap.queryClient.setQueryData(pagesKey, { pages: [{ revisions: [revision1], total: 1, more: false }], pageParams: [null] });
    applyDocumentEvent(gap.queryClient, event({ version: 3, etag: '"e3"' }));
    expect(gap.queryClient.getQueryData(pagesKey)?.pages[0]?.revisions).toEqual([revision1]);
    expect(gap.invalid(pagesKey)).toBe(true);
  });

  it('keeps the newest page a page long while it is the only one loaded, so an open History stays bounded', () => {
    const { queryClient } = setup();
    const pagesKey = revisionPagesQueryOptions('d_1').queryKey;
    const page = Array.from({ length: REVISION_PAGE }, (_, i) => ({ ...revision1, version: i + 1, etag: `"e${i + 1}"` }));
    queryClient.setQueryData(pagesKey, { pages: [{ revisions: page, total: REVISION_PAGE, more: false }], pageParams: [null] });
    const next = REVISION_PAGE + 1;
    applyDocumentEvent(queryClient, event({ version: next, etag: `"e${next}"` }));
    const first = queryClient.getQueryData(pagesKey)?.pages[0];
    expect(first?.revisions).toHaveLength(REVISION_PAGE);
    expect(first?.revisions.map((r) => r.version)).toEqual(Array.from({ length: REVISION_PAGE }, (_, i) => i + 2));
    // Version 1 gave way: it is there to read as the next page, before version 2.
    expect(first).toMatchObject({ total: next, more: true });
    expect(revisionPagesQueryOptions('d_1').getNextPageParam(first!, [first!], null, [null])).toBe(2);
  });

  it('lets the newest page grow past a page while older pages are loaded too, and says no more than it knew', () => {
    const { queryClient } = setup();
    const pagesKey = revisionPagesQueryOptions('d_1').queryKey;
    const page = Array.from({ length: REVISION_PAGE }, (_, i) => ({ ...revision1, version: i + 2, etag: `"e${i + 2}"` }));
    queryClient.setQueryData(pagesKey, {
      pages: [
        { revisions: page, total: REVISION_PAGE + 1, more: true },
        { revisions: [revision1], total: REVISION_PAGE + 1, more: false },
      ],
      pageParams: [null, 2],
    });
    const next = REVISION_PAGE + 2;
    applyDocumentEvent(queryClient, event({ version: next, etag: `"e${next}"` }));
    expect(queryClient.getQueryData(pagesKey)?.pages[0]?.revisions).toHaveLength(REVISION_PAGE + 1);

    // A short newest page alone, with nothing older: it grows and still has nothing older.
    const short = setup();
    short.queryClient.setQueryData(pagesKey, { pages: [{ revisions: [revision1], total: 1, more: false }], pageParams: [null] });
    short.queryClient.setQueryData(documentQueryOptions('d_2').queryKey, { doc: { ...doc, id: 'd_2' }, etag: '"f1"' });
    applyDocumentEvent(short.queryClient, event({}));
    expect(short.queryClient.getQueryData(pagesKey)?.pages[0]).toMatchObject({ total: 2, more: false });
    // A save that overwrote versions unseen has the pages read again, and nothing of another document.
    applyDocumentEvent(short.queryClient, event({ version: 3, etag: '"e3"', overwrote: [2] }));
    expect(short.invalid(pagesKey)).toBe(true);
    expect(short.invalid(documentQueryOptions('d_2').queryKey)).toBe(false);
  });

  it('changes nothing for a version the cache already has (this tab’s own save)', () => {
    const { queryClient, invalid } = setup();
    applyDocumentEvent(queryClient, event({ version: 1, etag: '"e1"' }));
    expect(invalid(documentsQueryOptions().queryKey)).toBe(false);
    expect(invalid(documentQueryOptions('d_1').queryKey)).toBe(false);
  });

  it('never moves a list row back to an older version', () => {
    const { queryClient } = setup();
    applyDocumentEvent(queryClient, event({ version: 3, etag: '"e3"' }));
    applyDocumentEvent(queryClient, event({ version: 2, etag: '"e2"' }));
    expect(queryClient.getQueryData(documentsQueryOptions().queryKey)?.find((d) => d.id === 'd_1')?.version).toBe(3);
  });

  it('drops a deleted document from the list and marks the open one for refetching (a 410 then)', () => {
    const { queryClient, invalid } = setup();
    applyDocumentEvent(queryClient, event({ type: 'deleted' }));
    expect(queryClient.getQueryData(documentsQueryOptions().queryKey)?.map((d) => d.id)).toEqual(['d_2']);
    expect(invalid(documentQueryOptions('d_1').queryKey)).toBe(true);
  });

  it('refetches the list for a document it has not seen', () => {
    const { queryClient, invalid } = setup();
    applyDocumentEvent(queryClient, event({ type: 'created', id: 'd_3', version: 1, etag: '"g1"' }));
    expect(invalid(documentsQueryOptions().queryKey)).toBe(true);
    expect(queryClient.getQueryData(documentsQueryOptions().queryKey)).toHaveLength(2);
  });
});

describe('parseDocumentEvent', () => {
  it('reads a document event and refuses anything else', () => {
    expect(parseDocumentEvent(JSON.stringify(event({})))).toMatchObject({ type: 'updated', id: 'd_1' });
    expect(parseDocumentEvent('not json')).toBeNull();
    expect(parseDocumentEvent('{"docs":{}}')).toBeNull();
    expect(parseDocumentEvent(JSON.stringify({ ...event({}), type: 'renamed' }))).toBeNull();
    expect(parseDocumentEvent(JSON.stringify({ ...event({}), version: '2' }))).toBeNull();
  });
});
