/**
 * Hostile pages and DNS rebinding (docs/protocol.md §1.9), over real HTTP: what a page on another
 * origin can send without asking (a form post, a no-cors fetch) changes nothing, and a name that
 * merely resolves to this machine is not answered.
 */
import { describe, expect, it } from 'vitest';
import type { Document } from '../src/protocol/types.ts';
import { createDoc, rawProblem, rawRequest, useTestServer } from './test-server.ts';

const server = useTestServer({ perTest: true, settings: { allowedHosts: ['lab.example', '.corp.example'] } });

const EVIL = 'http://evil.example';

async function live(id: string): Promise<Document | null> {
  const response = await fetch(`${server.url}/api/docs/${id}`);
  return response.status === 200 ? ((await response.json()) as Document) : null;
}

function own(): string {
  return server.url;
}

function hostOf(url: string): string {
  return new URL(url).host;
}

describe('a page on another origin', () => {
  it('cannot reset the demo with a bodyless cross-origin POST (form post or no-cors fetch)', async () => {
    const { doc } = await createDoc(server.url);
    // What `fetch(url, {method: 'POST', mode: 'no-cors'})` sends from evil.example.
    const noCors = await rawRequest(server.url, '/api/simulation/reset', {
      method: 'POST',
      headers: { Origin: EVIL, 'Sec-Fetch-Site': 'cross-site', 'Content-Length': '0' },
    });
    expect(rawProblem(noCors, 403, 'forbidden-origin')).toMatchObject({ origin: EVIL });
    // A form post as a browser without Fetch Metadata would send it.
    const form = await rawRequest(server.url, '/api/simulation/reset', {
      method: 'POST',
      headers: { Origin: EVIL, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'x=1',
    });
    rawProblem(form, 403, 'forbidden-origin');
    expect(await live(doc.id)).not.toBeNull();
  });

  it('cannot delete through a scenario, nor save, nor delete a document', async () => {
    const { doc, etag } = await createDoc(server.url);
    const attempts = [
      { method: 'POST', path: `/api/docs/${doc.id}/scenarios/delete`, body: undefined },
      { method: 'PUT', path: `/api/docs/${doc.id}`, body: JSON.stringify({ title: doc.title, content: 'pwned' }) },
      { method: 'DELETE', path: `/api/docs/${doc.id}`, body: undefined },
      { method: 'PATCH', path: '/api/simulation', body: JSON.stringify({ latencyMs: 10_000 }) },
    ];
    for (const { method, path, body } of attempts) {
      const headers = { Origin: EVIL, 'Content-Type': 'application/json', 'If-Match': etag };
      rawProblem(await rawRequest(server.url, path, { method, headers, ...(body !== undefined && { body }) }), 403, 'forbidden-origin');
      // Fetch Metadata alone says it too, as does an opaque origin (a sandboxed frame, a data: URL).
      const viaSite = { 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/json', 'If-Match': etag };
      rawProblem(await rawRequest(server.url, path, { method, headers: viaSite, ...(body !== undefined && { body }) }), 403, 'forbidden-origin');
      const opaque = { Origin: 'null', 'Content-Type': 'application/json', 'If-Match': etag };
      rawProblem(await rawRequest(server.url, path, { method, headers: opaque, ...(body !== undefined && { body }) }), 403, 'forbidden-origin');
    }
    expect(await live(doc.id)).toMatchObject({ version: 1, content: 'first' });
    expect(server.app.settings.latencyMs).toBe(0);
  });

  it('needs application/json on every change, with a body or without', async () => {
    const { doc, etag } = await createDoc(server.url);
    const bodyless = [
      { method: 'POST', path: '/api/simulation/reset' },
      { method: 'POST', path: `/api/docs/${doc.id}/scenarios/delete` },
    ];
    for (const { method, path } of bodyless) {
      // From this very origin, but not saying JSON: a cross-site form could send exactly this.
      const plain = await rawRequest(server.url, path, { method, headers: { Origin: own(), 'If-Match': etag, 'Content-Type': 'text/plain' } });
      rawProblem(plain, 415, 'unsupported-media-type');
      rawProblem(await rawRequest(server.url, path, { method, headers: { 'If-Match': etag } }), 415, 'unsupported-media-type');
    }
    expect(await live(doc.id)).toMatchObject({ version: 1 });
  });

  it('takes a DELETE as the protocol defines it, with If-Match and no body or content type', async () => {
    // A browser never sends DELETE to another origin without a preflight, which this server never
    // grants; the Origin check above still refuses one that says it comes from elsewhere.
    const { doc, etag } = await createDoc(server.url);
    const deleted = await rawRequest(server.url, `/api/docs/${doc.id}`, { method: 'DELETE', headers: { 'If-Match': etag } });
    expect(deleted.status, deleted.body).toBe(204);
    expect(await live(doc.id)).toBeNull();
  });

  it('still lets the server’s own pages and non-browser clients change things', async () => {
    const { doc } = await createDoc(server.url);
    const sameOrigin = { Origin: own(), 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json' };
    const scenario = await rawRequest(server.url, `/api/docs/${doc.id}/scenarios/same-line`, { method: 'POST', headers: sameOrigin });
    expect(scenario.status, scenario.body).toBe(200);
    const { etag } = JSON.parse(scenario.body) as { etag: string };
    // curl and scripts send no Origin at all.
    const deleted = await rawRequest(server.url, `/api/docs/${doc.id}`, { method: 'DELETE', headers: { 'Content-Type': 'application/json', 'If-Match': etag } });
    expect(deleted.status, deleted.body).toBe(204);
    const reset = await rawRequest(server.url, '/api/simulation/reset', { method: 'POST', headers: sameOrigin });
    expect(reset.status, reset.body).toBe(200);
  });
});

describe('the Host header', () => {
  it('is answered only for the names the server was given (DNS rebinding gets 421)', async () => {
    const port = new URL(server.url).port;
    for (const host of [`evil.example:${port}`, 'evil.example', `lab.example.evil.example:${port}`, `corp.example.evil:${port}`]) {
      for (const path of ['/api/docs', '/api/events', '/api/simulation']) {
        const refused = await rawRequest(server.url, path, { headers: { Host: host } });
        expect(rawProblem(refused, 421, 'misdirected-request')).toMatchObject({ host });
      }
      const write = await rawRequest(server.url, '/api/simulation/reset', {
        method: 'POST',
        headers: { Host: host, Origin: `http://${host}`, 'Content-Type': 'application/json' },
      });
      rawProblem(write, 421, 'misdirected-request');
    }
    const allowed = [
      hostOf(server.url),
      `localhost:${port}`,
      `LocalHost:${port}`,
      `app.localhost:${port}`,
      `[::1]:${port}`,
      `192.168.1.20:${port}`,
      `lab.example:${port}`,
      `corp.example:${port}`,
      `team.corp.example:${port}`,
    ];
    for (const host of allowed) {
      const response = await rawRequest(server.url, '/api/docs', { headers: { Host: host } });
      expect(response.status, host).toBe(200);
    }
  });

  it('names the origin a change must come from', async () => {
    const port = new URL(server.url).port;
    // A page of lab.example may change things on lab.example, not on localhost.
    const labPage = { Host: `lab.example:${port}`, Origin: `http://lab.example:${port}`, 'Content-Type': 'application/json' };
    expect((await rawRequest(server.url, '/api/simulation/reset', { method: 'POST', headers: labPage })).status).toBe(200);
    const crossed = { Host: `localhost:${port}`, Origin: `http://lab.example:${port}`, 'Content-Type': 'application/json' };
    rawProblem(await rawRequest(server.url, '/api/simulation/reset', { method: 'POST', headers: crossed }), 403, 'forbidden-origin');
  });
});
