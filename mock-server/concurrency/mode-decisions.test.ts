/**
 * What each concurrency mode decides for a stale or unconditioned write, over real HTTP
 * (docs/protocol.md §1.11): which stale saves `server-merge` merges word by word and which it
 * answers with the conflict, that the other modes never merge, what a write in `none` says it
 * overwrote, how `timestamp` lets the date decide, and the words of each conflict.
 */
import { describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import type { Document } from '../../src/protocol/types.ts';
import { changeInit, createDoc, expectProblem, jsonInit, useTestServer } from '../test-server.ts';

const server = useTestServer();

const docUrl = (id: string) => `${server.url}/api/docs/${id}`;
const setMode = async (id: string, concurrency: string) =>
  expect((await fetch(`${docUrl(id)}/concurrency`, jsonInit('PUT', { concurrency }))).status).toBe(200);
const read = async (id: string) => (await (await fetch(docUrl(id))).json()) as Document;
const mergePatch = (body: unknown, headers: Record<string, string>): RequestInit => {
  const init = jsonInit('PATCH', body, headers);
  return { ...init, headers: { ...(init.headers as Record<string, string>), 'Content-Type': 'application/merge-patch+json' } };
};

/** Bob saves `bobs` over `base`, then Alice saves `alices` from `base` (now stale), in `mode`. */
async function staleSave(mode: string, base: string, bobs: string, alices: string) {
  const { doc, etag } = await createDoc(server.url, undefined, base);
  await setMode(doc.id, mode);
  const put = (content: string, user: string) => fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content }, { 'If-Match': etag, 'X-User': user }));
  expect((await put(bobs, 'Bob')).status).toBe(200);
  return { doc, etag, answer: await put(alices, 'Alice') };
}

describe('server-merge, word by word: an edit is the same only at the same place', () => {
  it('merges the same word deleted by each side from a different line', async () => {
    const base = 'We really like the plan.\nWe really need the room.\n';
    const { doc, answer } = await staleSave('server-merge', base, 'We really like the plan.\nWe need the room.\n', 'We like the plan.\nWe really need the room.\n');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ version: 3, mergedFrom: [1, 2], content: 'We like the plan.\nWe need the room.\n' });
    expect(await read(doc.id)).toMatchObject({ version: 3, content: 'We like the plan.\nWe need the room.\n' });
  });

  it.each([
    ['in the middle of a line, after an edit of the other line', 'Lunch is at noon.\nBring the old red chairs.', 'Lunch is at noon.\nBring the red chairs.', 'Lunch is at one.\nBring the red chairs.'],
    ['as the last word of a document without a final line break', 'Lunch is at noon.\nThe chairs are red', 'Lunch is at noon.\nThe chairs are blue', 'Lunch is at one.\nThe chairs are blue'],
    ['as the last word, made by the one who saved first and more', 'Lunch is at noon.\nThe chairs are red', 'Lunch is at one.\nThe chairs are blue', 'Lunch is at noon.\nThe chairs are blue'],
  ])('refuses the same edit made by both %s: two saves, not one', async (_where, base, bobs, alices) => {
    const { doc, answer } = await staleSave('server-merge', base, bobs, alices);
    expect(await expectProblem(answer, 409, 'edit-conflict')).toMatchObject({ current: { version: 2, content: bobs } });
    expect(await read(doc.id)).toMatchObject({ version: 2, content: bobs });
  });
});

