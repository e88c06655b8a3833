/**
 * The documents feature's requests, one function at a time, with `fetch` stubbed: the method, the
 * path, the conditional headers and the body each sends, and what each makes of the answer.
 */
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setUserProvider } from '../../../lib/api-client.ts';
import { NetworkError, ProblemError } from '../../../lib/api-errors.ts';
import type { LockState } from '../../../protocol/concurrency.ts';
import type { Document, Revision } from '../../../protocol/types.ts';
import { jsonResponse, scriptedServer, summary } from '../test-support.ts';
import type { Answer } from '../test-support.ts';
import { applyConcurrencyEvent, applyLockEvent, applyServerEvent, invalidateAllDocuments, invalidateDocument, replaceDocumentList, writeDocument } from './cache.ts';
import { createDocument, newDocumentId } from './create-document.ts';
import { deleteDocument } from './delete-document.ts';
import { documentConcurrencyQueryOptions } from './document-concurrency.ts';
import { lockEventDocument, lockPollInterval, lockQueryOptions } from './document-lock.ts';
import { documentQueryOptions, fetchDocument } from './get-document.ts';
import { documentsQueryOptions, fetchDocuments } from './get-documents.ts';
import { fetchRevision as fetchOneRevision, revisionQueryOptions } from './get-revision.ts';
import { fetchRevision, fetchRevisions, revisionsQueryOptions } from './get-revisions.ts';
import { reportOutcome } from './report-outcome.ts';
import { transitionDocument } from './transition-document.ts';
import { updateDocument } from './update-document.ts';
import { writeDocumentToCache } from './write-cache.ts';

/** A scripted server: each request takes the next answer; a request with none left fails the test. */
const stubServer = (...answers: Answer[]) => scriptedServer(answers);
const json = (status: number, body: unknown, etag?: string) => () => jsonResponse(status, body, etag);
const noContent = () => () => new Response(null, { status: 204 });
const problem = (status: number, slug: string) => json(status, { type: `/problems/${slug}`, title: slug, status, detail: `A ${slug}.` });

const doc: Document = { id: 'd_1', title: 'Notes', content: 'one\n', version: 1, updatedAt: '2026-11-30T10:00:00.000Z', updatedBy: 'Alice', state: 'draft' };

beforeEach(() => setUserProvider(() => 'Alice'));
afterEach(() => vi.unstubAllGlobals());

