/**
 * How every route reads the parts of a request, over real HTTP: a malformed condition header is a
 * 400 that names the header, and a route whose body is optional tells "no body" (no length, or a
 * length of 0) from a body sent in chunks, which it reads and checks.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { LockState } from '../../src/protocol/concurrency.ts';
import { createDoc, expectProblem, jsonInit, useTestServer } from '../test-server.ts';

const server = useTestServer();

describe('a malformed condition header', () => {
  it('If-Match → 400 naming the header and what is wrong, nothing saved', async () => {
    const { doc } = await createDoc(server.url);
    const response = await fetch(`${server.url}/api/docs/${doc.id}`, jsonInit('PUT', { title: doc.title, content: 'x' }, { 'If-Match': 'abc' }));
    const problem = await expectProblem(response, 400, 'bad-request');
    expect(problem).toMatchObject({ header: 'If-Match' });
    expect(problem.detail).toBe('If-Match is not valid: it is not a list of entity tags or "*" (Expected a quoted entity tag at position 0 of "abc".)');
    expect(((await (await fetch(`${server.url}/api/docs/${doc.id}`)).json()) as { version: number }).version).toBe(1);
  });

  it('If-None-Match → 400 naming that header', async () => {
    const { doc } = await createDoc(server.url);
    const problem = await expectProblem(await fetch(`${server.url}/api/docs/${doc.id}`, { headers: { 'If-None-Match': '"open' } }), 400, 'bad-request');
    expect(problem).toMatchObject({ header: 'If-None-Match' });
    expect(problem.detail).toBe('If-None-Match is not a valid list of entity tags or "*": Unterminated entity tag in "\\"open".');
  });
});

/** A POST whose body is sent with Transfer-Encoding: chunked (no Content-Length). */
function postChunked(path: string, body: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User': 'Ana' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (text += part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.write(body.slice(0, 3));
    req.end(body.slice(3));
  });
}

describe('an optional body', () => {
  it('left out (Content-Length: 0) takes the defaults', async () => {
    const { doc } = await createDoc(server.url);
    const response = await fetch(`${server.url}/api/docs/${doc.id}/lock`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-User': 'Ana' } });
    expect(response.status).toBe(200);
    const { lock } = (await response.json()) as LockState;
    expect(lock).toMatchObject({ holder: 'Ana' });
    expect(Date.parse(lock?.expires ?? '') - Date.parse(lock?.since ?? '')).toBe(60_000);
  });

  it('sent in chunks is read and checked like any other', async () => {
    const { doc } = await createDoc(server.url);
    const refused = await postChunked(`/api/docs/${doc.id}/lock`, JSON.stringify({ seconds: 1 }));
    expect(refused.status).toBe(422);
    expect(((await (await fetch(`${server.url}/api/docs/${doc.id}/lock`)).json()) as LockState).lock).toBeNull();
    const taken = await postChunked(`/api/docs/${doc.id}/lock`, JSON.stringify({ seconds: 30 }));
    expect(taken.status).toBe(200);
    const { lock } = JSON.parse(taken.body) as LockState;
    expect(Date.parse(lock?.expires ?? '') - Date.parse(lock?.since ?? '')).toBe(30_000);
  });
});
