/**
 * Names in any script (docs/protocol.md §1.1), over real HTTP: the X-User header as the app encodes
 * it (src/protocol/user-header.ts) names the user in every answer exactly as typed; a name the
 * server cannot read for certain, or one over the limit, is refused and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { EditConflictProblem } from '../src/protocol/problems.ts';
import type { Document, DocumentList, RevisionList } from '../src/protocol/types.ts';
import { encodeUserHeader, MAX_USER_LENGTH } from '../src/protocol/user-header.ts';
import { SseReader } from './sse-client.ts';
import { createDoc, expectProblem, jsonInit, rawProblem, rawRequest, uniqueTitle, useTestServer } from './test-server.ts';

const server = useTestServer();

const NAMES = ['Łukasz Żółć', '张伟', 'مريم', 'José', '👩‍💻 Ana', ' spaced '];

/** What `curl -H 'X-User: José'` puts on the wire: UTF-8 bytes, one Latin-1 character each here. */
function rawUtf8(text: string): string {
  return String.fromCharCode(...new TextEncoder().encode(text));
}

async function docs(): Promise<DocumentList['docs']> {
  return ((await (await fetch(`${server.url}/api/docs`)).json()) as DocumentList).docs;
}

describe('X-User in any script', () => {
  it.each(NAMES)('names %j exactly in the document, the list, the history, the event and a conflict', async (name) => {
    const events = new SseReader(await fetch(`${server.url}/api/events`));
    const header = { 'X-User': encodeUserHeader(name) };
    const created = await fetch(`${server.url}/api/docs`, jsonInit('POST', { title: uniqueTitle(), content: 'one' }, header));
    const doc = (await created.json()) as Document;
    const etag = created.headers.get('etag') ?? '';
    expect(doc.updatedBy).toBe(name);
    expect((await docs()).find((d) => d.id === doc.id)?.updatedBy).toBe(name);

    const saved = await fetch(`${server.url}/api/docs/${doc.id}`, jsonInit('PUT', { title: doc.title, content: 'two' }, { ...header, 'If-Match': etag }));
    expect(((await saved.json()) as Document).updatedBy).toBe(name);
    const history = (await (await fetch(`${server.url}/api/docs/${doc.id}/revisions`)).json()) as RevisionList;
    expect(history.revisions.map((r) => r.updatedBy)).toEqual([name, name]);

    const stale = await fetch(`${server.url}/api/docs/${doc.id}`, jsonInit('PUT', { title: doc.title, content: 'x' }, { 'If-Match': etag }));
    const conflict = (await expectProblem(stale, 409, 'edit-conflict')) as EditConflictProblem;
    expect(conflict.detail).toContain(name);
    expect(conflict.changesSince.map((c) => c.updatedBy)).toEqual([name]);

    for (;;) {
      const event = await events.nextEvent();
      if (event?.data.id === doc.id) {
        expect(event.data.updatedBy).toBe(name);
        break;
      }
    }
    await events.cancel();
  });

  it('reads a name sent as raw UTF-8 bytes (curl) as UTF-8, never garbled', async () => {
    const response = await rawRequest(server.url, '/api/docs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-User': rawUtf8('José 张伟') },
      body: JSON.stringify({ title: uniqueTitle() }),
    });
    expect(response.status, response.body).toBe(201);
    expect((JSON.parse(response.body) as Document).updatedBy).toBe('José 张伟');
  });

  it('refuses a name it cannot read for certain, or one over the limit, and changes nothing', async () => {
    const before = (await docs()).length;
    const refused = [
      'Jos\u00e9', // a Latin-1 byte that is not UTF-8
      "UTF-8''%C5", // a cut UTF-8 sequence
      encodeUserHeader('x'.repeat(MAX_USER_LENGTH + 1)),
      'x'.repeat(10_000), // cut to 64 characters before; now refused whole
      encodeUserHeader('张'.repeat(1_000)),
      encodeUserHeader('bell\u0007'),
    ];
    for (const value of refused) {
      const response = await rawRequest(server.url, '/api/docs', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-User': value },
        body: JSON.stringify({ title: uniqueTitle() }),
      });
      expect(rawProblem(response, 400, 'bad-request')).toMatchObject({ header: 'X-User' });
    }
    expect((await docs()).length).toBe(before);
    // The longest name is kept whole.
    const longest = '张'.repeat(MAX_USER_LENGTH);
    const { doc } = await createDoc(server.url, uniqueTitle(), 'x', encodeUserHeader(longest));
    expect(doc.updatedBy).toBe(longest);
  });
});
