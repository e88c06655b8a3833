import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wordDiff, type ChangeSpan } from './index.ts';
import { document, hasLoneSurrogate, propertyRuns, versionOf } from './test-documents.ts';

const joined = (spans: ChangeSpan[], kinds: ChangeSpan['kind'][]) =>
  spans
    .filter((s) => kinds.includes(s.kind))
    .map((s) => s.text)
    .join('');

describe('wordDiff', () => {
  it('marks a replaced word as a deletion followed by an insertion', () => {
    expect(wordDiff('the quick fox', 'the slow fox')).toEqual([
      { kind: 'equal', text: 'the ' },
      { kind: 'delete', text: 'quick' },
      { kind: 'insert', text: 'slow' },
      { kind: 'equal', text: ' fox' },
    ]);
  });

  it('gives one equal span for equal texts and none for two empty ones', () => {
    expect(wordDiff('same\n', 'same\n')).toEqual([{ kind: 'equal', text: 'same\n' }]);
    expect(wordDiff('', '')).toEqual([]);
  });

  it('works on whole words, not letters', () => {
    expect(wordDiff('cat', 'cart')).toEqual([
      { kind: 'delete', text: 'cat' },
      { kind: 'insert', text: 'cart' },
    ]);
  });

  it('keeps an emoji whole even when only its second half differs', () => {
    // 😀 and 😃 share their high surrogate.
    const spans = wordDiff('a 😀 b', 'a 😃 b');
    expect(spans).toEqual([
      { kind: 'equal', text: 'a ' },
      { kind: 'delete', text: '😀' },
      { kind: 'insert', text: '😃' },
      { kind: 'equal', text: ' b' },
    ]);
  });

  it('rebuilds both texts, never puts two spans of a kind next to each other, and never splits a surrogate pair', () => {
    fc.assert(
      fc.property(
        document.chain((base) => fc.tuple(fc.constant(base), versionOf(base))),
        ([base, changed]) => {
          const spans = wordDiff(base, changed);
          expect(joined(spans, ['equal', 'delete'])).toBe(base);
          expect(joined(spans, ['equal', 'insert'])).toBe(changed);
          spans.forEach((span, i) => {
            expect(span.text).not.toBe('');
            expect(hasLoneSurrogate(span.text)).toBe(false);
            if (i > 0) expect(spans[i - 1]?.kind).not.toBe(span.kind);
          });
        },
      ),
      propertyRuns(400),
    );
  });
});
