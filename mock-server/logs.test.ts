/**
 * The server log (docs/protocol.md §1.9), over real HTTP: nothing a request carries can forge a log
 * line or drive the terminal, and a client that goes away mid-upload is one quiet line, not a stack.
 */
import { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { encodeUserHeader } from '../src/protocol/user-header.ts';
import { createDoc, rawRequest, useTestServer } from './test-server.ts';

const lines: string[] = [];
const server = useTestServer({ perTest: true, log: (line) => lines.push(line) });
let consoleError: MockInstance<typeof console.error>;
let consoleInfo: MockInstance<typeof console.info>;

beforeEach(() => {
  lines.length = 0;
  consoleError = vi.spyOn(console, 'error');
  consoleInfo = vi.spyOn(console, 'info');
});
afterEach(() => {
  consoleError.mockRestore();
  consoleInfo.mockRestore();
});

// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

describe('log lines', () => {
  it('escape control characters in the path and the user, so no line is forged and no escape reaches the terminal', async () => {
    await rawRequest(server.url, '/api/docs/x%0D%0AGET%20/api/forged%20200');
    await rawRequest(server.url, '/api/docs/%1B[2J%07');
    await rawRequest(server.url, '/api/docs', { headers: { 'X-User': encodeUserHeader('\u202eevil') } });
    await rawRequest(server.url, '/api/nothing\u2028here'.replace('\u2028', '%E2%80%A8'));
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).not.toMatch(CONTROL);
    expect(lines[0]).toContain('GET /api/docs/x\\r\\nGET /api/forged 200 If-Match=-');
    expect(lines[1]).toContain('GET /api/docs/\\x1b[2J\\x07 If-Match=-');
    expect(lines[2]).toContain('by \\u202eevil');
    expect(lines[3]).toContain('/api/nothing\\u2028here');
  });

  it('name the acting user as typed', async () => {
    await createDoc(server.url, undefined, 'x', encodeUserHeader('Łukasz'));
    expect(lines.at(-1)).toMatch(/^POST \/api\/docs If-Match=- → 201 ETag="[^"]+" [\d.]+ms by Łukasz$/);
  });
});

describe('an aborted upload', () => {
  it('is one quiet log line each, without a stack trace', async () => {
    const { doc, etag } = await createDoc(server.url);
    lines.length = 0;
    const { port } = new URL(server.url);
    const uploads = 20;
    for (let i = 0; i < uploads; i++) {
      const socket = new Socket();
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.connect(Number(port), '127.0.0.1', resolve);
      });
      socket.write(
        `PUT /api/docs/${doc.id} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
          `If-Match: ${etag}\r\nContent-Length: 100000\r\n\r\n{"title":"half`,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      socket.destroy();
    }
    await expect.poll(() => lines.length).toBe(uploads);
    for (const line of lines) expect(line).toMatch(new RegExp(`^PUT /api/docs/${doc.id}: the client went away before the request was complete`));
    expect(consoleError).not.toHaveBeenCalled();
    expect(consoleInfo).not.toHaveBeenCalled();
    // And nothing was saved.
    expect(((await (await fetch(`${server.url}/api/docs/${doc.id}`)).json()) as { version: number }).version).toBe(1);
  });
});
