/**
 * Where a change's highlights switch between word marks and the old and new text shown whole:
 * exactly half in common, the word-diff size limit, a side that is empty, and a side that is
 * mostly its own.
 */
import { describe, expect, it } from 'vitest';
import { highlightSpans } from './highlights.ts';
import { WORD_DIFF_LIMIT } from './layout.ts';

describe('highlightSpans at its edges', () => {
  it('keeps word marks when exactly half of the longer side is in common', () => {
    expect(highlightSpans('ab cd', 'ab ef')).toEqual([
      { kind: 'equal', text: 'ab ' },
      { kind: 'delete', text: 'cd' },
      { kind: 'insert', text: 'ef' },
    ]);
  });

  it('shows both whole when less than half is in common, measured against the longer side', () => {
    expect(highlightSpans('ab cdefgh', 'ab ijklmn')).toEqual([
      { kind: 'delete', text: 'ab cdefgh' },
      { kind: 'insert', text: 'ab ijklmn' },
    ]);
    expect(highlightSpans('ab', 'ab cdef')).toEqual([
      { kind: 'delete', text: 'ab' },
      { kind: 'insert', text: 'ab cdef' },
    ]);
  });

  it('marks words right up to the size limit, and shows whole beyond it', () => {
    const base = `${'a '.repeat(4999)}xx`;
    const changed = `${'a '.repeat(4999)}yy`;
    expect(base.length + changed.length).toBe(WORD_DIFF_LIMIT);
    expect(highlightSpans(base, changed)).toEqual([
      { kind: 'equal', text: 'a '.repeat(4999) },
      { kind: 'delete', text: 'xx' },
      { kind: 'insert', text: 'yy' },
    ]);
    expect(highlightSpans(`${base}z`, changed)).toEqual([
      { kind: 'delete', text: `${base}z` },
      { kind: 'insert', text: changed },
    ]);
  });

  it('an empty side is one span of the other, and an unchanged text one equal span or none', () => {
    expect(highlightSpans('x y', '')).toEqual([{ kind: 'delete', text: 'x y' }]);
    expect(highlightSpans('', 'x y')).toEqual([{ kind: 'insert', text: 'x y' }]);
    expect(highlightSpans('same', 'same')).toEqual([{ kind: 'equal', text: 'same' }]);
    expect(highlightSpans('', '')).toEqual([]);
  });
});
