/**
 * A document's state transitions over real HTTP (docs/protocol.md §1.12): draft → published →
 * archived → draft, each a new version guarded like a save; any other step is refused with the
 * state and the steps allowed from it, in plain words, and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Document } from '../../src/protocol/types.ts';
import { createDoc, expectProblem, jsonInit, useTestServer } from '../test-server.ts';

const server = useTestServer();

const transition = (id: string, to: string, etag: string) => fetch(`${server.url}/api/docs/${id}/transitions`, jsonInit('POST', { to }, { 'If-Match': etag, 'X-User': 'Ana' }));

async function moved(id: string, to: string, etag: string): Promise<string> {
  const response = await transition(id, to, etag);
  expect(response.status).toBe(200);
  expect(((await response.json()) as Document).state).toBe(to);
  return response.headers.get('etag') ?? '';
}

describe('a step the state does not allow', () => {
  it('from draft, published or archived is refused with the state and where it can go', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, 'kept');
    const refused = async (to: string, tag: string, state: string, allowed: string[], detail: string) => {
      const problem = await expectProblem(await transition(doc.id, to, tag), 409, 'resource-state');
      expect(problem).toMatchObject({ id: doc.id, state, allowedTransitions: allowed, detail });
    };
    await refused('archived', etag, 'draft', ['published'], 'A draft document cannot become archived; from draft it can only become published.');
    const published = await moved(doc.id, 'published', etag);
    await refused('draft', published, 'published', ['archived'], 'A published document cannot become draft; from published it can only become archived.');
    const archived = await moved(doc.id, 'archived', published);
    await refused('published', archived, 'archived', ['draft'], 'An archived document cannot become published; from archived it can only become draft.');
    const draft = await moved(doc.id, 'draft', archived);
    const current = (await (await fetch(`${server.url}/api/docs/${doc.id}`)).json()) as Document;
    expect(current).toMatchObject({ state: 'draft', version: 4, content: 'kept' });
    expect(draft).not.toBe(archived);
  });

  it('an archived document takes no save until it is a draft again', async () => {
    const { doc, etag } = await createDoc(server.url, undefined, 'kept');
    const archived = await moved(doc.id, 'archived', await moved(doc.id, 'published', etag));
    const save = await fetch(`${server.url}/api/docs/${doc.id}`, jsonInit('PUT', { title: doc.title, content: 'changed' }, { 'If-Match': archived }));
    const problem = await expectProblem(save, 409, 'resource-state');
    expect(problem).toMatchObject({
      state: 'archived',
      allowedTransitions: ['draft'],
      detail: 'The document is archived, so you cannot save it; move it back to draft first.',
    });
    expect(((await (await fetch(`${server.url}/api/docs/${doc.id}`)).json()) as Document).content).toBe('kept');
  });
});