describe('server-merge: what it does not merge', () => {
  const base = 'First line.\nSecond line.\nThird line.\n';
  const bobs = 'First line, by Bob.\nSecond line.\nThird line.\n';
  const alices = 'First line.\nSecond line.\nThird line, by Alice.\n';

  it('a stale save onto a document archived since: the conflict, and the document stays archived', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, base);
    await setMode(doc.id, 'server-merge');
    const saved = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: bobs }, { 'If-Match': etag, 'X-User': 'Bob' }));
    const published = await fetch(`${docUrl(doc.id)}/transitions`, jsonInit('POST', { to: 'published' }, { 'If-Match': saved.headers.get('etag') ?? '', 'X-User': 'Bob' }));
    const archived = await fetch(`${docUrl(doc.id)}/transitions`, jsonInit('POST', { to: 'archived' }, { 'If-Match': published.headers.get('etag') ?? '', 'X-User': 'Bob' }));
    expect(archived.status).toBe(200);
    const answer = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: alices }, { 'If-Match': etag, 'X-User': 'Alice' }));
    expect(await expectProblem(answer, 409, 'edit-conflict')).toMatchObject({ current: { version: 4, state: 'archived' } });
    expect(await read(doc.id)).toMatchObject({ version: 4, state: 'archived', content: bobs });
  });

  it('a save whose If-Match names no version of the document: the conflict, with no base', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, base);
    await setMode(doc.id, 'server-merge');
    expect((await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: bobs }, { 'If-Match': etag, 'X-User': 'Bob' }))).status).toBe(200);
    const answer = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: alices }, { 'If-Match': '"no-such-version"', 'X-User': 'Alice' }));
    expect(await expectProblem(answer, 409, 'edit-conflict')).toMatchObject({ base: null, yourEtag: '"no-such-version"', current: { version: 2 } });
    expect(await read(doc.id)).toMatchObject({ version: 2, content: bobs });
  });

  it('a stale merge patch that clashes with the current version: the conflict', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, base);
    await setMode(doc.id, 'server-merge');
    expect((await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: bobs }, { 'If-Match': etag, 'X-User': 'Bob' }))).status).toBe(200);
    const answer = await fetch(docUrl(doc.id), mergePatch({ content: 'First line, by Alice.\nSecond line.\nThird line.\n' }, { 'If-Match': etag, 'X-User': 'Alice' }));
    await expectProblem(answer, 409, 'edit-conflict');
    expect(await read(doc.id)).toMatchObject({ version: 2, content: bobs });
  });

  it('keeps the title the current version changed when the stale save kept the old one', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, base);
    await setMode(doc.id, 'server-merge');
    const renamed = `${doc.title} (renamed)`;
    expect((await fetch(docUrl(doc.id), jsonInit('PUT', { title: renamed, content: bobs }, { 'If-Match': etag, 'X-User': 'Bob' }))).status).toBe(200);
    const answer = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: alices }, { 'If-Match': etag, 'X-User': 'Alice' }));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ version: 3, title: renamed, content: 'First line, by Bob.\nSecond line.\nThird line, by Alice.\n' });
  });

  it.each(['etag', 'lock'])('in %s, a stale save or merge patch that would merge cleanly is still the conflict', async (mode) => {
    const { doc, etag, answer } = await staleSave(mode, base, bobs, alices);
    await expectProblem(answer, 409, 'edit-conflict');
    const patched = await fetch(docUrl(doc.id), mergePatch({ content: alices }, { 'If-Match': etag, 'X-User': 'Alice' }));
    await expectProblem(patched, 409, 'edit-conflict');
    expect(await read(doc.id)).toMatchObject({ version: 2, content: bobs });
  });
});

describe('none: what a state change says it overwrote', () => {
  it('a state change from a stale version says which version it replaced unseen', async () => {
    const { doc, etag } = await createDoc(server.url);
    await setMode(doc.id, 'none');
    expect((await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'two' }, { 'If-Match': etag, 'X-User': 'Bob' }))).status).toBe(200);
    const answer = await fetch(`${docUrl(doc.id)}/transitions`, jsonInit('POST', { to: 'published' }, { 'If-Match': etag, 'X-User': 'Ana' }));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ version: 3, state: 'published', content: 'two', overwrote: [2] });
  });
});

