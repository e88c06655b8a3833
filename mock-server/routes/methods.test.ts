/**
 * Every API route answers a method it does not take with 405, the methods it takes in `Allow`, and
 * a problem that names both; a path that is no route is a 404 problem that names it.
 */
import { describe, expect, it } from 'vitest';
import { changeInit, createDoc, expectProblem, useTestServer } from '../test-server.ts';

// A server per test: the routes are registered as it starts, which then counts as part of the test
// (mutation testing sees which tests reach the registration of each route).
const server = useTestServer({ perTest: true });

describe('a method a route does not take', () => {
  const routes: Array<{ path: (id: string) => string; method: string; allow: string }> = [
    { path: (id) => `/api/docs/${id}/revisions`, method: 'POST', allow: 'GET, HEAD' },
    { path: (id) => `/api/docs/${id}/revisions/1`, method: 'DELETE', allow: 'GET, HEAD' },
    { path: (id) => `/api/docs/${id}/lock`, method: 'PUT', allow: 'GET, HEAD, POST, DELETE' },
    { path: (id) => `/api/docs/${id}/lock/requests`, method: 'GET', allow: 'POST, DELETE' },
    { path: (id) => `/api/docs/${id}/lock/handover`, method: 'GET', allow: 'POST' },
    { path: (id) => `/api/docs/${id}/transitions`, method: 'GET', allow: 'POST' },
    { path: (id) => `/api/docs/${id}/concurrency`, method: 'POST', allow: 'GET, HEAD, PUT' },
    { path: (id) => `/api/docs/${id}/scenarios/same-line`, method: 'GET', allow: 'POST' },
    { path: () => '/api/events', method: 'POST', allow: 'GET, HEAD' },
    { path: () => '/api/presence/tab-1', method: 'GET', allow: 'PUT' },
    { path: () => '/api/simulation', method: 'PUT', allow: 'GET, HEAD, PATCH' },
    { path: () => '/api/simulation/bot', method: 'GET', allow: 'PUT, DELETE' },
    { path: () => '/api/simulation/reset', method: 'GET', allow: 'POST' },
    { path: () => '/api/stats/outcomes', method: 'GET', allow: 'POST' },
  ];

  it.each(routes.map((route) => ({ ...route, name: `${route.method} ${route.path('{id}')}` })))('$name → 405, Allow: $allow', async ({ path, method, allow }) => {
    const { doc } = await createDoc(server.url);
    const response = await fetch(`${server.url}${path(doc.id)}`, method === 'GET' ? {} : changeInit(method));
    const problem = await expectProblem(response, 405, 'method-not-allowed');
    expect(response.headers.get('allow')).toBe(allow);
    expect(problem.detail).toBe(`${method} is not allowed here; use ${allow}.`);
    // Nothing happened to the document.
    expect(((await (await fetch(`${server.url}/api/docs/${doc.id}`)).json()) as { version: number }).version).toBe(1);
  });
});

describe('a path that is no route', () => {
  it.each(['/api/nothing', '/api/docs/x/y/z', '/api'])('%s → 404 that names it', async (path) => {
    const response = await fetch(`${server.url}${path}`);
    const problem = await expectProblem(response, 404, 'not-found');
    expect(problem.detail).toBe(`No API route GET ${path}.`);
  });
});
