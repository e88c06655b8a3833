/**
 * Paging of `GET /api/docs/{id}/revisions` (docs/protocol.md §1.4): `?limit=N` asks for the newest
 * N versions, `&before=V` for the newest N older than version V. A page is still oldest first, like
 * the whole list, and says whether older versions remain. The store hands over the whole history
 * (lost updates are worked out on all of it); the route sends one page of it.
 */
import type { Revision, RevisionPage } from '../src/protocol/types.ts';

/** The most versions one page holds. */
export const MAX_REVISION_PAGE = 1_000;

export interface RevisionPageRequest {
  limit: number;
  /** Only versions older than this one; null for the newest. */
  before: number | null;
}

export type RevisionPageQuery = { ok: true; page: RevisionPageRequest | null } | { ok: false; parameter: string; detail: string };

const WHOLE_NUMBER = /^[1-9][0-9]{0,8}$/;

/** The paging asked for in the query string: none (the whole list), a page, or what is wrong. */
export function parseRevisionPageQuery(limit: string | undefined, before: string | undefined): RevisionPageQuery {
  if (limit === undefined && before === undefined) return { ok: true, page: null };
  if (limit === undefined) return { ok: false, parameter: 'limit', detail: 'before= needs limit= beside it (e.g. ?limit=20&before=41).' };
  if (!WHOLE_NUMBER.test(limit) || Number(limit) > MAX_REVISION_PAGE) {
    return { ok: false, parameter: 'limit', detail: `limit must be a whole number from 1 to ${MAX_REVISION_PAGE}, not "${limit}".` };
  }
  if (before !== undefined && !WHOLE_NUMBER.test(before)) {
    return { ok: false, parameter: 'before', detail: `before must be a version number (a whole number from 1), not "${before}".` };
  }
  return { ok: true, page: { limit: Number(limit), before: before === undefined ? null : Number(before) } };
}

/** One page of a history that is oldest first. */
export function revisionPage(all: readonly Revision[], { limit, before }: RevisionPageRequest): RevisionPage {
  let end = all.length;
  if (before !== null) {
    // Versions are ascending: the first at or after `before` ends the page.
    end = all.findIndex((revision) => revision.version >= before);
    if (end === -1) end = all.length;
  }
  const start = Math.max(0, end - limit);
  return { revisions: all.slice(start, end), total: all.length, more: start > 0 };
}