describe('an archived document', () => {
  it('takes no merge patch, nor a save in none: each is refused saying it cannot be saved', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, 'kept');
    const published = await fetch(`${docUrl(doc.id)}/transitions`, jsonInit('POST', { to: 'published' }, { 'If-Match': etag }));
    const archived = await fetch(`${docUrl(doc.id)}/transitions`, jsonInit('POST', { to: 'archived' }, { 'If-Match': published.headers.get('etag') ?? '' }));
    const archivedTag = archived.headers.get('etag') ?? '';
    const detail = 'The document is archived, so you cannot save it; move it back to draft first.';
    const patch = await fetch(docUrl(doc.id), mergePatch({ content: 'x' }, { 'If-Match': archivedTag }));
    expect(await expectProblem(patch, 409, 'resource-state')).toMatchObject({ detail, state: 'archived', allowedTransitions: ['draft'] });
    await setMode(doc.id, 'none');
    const save = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'x' }));
    expect(await expectProblem(save, 409, 'resource-state')).toMatchObject({ detail });
    expect(await read(doc.id)).toMatchObject({ version: 3, state: 'archived', content: 'kept' });
  });
});

describe('timestamp: the date decides', () => {
  const anHourAgo = () => new Date(Date.now() - 3_600_000).toUTCString();

  it('a date before the current version is the conflict, even when X-Based-On names that version', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, 'kept');
    await setMode(doc.id, 'timestamp');
    const answer = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'not saved' }, { 'If-Unmodified-Since': anHourAgo(), 'X-Based-On': etag }));
    await expectProblem(answer, 409, 'edit-conflict');
    expect(await read(doc.id)).toMatchObject({ version: 1, content: 'kept' });
  });

  it('a stale save, state change and delete each say what the writer did to the version they started from', async () => {
    const { doc, etag } = await createDoc(server.url);
    await setMode(doc.id, 'timestamp');
    const since = anHourAgo();
    expect((await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'two' }, { 'If-Match': etag, 'X-User': 'Bob' }))).status).toBe(200);
    const conditions = { 'If-Unmodified-Since': since, 'X-Based-On': etag, 'X-User': 'Ana' };
    const save = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'x' }, conditions));
    expect((await expectProblem(save, 409, 'edit-conflict')).detail).toBe('Bob saved version 2 after the version 1 you edited.');
    const moved = await fetch(`${docUrl(doc.id)}/transitions`, jsonInit('POST', { to: 'published' }, conditions));
    expect((await expectProblem(moved, 409, 'edit-conflict')).detail).toBe('Bob saved version 2 after the version 1 you edited.');
    const deleted = await fetch(docUrl(doc.id), changeInit('DELETE', conditions));
    expect((await expectProblem(deleted, 409, 'edit-conflict')).detail).toBe('Bob saved version 2 after the version 1 you meant to delete.');
    expect(await read(doc.id)).toMatchObject({ version: 2, state: 'draft', content: 'two' });
  });
});

describe('a keyed save retried after its document’s mode came to want a condition it did not send', () => {
  it.each([
    ['timestamp', {}],
    ['etag', { 'If-Unmodified-Since': new Date(Date.now() + 3_600_000).toUTCString() }],
  ])('now %s: its first 200 again, not a 428', async (mode, conditions: Record<string, string>) => {
    const { doc } = await createDoc(server.url);
    await setMode(doc.id, 'none');
    const save = () => fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'saved once' }, { 'Idempotency-Key': `k-${doc.id}`, 'X-User': 'Ana', ...conditions }));
    const first = await save();
    expect(first.status).toBe(200);
    await setMode(doc.id, mode);
    const retry = await save();
    expect(retry.status, await retry.clone().text()).toBe(200);
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await read(doc.id)).toMatchObject({ version: 2, content: 'saved once' });
  });
});

