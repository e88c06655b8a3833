import { describe, expect, it } from 'vitest';
import { parseTriple } from './triple-store.ts';

describe('parseTriple', () => {
  it('reads a stored triple, Unicode and all', () => {
    expect(parseTriple(JSON.stringify({ base: 'a', mine: 'b 😀', theirs: '' }))).toEqual({ base: 'a', mine: 'b 😀', theirs: '' });
  });

  it.each([null, '', 'not json', '[]', '{"base":"a","mine":"b"}', '{"base":1,"mine":"b","theirs":"c"}'])('ignores %j', (raw) => {
    expect(parseTriple(raw)).toBeNull();
  });
});