describe('createDocument', () => {
  it('puts the document under the client’s id, only where there is none, and hands back its ETag', async () => {
    const sent = stubServer(json(201, doc, '"e1"'));
    await expect(createDocument({ title: 'Notes', content: 'one\n' }, 'd_1')).resolves.toEqual({ doc, etag: '"e1"' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ path: '/api/docs/d_1', method: 'PUT', body: { title: 'Notes', content: 'one\n' } });
    expect(sent[0]?.headers.get('If-None-Match')).toBe('*');
    expect(sent[0]?.headers.get('X-User')).toBe('Alice');
  });

  it('refuses an answer without an ETag, which no later save could be conditional on', async () => {
    stubServer(json(201, doc));
    await expect(createDocument({ title: 'Notes' }, 'd_1')).rejects.toThrow('The server created a document without an ETag.');
  });

  it('takes a 412 on a repeated create as its own earlier attempt, and reads that document', async () => {
    const sent = stubServer(problem(412, 'precondition-failed'), json(200, doc, '"e1"'));
    await expect(createDocument({ title: 'Notes' }, 'd_1', true)).resolves.toEqual({ doc, etag: '"e1"' });
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual(['PUT /api/docs/d_1', 'GET /api/docs/d_1']);
  });

  it('passes a 412 on a first attempt on as it is: someone else holds that id', async () => {
    const sent = stubServer(problem(412, 'precondition-failed'));
    const error = await createDocument({ title: 'Notes' }, 'd_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).problem.type).toBe('/problems/precondition-failed');
    expect(sent).toHaveLength(1);
  });

  it('passes any other refusal of a repeated create on, without reading anything', async () => {
    const sent = stubServer(problem(409, 'duplicate-title'));
    const error = await createDocument({ title: 'Notes' }, 'd_1', true).catch((e: unknown) => e);
    expect((error as ProblemError).problem.type).toBe('/problems/duplicate-title');
    expect(sent).toHaveLength(1);
  });

  it('passes a network error of a repeated create on', async () => {
    vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(createDocument({ title: 'Notes' }, 'd_1', true)).rejects.toBeInstanceOf(NetworkError);
  });
});

describe('newDocumentId', () => {
  it('makes a fresh 64-bit id each time, in the server’s id format', () => {
    const ids = Array.from({ length: 50 }, () => newDocumentId());
    for (const id of ids) expect(id).toMatch(/^d_[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('updateDocument', () => {
  const variables = { id: 'd_1', title: 'Notes', content: 'two\n', ifMatch: '"e1"', idempotencyKey: 'k-1' };

  it('puts the text with the If-Match and the Idempotency-Key it was given, and no resolution header', async () => {
    const saved = { ...doc, content: 'two\n', version: 2 };
    const sent = stubServer(json(200, saved, '"e2"'));
    await expect(updateDocument(variables)).resolves.toEqual({ doc: saved, etag: '"e2"' });
    expect(sent[0]).toMatchObject({ path: '/api/docs/d_1', method: 'PUT', body: { title: 'Notes', content: 'two\n' } });
    expect(sent[0]?.headers.get('If-Match')).toBe('"e1"');
    expect(sent[0]?.headers.get('Idempotency-Key')).toBe('k-1');
    expect(sent[0]?.headers.has('Conflict-Resolution')).toBe(false);
  });

  it('names the dialog’s choice in Conflict-Resolution when the save carries one', async () => {
    const sent = stubServer(json(200, { ...doc, version: 2 }, '"e2"'));
    await updateDocument({ ...variables, resolution: 'merge' });
    expect(sent[0]?.headers.get('Conflict-Resolution')).toBe('merge');
  });

  it('refuses a 200 without an ETag, so the next save cannot go out unconditional', async () => {
    stubServer(json(200, { ...doc, version: 2 }));
    await expect(updateDocument(variables)).rejects.toThrow('The server saved the document but sent no ETag.');
  });
});

describe('deleteDocument', () => {
  it('deletes with the If-Match it was given, saying JSON though there is no body', async () => {
    const sent = stubServer(noContent());
    await expect(deleteDocument({ id: 'd 1/x', ifMatch: '"e3"' })).resolves.toBeUndefined();
    expect(sent[0]).toMatchObject({ path: '/api/docs/d%201%2Fx', method: 'DELETE' });
    expect(sent[0]?.headers.get('If-Match')).toBe('"e3"');
    expect(sent[0]?.headers.get('Content-Type')).toBe('application/json');
  });

  it('passes the server’s refusal on', async () => {
    stubServer(problem(409, 'edit-conflict'));
    await expect(deleteDocument({ id: 'd_1', ifMatch: '"e1"' })).rejects.toBeInstanceOf(ProblemError);
  });
});

describe('transitionDocument', () => {
  it('posts the new state with the If-Match of the version the user saw, and hands back the new ETag', async () => {
    const published: Document = { ...doc, version: 2, state: 'published' };
    const sent = stubServer(json(200, published, '"e2"'));
    await expect(transitionDocument({ id: 'd_1', to: 'published', etag: '"e1"' })).resolves.toEqual({ doc: published, etag: '"e2"' });
    expect(sent[0]).toMatchObject({ path: '/api/docs/d_1/transitions', method: 'POST', body: { to: 'published' } });
    expect(sent[0]?.headers.get('If-Match')).toBe('"e1"');
  });

  it('refuses an answer without an ETag', async () => {
    stubServer(json(200, { ...doc, state: 'published' }));
    await expect(transitionDocument({ id: 'd_1', to: 'published', etag: '"e1"' })).rejects.toThrow('The server sent a document without an ETag.');
  });
});

describe('reads', () => {
  it('fetchDocument: the document with the ETag it was served with, the caller’s signal passed on', async () => {
    const sent = stubServer(json(200, doc, '"e1"'));
    const signal = new AbortController().signal;
    await expect(fetchDocument('d_1', signal)).resolves.toEqual({ doc, etag: '"e1"' });
    expect(sent[0]).toMatchObject({ path: '/api/docs/d_1', method: 'GET', signal });
    expect(sent[0]?.headers.has('If-Match')).toBe(false);
  });

  it('fetchDocument: a document without an ETag is refused', async () => {
    stubServer(json(200, doc));
    await expect(fetchDocument('d_1')).rejects.toThrow('The server sent a document without an ETag.');
  });

  it('fetchDocuments: the list’s rows', async () => {
    const rows = [summary(doc, '"e1"')];
    const sent = stubServer(json(200, { docs: rows }));
    await expect(fetchDocuments()).resolves.toEqual(rows);
    expect(sent[0]?.path).toBe('/api/docs');
  });

  it('fetchRevisions and fetchRevision: the history, and one version as it was', async () => {
    const revisions: Revision[] = [{ version: 1, updatedAt: doc.updatedAt, updatedBy: 'Alice', etag: '"e1"', basedOn: null, lost: false, overwrote: [] }];
    const sent = stubServer(json(200, { revisions }), json(200, doc), json(200, doc));
    await expect(fetchRevisions('d_1')).resolves.toEqual(revisions);
    await expect(fetchRevision('d_1', 1)).resolves.toEqual(doc);
    await expect(fetchOneRevision('d_1', 1)).resolves.toEqual(doc);
    expect(sent.map((s) => s.path)).toEqual(['/api/docs/d_1/revisions', '/api/docs/d_1/revisions/1', '/api/docs/d_1/revisions/1']);
  });

  it('the query options read through those functions, under keys one invalidation of a document covers', async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const lock: LockState = { lock: null, enforced: false };
    const sent = stubServer(
      json(200, doc, '"e1"'),
      json(200, { docs: [summary(doc, '"e1"')] }),
      json(200, { revisions: [] }),
      json(200, doc),
      json(200, { id: 'd_1', concurrency: 'etag', own: null }),
      json(200, lock),
    );
    await expect(queryClient.fetchQuery(documentQueryOptions('d_1'))).resolves.toEqual({ doc, etag: '"e1"' });
    await expect(queryClient.fetchQuery(documentsQueryOptions())).resolves.toHaveLength(1);
    await expect(queryClient.fetchQuery(revisionsQueryOptions('d_1'))).resolves.toEqual([]);
    await expect(queryClient.fetchQuery(revisionQueryOptions('d_1', 1))).resolves.toEqual(doc);
    await expect(queryClient.fetchQuery(documentConcurrencyQueryOptions('d_1'))).resolves.toEqual({ id: 'd_1', concurrency: 'etag', own: null });
    await expect(queryClient.fetchQuery(lockQueryOptions('d_1'))).resolves.toEqual(lock);
    expect(sent.map((s) => s.path)).toEqual([
      '/api/docs/d_1',
      '/api/docs',
      '/api/docs/d_1/revisions',
      '/api/docs/d_1/revisions/1',
      '/api/docs/d_1/concurrency',
      '/api/docs/d_1/lock',
    ]);
    // Each query's own signal goes with its request, so leaving the page cancels it.
    for (const request of sent) expect(request.signal).toBeInstanceOf(AbortSignal);

    await queryClient.invalidateQueries({ queryKey: documentQueryOptions('d_1').queryKey });
    const stale = queryClient
      .getQueryCache()
      .getAll()
      .filter((q) => q.state.isInvalidated)
      .map((q) => JSON.stringify(q.queryKey));
    expect(stale.sort()).toEqual(
      ['["docs","d_1"]', '["docs","d_1","revisions"]', '["docs","d_1","revisions",1]', '["docs","d_1","concurrency"]', '["docs","d_1","lock"]'].sort(),
    );
  });

  it('a saved version never changes, so it is fetched once; a lease runs out unannounced, so it is polled while there is one', () => {
    expect(revisionQueryOptions('d_1', 3).staleTime).toBe(Infinity);
    // The interval is read from the lock the query holds (lockPollInterval; lock-polling.test.ts runs it on a clock).
    expect(typeof lockQueryOptions('d_1').refetchInterval).toBe('function');
    const lease = { docId: 'd_1', holder: 'Bob', token: 't', since: '2026-11-30T10:00:00.000Z', expires: '2026-11-30T10:01:00.000Z' };
    expect(lockPollInterval({ lock: null, enforced: true })).toBe(false);
    expect(lockPollInterval({ lock: lease, enforced: true })).toBe(15_000);
  });
});

describe('lockEventDocument', () => {
  it('reads the document of a lock event and nothing else', () => {
    expect(lockEventDocument(JSON.stringify({ type: 'locked', docId: 'd_1', lock: null, previous: null, by: 'Bob' }))).toBe('d_1');
    expect(lockEventDocument('not json')).toBeNull();
    expect(lockEventDocument('null')).toBeNull();
    expect(lockEventDocument(JSON.stringify({ docId: 7 }))).toBeNull();
  });
});

describe('reportOutcome', () => {
  it('posts the choice that saved nothing, for the statistics', async () => {
    const sent = stubServer(noContent());
    reportOutcome('d_1', 'discard');
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ path: '/api/stats/outcomes', method: 'POST', body: { docId: 'd_1', outcome: 'discard' } });
  });

  it('swallows a failed report: a lost count must not become an error on the page', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const sent = stubServer(problem(500, 'internal'));
      reportOutcome('d_1', 'cancel');
      await vi.waitFor(() => expect(sent).toHaveLength(1));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

describe('the cache', () => {
  function cacheWithList() {
    const queryClient = new QueryClient();
    queryClient.setQueryData(documentsQueryOptions().queryKey, [summary(doc, '"e1"'), summary({ ...doc, id: 'd_2', title: 'Other' }, '"f1"')]);
    return queryClient;
  }
  const list = (queryClient: QueryClient) => queryClient.getQueryData(documentsQueryOptions().queryKey);
  const invalid = (queryClient: QueryClient, key: readonly unknown[]) => queryClient.getQueryState(key)?.isInvalidated ?? false;

  it('writeDocumentToCache puts the answer in the detail and replaces its list row, content left out', () => {
    const queryClient = cacheWithList();
    const saved = { ...doc, title: 'Renamed', version: 2 };
    writeDocumentToCache(queryClient, { doc: saved, etag: '"e2"' });
    expect(queryClient.getQueryData(documentQueryOptions('d_1').queryKey)).toEqual({ doc: saved, etag: '"e2"' });
    expect(list(queryClient)).toEqual([summary(saved, '"e2"'), summary({ ...doc, id: 'd_2', title: 'Other' }, '"f1"')]);
    expect(list(queryClient)?.[0]).not.toHaveProperty('content');
  });

  it('writeDocumentToCache adds a new document to the end of the list, and makes no list where there was none', () => {
    const queryClient = cacheWithList();
    const created = { ...doc, id: 'd_3', title: 'New' };
    writeDocument(queryClient, { doc: created, etag: '"g1"' });
    expect(list(queryClient)?.map((d) => d.id)).toEqual(['d_1', 'd_2', 'd_3']);

    const empty = new QueryClient();
    writeDocument(empty, { doc: created, etag: '"g1"' });
    expect(list(empty)).toBeUndefined();
    expect(empty.getQueryData(documentQueryOptions('d_3').queryKey)?.etag).toBe('"g1"');
  });

  it('replaceDocumentList puts the server’s whole list in place', () => {
    const queryClient = cacheWithList();
    const rows = [summary({ ...doc, id: 'd_9' }, '"h1"')];
    replaceDocumentList(queryClient, rows);
    expect(list(queryClient)).toEqual(rows);
  });

  it('invalidateDocument marks the list, the document and its revisions, and no other document', async () => {
    const queryClient = cacheWithList();
    queryClient.setQueryData(documentQueryOptions('d_1').queryKey, { doc, etag: '"e1"' });
    queryClient.setQueryData(revisionsQueryOptions('d_1').queryKey, []);
    queryClient.setQueryData(documentQueryOptions('d_2').queryKey, { doc: { ...doc, id: 'd_2' }, etag: '"f1"' });
    await invalidateDocument(queryClient, 'd_1');
    expect(invalid(queryClient, documentsQueryOptions().queryKey)).toBe(true);
    expect(invalid(queryClient, documentQueryOptions('d_1').queryKey)).toBe(true);
    expect(invalid(queryClient, revisionsQueryOptions('d_1').queryKey)).toBe(true);
    expect(invalid(queryClient, documentQueryOptions('d_2').queryKey)).toBe(false);
    await invalidateAllDocuments(queryClient);
    expect(invalid(queryClient, documentQueryOptions('d_2').queryKey)).toBe(true);
  });

  it('applyServerEvent applies a document event and says whether the data was one', () => {
    const queryClient = cacheWithList();
    const event = { type: 'updated', id: 'd_1', version: 2, etag: '"e2"', updatedBy: 'Bob', updatedAt: doc.updatedAt };
    expect(applyServerEvent(queryClient, JSON.stringify(event))).toBe(true);
    expect(list(queryClient)?.[0]?.etag).toBe('"e2"');
    expect(applyServerEvent(queryClient, JSON.stringify({ type: 'locked', docId: 'd_1' }))).toBe(false);
  });

  it('applyLockEvent reads that document’s lock again and says whether the data was a lock event', () => {
    const queryClient = cacheWithList();
    queryClient.setQueryData(lockQueryOptions('d_1').queryKey, { lock: null, enforced: false });
    queryClient.setQueryData(lockQueryOptions('d_2').queryKey, { lock: null, enforced: false });
    expect(applyLockEvent(queryClient, JSON.stringify({ type: 'locked', docId: 'd_1', lock: null, previous: null, by: 'Bob' }))).toBe(true);
    expect(invalid(queryClient, lockQueryOptions('d_1').queryKey)).toBe(true);
    expect(invalid(queryClient, lockQueryOptions('d_2').queryKey)).toBe(false);
    expect(applyLockEvent(queryClient, '{"type":"updated"}')).toBe(false);
  });

  it('applyConcurrencyEvent reads one document’s mode and lock again, every document’s on a server change, and refuses what is not one', () => {
    const queryClient = cacheWithList();
    const keys = {
      mode1: documentConcurrencyQueryOptions('d_1').queryKey,
      mode2: documentConcurrencyQueryOptions('d_2').queryKey,
      lock1: lockQueryOptions('d_1').queryKey,
      lock2: lockQueryOptions('d_2').queryKey,
      doc1: documentQueryOptions('d_1').queryKey,
    };
    const fill = () => {
      queryClient.setQueryData(keys.mode1, { id: 'd_1', concurrency: 'etag', own: null });
      queryClient.setQueryData(keys.mode2, { id: 'd_2', concurrency: 'etag', own: null });
      queryClient.setQueryData(keys.lock1, { lock: null, enforced: false });
      queryClient.setQueryData(keys.lock2, { lock: null, enforced: false });
      queryClient.setQueryData(keys.doc1, { doc, etag: '"e1"' });
    };
    const marked = () => Object.entries(keys).filter(([, key]) => invalid(queryClient, key)).map(([name]) => name);

    fill();
    for (const data of ['not json', 'null', '{"docId":3}', '{"concurrency":"lock"}']) {
      expect(applyConcurrencyEvent(queryClient, data), data).toBe(false);
    }
    expect(marked()).toEqual([]);

    expect(applyConcurrencyEvent(queryClient, JSON.stringify({ docId: 'd_1', concurrency: 'lock', own: 'lock' }))).toBe(true);
    expect(marked()).toEqual(['mode1', 'lock1']);

    fill();
    // Another feature's query whose key looks alike past its first part is not the documents'.
    const elsewhere = ['lab', 'd_1', 'lock'];
    queryClient.setQueryData(elsewhere, 'kept');
    expect(applyConcurrencyEvent(queryClient, JSON.stringify({ docId: null, concurrency: 'lock', own: null }))).toBe(true);
    expect(marked()).toEqual(['mode1', 'mode2', 'lock1', 'lock2']);
    expect(invalid(queryClient, elsewhere)).toBe(false);
  });
});