describe('a write whose body is not what it should be', () => {
  it('a state change with a body that is not JSON or names no state is refused, and changes nothing', async () => {
    const { doc, etag } = await createDoc(server.url);
    const notJson = await fetch(`${docUrl(doc.id)}/transitions`, jsonInit('POST', '{"to": ', { 'If-Match': etag }));
    await expectProblem(notJson, 400, 'bad-request');
    const noState = await fetch(`${docUrl(doc.id)}/transitions`, jsonInit('POST', { to: 'finished' }, { 'If-Match': etag }));
    await expectProblem(noState, 422, 'validation-failed');
    expect(await read(doc.id)).toMatchObject({ version: 1, state: 'draft' });
  });

  it('a keyed merge patch retried with a broken body after a delete: 410, not a reused key', async () => {
    const { doc, etag } = await createDoc(server.url);
    const key = `k-${doc.id}`;
    const first = await fetch(docUrl(doc.id), mergePatch({ content: 'patched' }, { 'If-Match': etag, 'Idempotency-Key': key, 'X-User': 'Ana' }));
    expect(first.status).toBe(200);
    expect((await fetch(docUrl(doc.id), changeInit('DELETE', { 'If-Match': first.headers.get('etag') ?? '', 'X-User': 'Bob' }))).status).toBe(204);
    const retry = await fetch(docUrl(doc.id), mergePatch('{"content": ', { 'If-Match': etag, 'Idempotency-Key': key, 'X-User': 'Ana' }));
    expect(await expectProblem(retry, 410, 'gone')).toMatchObject({ deletedBy: 'Bob' });
  });
});

/**
 * A request whose body is sent in two parts: the headers and `first` at once, the rest when
 * `rest()` is called. The server has the request (and may answer it) before its body is whole.
 */
function partialRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  [first, second]: [string, string],
): { written: Promise<void>; answer: Promise<{ status: number; body: string }>; rest: () => void } {
  const url = new URL(server.url);
  let req: ReturnType<typeof httpRequest> | undefined;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = httpRequest(
      { host: url.hostname, port: url.port, path, method, headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(first + second)), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (part: string) => (text += part));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
  const sent = req as ReturnType<typeof httpRequest>;
  sent.flushHeaders();
  const written = new Promise<void>((resolve) => sent.write(first, () => resolve()));
  return { written, answer, rest: () => sent.end(second) };
}

describe('a write refused before its body is read', () => {
  it('a merge patch of a deleted document is answered 410 before its body has all come', async () => {
    const { doc, etag } = await createDoc(server.url);
    expect((await fetch(docUrl(doc.id), changeInit('DELETE', { 'If-Match': etag, 'X-User': 'Bob' }))).status).toBe(204);
    const patch = partialRequest('PATCH', `/api/docs/${doc.id}`, { 'Content-Type': 'application/merge-patch+json', 'If-Match': etag }, ['{"content":', '"late"}']);
    // The rest of the body is sent after the answer, or after 5 s if the server waits for it.
    let waited = false;
    const limit = setTimeout(() => {
      waited = true;
      patch.rest();
    }, 5000);
    const answer = await patch.answer;
    clearTimeout(limit);
    if (!waited) patch.rest();
    expect(waited).toBe(false);
    expect(answer.status, answer.body).toBe(410);
    expect(JSON.parse(answer.body)).toMatchObject({ type: '/problems/gone', deletedBy: 'Bob' });
  });
});

describe('a document deleted while a state change’s body is on its way', () => {
  it('in none, where nothing else is checked: 410 naming who deleted it', async () => {
    const { doc } = await createDoc(server.url);
    await setMode(doc.id, 'none');
    const change = partialRequest('POST', `/api/docs/${doc.id}/transitions`, { 'X-User': 'Ana' }, ['{"to":', '"published"}']);
    await change.written;
    // The state change has been checked against version 1 (its mode asks for nothing): its body is read next.
    const current = await fetch(docUrl(doc.id));
    expect((await fetch(docUrl(doc.id), changeInit('DELETE', { 'If-Match': current.headers.get('etag') ?? '', 'X-User': 'Bob' }))).status).toBe(204);
    change.rest();
    const answer = await change.answer;
    expect(answer.status, answer.body).toBe(410);
    expect(JSON.parse(answer.body)).toMatchObject({ type: '/problems/gone', deletedBy: 'Bob' });
  });
});
