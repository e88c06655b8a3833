/**
 * The `server-merge` mode (docs/protocol.md §1.11) on what the word-level merge resolves: two
 * neighbouring lines of prose, each changed by one side, are merged by the server as the dialog would merge
 * them; a line where both sides made the same edit (and more) is still a conflict, since folding
 * two alike changes into one loses one of them.
 */
import { describe, expect, it } from 'vitest';
import { createDoc, expectProblem, jsonInit, useTestServer } from './test-server.ts';

const server = useTestServer();

async function staleSave(base: string, bobs: string, alices: string): Promise<Response> {
  const { doc, etag } = await createDoc(server.url, undefined, base);
  expect((await fetch(`${server.url}/api/docs/${doc.id}/concurrency`, jsonInit('PUT', { concurrency: 'server-merge' }))).status).toBe(200);
  const put = (content: string, user: string) =>
    fetch(`${server.url}/api/docs/${doc.id}`, jsonInit('PUT', { title: doc.title, content }, { 'If-Match': etag, 'X-User': user }));
  expect((await put(bobs, 'Bob')).status).toBe(200);
  return put(alices, 'Alice');
}

describe('server-merge on line conflicts the word-level merge resolves', () => {
  it('merges two neighbouring lines, each changed by one side', async () => {
    const base = 'We review it with the team.\nThen we ship it.\n';
    const answer = await staleSave(
      base,
      base.replace('the team.', 'the team in room 4.'),
      base.replace('ship it.', 'ship it, then celebrate.'),
    );
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      version: 3,
      mergedFrom: [1, 2],
      content: 'We review it with the team in room 4.\nThen we ship it, then celebrate.\n',
    });
  });

  it('refuses a line where both made the same edit, even beside a different one', async () => {
    const base = 'We counted 5 apples today.\nPears are fine.\n';
    const answer = await staleSave(base, 'We counted 6 apples today, red ones.\nPears are fine.\n', 'We counted 6 apples today.\nPears are fine.\n');
    await expectProblem(answer, 409, 'edit-conflict');
  });
});
