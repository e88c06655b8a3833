import { describe, expect, it } from 'vitest';
import { merge3 } from '../../merge/index.ts';
import { cachedMerge, prepareMerge } from './merge-cache.ts';

describe('merge cache', () => {
  it('hands the dialog the prepared merge when the 409 brings the same three texts', () => {
    const base = 'one\ntwo\n';
    prepareMerge(base, 'one\nmine\n', 'one\ntheirs\n');
    const prepared = cachedMerge(base, 'one\nmine\n', 'one\ntheirs\n');
    // Equal by value, not by identity: the 409's texts come from a parsed body.
    expect(cachedMerge(`${'one\n'}two\n`, ['one', 'mine', ''].join('\n'), 'one\ntheirs\n')).toBe(prepared);
    expect(prepared).toEqual(merge3(base, 'one\nmine\n', 'one\ntheirs\n'));
  });

  it('merges afresh when any text differs (typed after the preparation)', () => {
    prepareMerge('a\n', 'b\n', 'c\n');
    const prepared = cachedMerge('a\n', 'b\n', 'c\n');
    const fresh = cachedMerge('a\n', 'b2\n', 'c\n');
    expect(fresh).not.toBe(prepared);
    expect(fresh).toEqual(merge3('a\n', 'b2\n', 'c\n'));
  });
});
