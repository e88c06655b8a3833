import { describe, expect, it } from 'vitest';
import { apiPaths, asAnotherUser, docRoute } from './paths.ts';
import { simulationPaths } from './simulation.ts';

describe('API paths', () => {
  it('builds each path of docs/protocol.md §1.4, with the id as one path segment', () => {
    expect(apiPaths.docs()).toBe('/api/docs');
    expect(apiPaths.doc('a/b c')).toBe('/api/docs/a%2Fb%20c');
    expect(apiPaths.revisions('a/b')).toBe('/api/docs/a%2Fb/revisions');
    expect(apiPaths.revision('a/b', 3)).toBe('/api/docs/a%2Fb/revisions/3');
    expect(apiPaths.events()).toBe('/api/events');
  });

  it("builds the app's own route for a document, with any Unicode id", () => {
    expect(docRoute('abc')).toBe('/docs/abc');
    expect(docRoute('é/ü?#')).toBe('/docs/%C3%A9%2F%C3%BC%3F%23');
  });

  it('opens a route as a new user besides the one named, any Unicode name as one query value', () => {
    expect(asAnotherUser('/', 'Alice')).toBe('/?as=new&besides=Alice');
    expect(asAnotherUser(docRoute('a b'), 'Zoë & Co=1')).toBe('/docs/a%20b?as=new&besides=Zo%C3%AB%20%26%20Co%3D1');
  });

  it('builds the simulation paths', () => {
    expect(simulationPaths.state()).toBe('/api/simulation');
    expect(simulationPaths.bot()).toBe('/api/simulation/bot');
    expect(simulationPaths.reset()).toBe('/api/simulation/reset');
    expect(simulationPaths.scenario('a/b', 'same-line')).toBe('/api/docs/a%2Fb/scenarios/same-line');
    expect(simulationPaths.presence('tab 1')).toBe('/api/presence/tab%201');
    expect(simulationPaths.events('tab&1')).toBe('/api/events?client=tab%261');
  });
});
