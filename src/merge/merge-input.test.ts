import { describe, expect, it } from 'vitest';
import { mergeItems } from './item-merge.ts';

describe('mergeItems, the merge under the line and word levels', () => {
  const cut = (text: string, items: string[]) => ({ text, items });

  it('refuses items that do not make up their text, instead of slicing the wrong stretch', () => {
    const whole = cut('a\nb\n', ['a\n', 'b\n']);
    expect(() => mergeItems(cut('a\nb\n', ['a\n']), whole, whole)).toThrow('items do not concatenate to the text');
    expect(() => mergeItems(whole, cut('a\nb\n', ['a\n', 'b\n', 'c\n']), whole)).toThrow('items do not concatenate to the text');
    expect(() => mergeItems(whole, whole, cut('a\nB\n', ['a\n']))).toThrow('items do not concatenate to the text');
  });

  it('slices each hunk out of its own side’s text', () => {
    const base = cut('one two three', ['one', ' ', 'two', ' ', 'three']);
    const mine = cut('ONE two three', ['ONE', ' ', 'two', ' ', 'three']);
    const theirs = cut('one two THREE!', ['one', ' ', 'two', ' ', 'THREE', '!']);
    expect(mergeItems(base, mine, theirs)).toEqual([
      { kind: 'mine', base: 'one', text: 'ONE' },
      { kind: 'stable', text: ' two ' },
      { kind: 'theirs', base: 'three', text: 'THREE!' },
    ]);
  });
});
