/**
 * Answers at the edges of the conditional-request checklist, over real HTTP (docs/protocol.md
 * §1.4, §1.10): an `If-None-Match` naming the current version, and unlocking a document nobody
 * holds.
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
