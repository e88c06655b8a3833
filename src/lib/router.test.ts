import { describe, expect, it } from 'vitest';
import { matchRoute } from './router.tsx';

describe('matchRoute', () => {
  it.each([
    ['/', { name: 'list' }],
    ['', { name: 'list' }],
    ['/docs/d_abc', { name: 'document', id: 'd_abc' }],
    ['/docs/d_abc/', { name: 'document', id: 'd_abc' }],
    ['/docs/a%20b', { name: 'document', id: 'a b' }],
    ['/docs/%E0%A4%A', { name: 'not-found' }],
    ['/docs/', { name: 'not-found' }],
    ['/lab/strategies', { name: 'lab-strategies' }],
    ['/lab/strategies/', { name: 'lab-strategies' }],
    ['/lab/strategies/x', { name: 'not-found' }],
    ['/lab/modes', { name: 'lab-modes' }],
    ['/lab/modes/', { name: 'lab-modes' }],
    ['/lab/modes/etag', { name: 'not-found' }],
    ['/x/lab/strategies', { name: 'not-found' }],
    ['/elsewhere', { name: 'not-found' }],
    ['/x/docs/d_abc', { name: 'not-found' }],
    ['/docs/d_abc/revisions', { name: 'not-found' }],
  ])('%s', (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });
});
