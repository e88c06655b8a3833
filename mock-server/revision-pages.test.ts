/**
 * Revisions a page at a time: the pure paging, then `GET /api/docs/{id}/revisions?limit&before`
 * over real HTTP, walked to the first version and checked against the whole list.
 */
import { describe, expect, it } from 'vitest';
import type { Revision, RevisionList, RevisionPage } from '../src/protocol/types.ts';
import { MAX_REVISION_PAGE, parseRevisionPageQuery, revisionPage } from './revision-pages.ts';
import { createDoc, expectProblem, saveDoc, useTestServer } from './test-server.ts';

const row = (version: number): Revision => ({
  version,
  updatedAt: '2026-11-30T10:00:00.000Z',
  updatedBy: 'Ana',
  etag: `"v${version}"`,
  basedOn: null,
  lost: false,
  overwrote: [],
});
const history = (n: number) => Array.from({ length: n }, (_, i) => row(i + 1));
const versions = (page: RevisionPage) => page.revisions.map((r) => r.version);

describe('revisionPage', () => {
  it('gives the newest versions first, older ones before a version, oldest first within a page', () => {
    const all = history(7);
    expect(versions(revisionPage(all, { limit: 3, before: null }))).toEqual([5, 6, 7]);
    expect(revisionPage(all, { limit: 3, before: null })).toMatchObject({ total: 7, more: true });
    expect(versions(revisionPage(all, { limit: 3, before: 5 }))).toEqual([2, 3, 4]);
    const last = revisionPage(all, { limit: 3, before: 2 });
    expect(versions(last)).toEqual([1]);
    expect(last.more).toBe(false);
    expect(versions(revisionPage(all, { limit: 10, before: null }))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(revisionPage(all, { limit: 10, before: null }).more).toBe(false);
    // Before the first version: nothing, and nothing more.
    expect(revisionPage(all, { limit: 3, before: 1 })).toEqual({ revisions: [], total: 7, more: false });
    // Before a version past the newest: the newest.
    expect(versions(revisionPage(all, { limit: 2, before: 99 }))).toEqual([6, 7]);
  });

  it('pages over a history with holes by version number, not by position', () => {
    const all = [row(1), row(2), row(5), row(9)];
    expect(versions(revisionPage(all, { limit: 2, before: 9 }))).toEqual([2, 5]);
    expect(versions(revisionPage(all, { limit: 2, before: 4 }))).toEqual([1, 2]);
  });
});

describe('parseRevisionPageQuery', () => {
  it('reads limit and before, or no paging at all', () => {
    expect(parseRevisionPageQuery(undefined, undefined)).toEqual({ ok: true, page: null });
    expect(parseRevisionPageQuery('20', undefined)).toEqual({ ok: true, page: { limit: 20, before: null } });
    expect(parseRevisionPageQuery('20', '41')).toEqual({ ok: true, page: { limit: 20, before: 41 } });
    expect(parseRevisionPageQuery(String(MAX_REVISION_PAGE), '1')).toMatchObject({ ok: true });
  });

  it.each([
    ['0', undefined, 'limit'],
    ['-1', undefined, 'limit'],
    ['1.5', undefined, 'limit'],
    ['20x', undefined, 'limit'],
    [String(MAX_REVISION_PAGE + 1), undefined, 'limit'],
    ['', undefined, 'limit'],
    [undefined, '5', 'limit'],
    ['20', '0', 'before'],
    ['20', 'abc', 'before'],
    ['20', '', 'before'],
  ])('limit=%s before=%s is refused, naming %s', (limit, before, parameter) => {
    expect(parseRevisionPageQuery(limit, before)).toMatchObject({ ok: false, parameter });
  });
});

describe('GET /api/docs/{id}/revisions, paged', () => {
  const server = useTestServer();

  async function docWithVersions(count: number) {
    let { doc, etag } = await createDoc(server.url, undefined, 'v1');
    for (let v = 2; v <= count; v += 1) {
      const saved = await saveDoc(server.url, doc.id, { title: doc.title, content: `v${v}` }, etag);
      expect(saved.status).toBe(200);
      etag = saved.headers.get('etag') ?? '';
      doc = (await saved.json()) as typeof doc;
    }
    return doc;
  }

  it('walks from the newest page to the first version, following the Link header, and matches the whole list', async () => {
    const doc = await docWithVersions(12);
    const whole = (await (await fetch(`${server.url}/api/docs/${doc.id}/revisions`)).json()) as RevisionList;
    expect(whole.revisions).toHaveLength(12);
    expect(whole).not.toHaveProperty('more');

    const pages: RevisionPage[] = [];
    let next: string | null = `/api/docs/${doc.id}/revisions?limit=5`;
    while (next) {
      const response: Response = await fetch(`${server.url}${next}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as RevisionPage;
      pages.push(page);
      const link: string | null = response.headers.get('link');
      expect(link !== null).toBe(page.more);
      next = link?.match(/^<([^>]+)>; rel="next"$/)?.[1] ?? null;
    }
    expect(pages.map(versions)).toEqual([[8, 9, 10, 11, 12], [3, 4, 5, 6, 7], [1, 2]]);
    expect(pages.every((page) => page.total === 12)).toBe(true);
    expect(pages.reverse().flatMap((page) => page.revisions)).toEqual(whole.revisions);
  });

  it('refuses a bad limit or before with a 400 naming it, and still answers 404 for an unknown document', async () => {
    const doc = await docWithVersions(2);
    const bad = await expectProblem(await fetch(`${server.url}/api/docs/${doc.id}/revisions?limit=0`), 400, 'bad-request');
    expect(bad.parameter).toBe('limit');
    const badBefore = await expectProblem(await fetch(`${server.url}/api/docs/${doc.id}/revisions?limit=5&before=x`), 400, 'bad-request');
    expect(badBefore.parameter).toBe('before');
    await expectProblem(await fetch(`${server.url}/api/docs/d_unknown/revisions?limit=5`), 404, 'not-found');
  });
});
