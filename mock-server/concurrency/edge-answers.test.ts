/**
 * Answers at the edges of the conditional-request checklist, over real HTTP (docs/protocol.md
 * §1.4, §1.10, §1.11): an `If-None-Match` naming the current version, unlocking a document nobody
 * holds, and the words of a missing condition in each mode that wants one.
 */
import { describe, expect, it } from 'vitest';
import { createDoc, expectProblem, jsonInit, useTestServer } from '../test-server.ts';

const server = useTestServer();

const docUrl = (id: string) => `${server.url}/api/docs/${id}`;

describe('a save whose If-None-Match names the current version', () => {
  it('is refused with 412, saying so and naming the document, and nothing is saved', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, 'kept');
    const answer = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'not saved' }, { 'If-None-Match': `"other", ${etag}`, 'If-Match': etag }));
    expect(await expectProblem(answer, 412, 'precondition-failed')).toMatchObject({
      id: doc.id,
      detail: `If-None-Match names the current version of document ${doc.id}, so the save is not made.`,
    });
    expect(await (await fetch(docUrl(doc.id))).json()).toMatchObject({ version: 1, content: 'kept' });
  });
});

describe('unlocking a document nobody holds', () => {
  it('is done at once (204), and the document stays unlocked', async () => {
    const { doc } = await createDoc(server.url);
    const answer = await fetch(`${docUrl(doc.id)}/lock`, { method: 'DELETE', headers: { 'X-User': 'Ana' } });
    expect(answer.status).toBe(204);
    expect(await (await fetch(`${docUrl(doc.id)}/lock`)).json()).toMatchObject({ lock: null });
  });
});

describe('a write without the condition its mode wants', () => {
  const setMode = async (id: string, concurrency: string) =>
    expect((await fetch(`${docUrl(id)}/concurrency`, jsonInit('PUT', { concurrency }))).status).toBe(200);

  it('in timestamp: 428 asking for If-Unmodified-Since (or If-Match), for each kind of write', async () => {
    const { doc } = await createDoc(server.url);
    await setMode(doc.id, 'timestamp');
    const save = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'x' }));
    expect((await expectProblem(save, 428, 'precondition-required')).detail).toBe(
      'To save a document, send If-Unmodified-Since with the Last-Modified of the version you loaded (or If-Match with its ETag).',
    );
    const publish = await fetch(`${docUrl(doc.id)}/transitions`, jsonInit('POST', { to: 'published' }));
    expect((await expectProblem(publish, 428, 'precondition-required')).detail).toBe(
      'To change the state of a document, send If-Unmodified-Since with the Last-Modified of the version you loaded (or If-Match with its ETag).',
    );
  });

  it('in etag: 428 asking for If-Match', async () => {
    const { doc } = await createDoc(server.url);
    await setMode(doc.id, 'etag');
    const remove = await fetch(docUrl(doc.id), { method: 'DELETE', headers: { 'X-User': 'Ana' } });
    expect((await expectProblem(remove, 428, 'precondition-required')).detail).toBe(
      'To delete a document, send If-Match with the ETag of the version you loaded, so a newer save is never overwritten unseen.',
    );
  });
});

describe('a stale If-Unmodified-Since in timestamp, with no tag anywhere', () => {
  it('is a conflict whose yourEtag is empty and whose base is unknown', async () => {
    const { doc } = await createDoc(server.url);
    expect((await fetch(`${docUrl(doc.id)}/concurrency`, jsonInit('PUT', { concurrency: 'timestamp' }))).status).toBe(200);
    const anHourAgo = new Date(Date.now() - 3_600_000).toUTCString();
    const answer = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'x' }, { 'If-Unmodified-Since': anHourAgo }));
    expect(await expectProblem(answer, 409, 'edit-conflict')).toMatchObject({ yourEtag: '', base: null, current: { version: 1 } });
  });
});

describe('a state change from a stale version', () => {
  it('is a conflict with the version it started from as its base and the saves since', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, 'one');
    const saved = await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'two' }, { 'If-Match': etag, 'X-User': 'Bob' }));
    expect(saved.status).toBe(200);
    const answer = await fetch(`${docUrl(doc.id)}/transitions`, jsonInit('POST', { to: 'published' }, { 'If-Match': etag }));
    expect(await expectProblem(answer, 409, 'edit-conflict')).toMatchObject({
      yourEtag: etag,
      base: { version: 1, content: 'one' },
      current: { version: 2, content: 'two', state: 'draft' },
      changesSince: [{ version: 2, updatedBy: 'Bob' }],
    });
  });
});

describe('a save to a title another document has', () => {
  it('is a 409 that names the title and that document, and nothing is saved', async () => {
    const { doc: other } = await createDoc(server.url);
    const { doc, etag } = await createDoc(server.url, undefined, 'mine');
    const answer = await fetch(docUrl(doc.id), jsonInit('PUT', { title: other.title, content: 'renamed' }, { 'If-Match': etag }));
    expect(await expectProblem(answer, 409, 'duplicate-title')).toMatchObject({
      detail: `Another document is already titled "${other.title}".`,
      existing: { id: other.id, title: other.title },
    });
    expect(await (await fetch(docUrl(doc.id))).json()).toMatchObject({ version: 1, content: 'mine' });
  });
});

describe('a write to a document someone else has locked', () => {
  it('says what it could not do: save, with If-Match or without, and delete', async () => {
    const { doc, etag } = await createDoc(server.url);
    expect((await fetch(`${docUrl(doc.id)}/concurrency`, jsonInit('PUT', { concurrency: 'lock' }))).status).toBe(200);
    expect((await fetch(`${docUrl(doc.id)}/lock`, jsonInit('POST', {}, { 'X-User': 'Bob' }))).status).toBe(200);
    const cannot = async (response: Response) => /you cannot (.+) it before/.exec((await expectProblem(response, 409, 'resource-locked')).detail ?? '')?.[1];
    expect(await cannot(await fetch(docUrl(doc.id), jsonInit('PUT', { title: doc.title, content: 'x' }, { 'If-Match': etag })))).toBe('save');
    expect(await cannot(await fetch(docUrl(doc.id), jsonInit('PATCH', { content: 'x' }, { 'If-Match': etag, 'Content-Type': 'application/merge-patch+json' })))).toBe('save');
    expect(await cannot(await fetch(docUrl(doc.id), { method: 'DELETE', headers: { 'If-Match': etag, 'X-User': 'Ana' } }))).toBe('delete');
  });
});
