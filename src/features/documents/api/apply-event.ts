import type { QueryClient } from '@tanstack/react-query';
import type { DocumentEvent, Revision } from '../../../protocol/types.ts';
import { documentQueryOptions } from './get-document.ts';
import { documentsQueryOptions } from './get-documents.ts';
import { REVISION_PAGE, revisionPagesQueryOptions, revisionsQueryOptions } from './get-revisions.ts';
import { readAgainIfFirstReadOnItsWay } from './read-again.ts';

/**
 * Brings the cache up to date with one server event, at the cost of at most one request per
 * event: the list row and the revision list change at once from the event itself (version,
 * author, time, ETag); what the event does not carry (a new title, the content) is refetched, and
 * only by a query on screen (`invalidateQueries` refetches active queries, and only marks the
 * others stale). With the bot saving every second for an hour, a tab showing the editor asks for
 * the document once per save and never for the revision list. An event for a version the cache
 * already has (our own save) changes nothing. Drafts are not touched: they keep their own base.
 * A tab that never read the list (an editor opened by its address) leaves it out altogether.
 */
export function applyDocumentEvent(queryClient: QueryClient, event: DocumentEvent): void {
  const listKey = documentsQueryOptions().queryKey;
  const cachedDetail = queryClient.getQueryData(documentQueryOptions(event.id).queryKey);
  // Whether this tab has the list at all (read, being read, or read before and kept).
  const hasList = queryClient.getQueryState(listKey) !== undefined;
  const list = queryClient.getQueryData(listKey);

  if (event.type === 'deleted') {
    queryClient.setQueryData(listKey, (docs) => docs?.filter((d) => d.id !== event.id));
    // An open editor learns of it from the refetch (410) and offers to save the text as new.
    void queryClient.invalidateQueries({ queryKey: documentQueryOptions(event.id).queryKey, exact: true });
    // Being read for the first time, the document and the list cannot drop it yet, and their
    // answers may predate the delete.
    void readAgainIfFirstReadOnItsWay(queryClient, documentQueryOptions(event.id).queryKey);
    void readAgainIfFirstReadOnItsWay(queryClient, listKey);
    return;
  }

  if (event.type === 'updated') appendRevision(queryClient, event);

  const listed = list?.find((d) => d.id === event.id);
  if (hasList && (!listed || listed.etag !== event.etag)) {
    if (listed && event.version > listed.version) {
      const { version, etag, updatedBy, updatedAt } = event;
      // Stryker disable next-line OptionalChaining: the list was read and the row found in it just before, synchronously.
      queryClient.setQueryData(listKey, (docs) => docs?.map((d) => (d.id === event.id ? { ...d, version, etag, updatedBy, updatedAt } : d)));
    }
    void queryClient.invalidateQueries({ queryKey: listKey, exact: true });
    // The list being read for the first time: its answer may predate this event.
    void readAgainIfFirstReadOnItsWay(queryClient, listKey);
  }
  // A newer version has another tag (a tag names one version): the version alone tells.
  if (cachedDetail && event.version > cachedDetail.doc.version) {
    // Exact: the key is a prefix of the revisions', which the event has just brought up to date.
    void queryClient.invalidateQueries({ queryKey: documentQueryOptions(event.id).queryKey, exact: true });
  } else {
    // The document being opened: its first read may have been answered before this save (one
    // already read, or not being read, is left as it is).
    void readAgainIfFirstReadOnItsWay(queryClient, documentQueryOptions(event.id).queryKey);
  }
}

/**
 * What an `updated` event means for a revision list whose newest row is `newest`: the row to add
 * (told from the version before it, for a save that overwrote nothing unseen), or why not: the
 * list has it already; the list is to be read again (a save that overwrote versions unseen, or one
 * after such a save: which versions are lost depends on the whole history, docs/protocol.md
 * §1.11); or there is a gap (an event was missed).
 */
export function nextRevision(newest: Revision | undefined, lossesKnown: boolean, event: DocumentEvent): Revision | 'known' | 'reread' | 'gap' {
  const { version, updatedAt, updatedBy, etag } = event;
  if (newest && newest.version >= version) return 'known';
  if ((event.overwrote?.length ?? 0) > 0 || lossesKnown) return 'reread';
  if (newest && newest.version !== version - 1) return 'gap';
  return { version, updatedAt, updatedBy, etag, basedOn: newest?.etag ?? null, lost: false, overwrote: [] };
}

const hasLosses = (revisions: readonly Revision[]) => revisions.some((r) => r.lost || r.overwrote.length > 0);

/** The event is the revision list's next row: written in place, refetched only where updates were lost. */
function appendRevision(queryClient: QueryClient, event: DocumentEvent): void {
  const key = revisionsQueryOptions(event.id).queryKey;
  const revisions = queryClient.getQueryData(key);
  if (revisions) {
    const next = nextRevision(revisions[revisions.length - 1], hasLosses(revisions), event);
    // Read again now, for whoever shows it (the lost-update notice does); after a gap, when next
    // shown, rather than shown with a hole.
    if (next === 'reread') void queryClient.invalidateQueries({ queryKey: key, exact: true });
    else if (next === 'gap') void queryClient.invalidateQueries({ queryKey: key, exact: true, refetchType: 'none' });
    else if (next !== 'known') queryClient.setQueryData(key, [...revisions, next]);
  } else {
    void readAgainIfFirstReadOnItsWay(queryClient, key);
  }

  // The History list's pages: the row joins the newest page (the one read without `before`).
  const pagesKey = revisionPagesQueryOptions(event.id).queryKey;
  const pages = queryClient.getQueryData(pagesKey);
  const first = pages?.pages[0];
  void readAgainIfFirstReadOnItsWay(queryClient, pagesKey);
  if (!pages || !first) return;
  const next = nextRevision(first.revisions[first.revisions.length - 1], pages.pages.some((page) => hasLosses(page.revisions)), event);
  // Stryker disable next-line BooleanLiteral: no query key extends the pages', so a match by prefix finds the same one query.
  if (next === 'reread' || next === 'gap') void queryClient.invalidateQueries({ queryKey: pagesKey, exact: true });
  else if (next !== 'known') {
    // While only the newest page is loaded it stays a page long: the oldest row gives way (and is
    // read again as the next page's first, which starts before the new oldest), so a History left
    // open for an hour holds one page, not an hour of rows.
    const grown = [...first.revisions, next];
    const alone = pages.pages.length === 1;
    const revisions = alone ? grown.slice(-REVISION_PAGE) : grown;
    const more = first.more || revisions.length < grown.length;
    queryClient.setQueryData(pagesKey, {
      ...pages,
      pages: [{ ...first, revisions, total: first.total + 1, more }, ...pages.pages.slice(1)],
    });
  }
}

/** The event data, or null when it is not one (a stream shared with other event kinds). */
export function parseDocumentEvent(data: string): DocumentEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  }
  // Stryker disable next-line BlockStatement: value stays undefined, which the object check below refuses the same way.
  catch {
    return null;
  }
  // Fields are read only from an object (not null, not a primitive).
  if (!(value instanceof Object)) return null;
  const event = value as Partial<DocumentEvent>;
  if (event.type !== 'created' && event.type !== 'updated' && event.type !== 'deleted') return null;
  if (typeof event.id !== 'string' || typeof event.version !== 'number' || typeof event.etag !== 'string') return null;
  return event as DocumentEvent;
}
