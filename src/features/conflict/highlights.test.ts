import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highlightSpans } from './highlights.ts';
import type { Span } from './layout.ts';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const rebuild = (spans: Span[], skip: Span['kind']) =>
  spans
    .filter((span) => span.kind !== skip)
    .map((span) => span.text)
    .join('');

describe('highlightSpans', () => {
  it('marks a small edit word by word', () => {
    expect(highlightSpans('The quick brown fox jumps.', 'The quick red fox jumps.')).toEqual([
      { kind: 'equal', text: 'The quick ' },
      { kind: 'delete', text: 'brown' },
      { kind: 'insert', text: 'red' },
      { kind: 'equal', text: ' fox jumps.' },
    ]);
  });

  it('shows a rewritten line whole, old then new, instead of interleaving words', () => {
    const base = 'the quick brown fox jumps over the lazy dog\n';
    const changed = 'ALICE rewrote this line from start to end\n';
    expect(highlightSpans(base, changed)).toEqual([
      { kind: 'delete', text: base },
      { kind: 'insert', text: changed },
    ]);
  });

  it('drops equalities found by chance between changed words', () => {
    const spans = highlightSpans('Meet at the station at noon.', 'Meet at the harbour café around eight.');
    // No run of a space or a letter or two sits between a deletion and an insertion.
    const coincidental = spans.filter((span, i) => span.kind === 'equal' && i > 0 && i < spans.length - 1 && span.text.trim().length < 3);
    expect(coincidental).toEqual([]);
  });

  it('shows an added or removed text as one span', () => {
    expect(highlightSpans('', 'new\n')).toEqual([{ kind: 'insert', text: 'new\n' }]);
    expect(highlightSpans('old\n', '')).toEqual([{ kind: 'delete', text: 'old\n' }]);
    expect(highlightSpans('same', 'same')).toEqual([{ kind: 'equal', text: 'same' }]);
  });

  it('keeps an emoji whole when another replaces it', () => {
    expect(highlightSpans('a 😀 b c d e f', 'a 😁 b c d e f')).toEqual([
      { kind: 'equal', text: 'a ' },
      { kind: 'delete', text: '😀' },
      { kind: 'insert', text: '😁' },
      { kind: 'equal', text: ' b c d e f' },
    ]);
  });

  it('keeps emoji whole where the clean-up shifts an edge through one', () => {
    for (const [base, changed] of [
      ['😁a😁word ', '😀a中word '],
      ['x 😀 y', 'x 😁😀 y'],
    ]) {
      const spans = highlightSpans(base, changed);
      expect(rebuild(spans, 'insert')).toBe(base);
      expect(rebuild(spans, 'delete')).toBe(changed);
      for (const span of spans) expect(span.text).not.toMatch(loneSurrogate);
    }
  });

  it('always rebuilds both texts and never splits a character', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', 'é', '😀', '😁', '中', 'word ') });
    fc.assert(
      fc.property(text, text, (base, changed) => {
        const spans = highlightSpans(base, changed);
        expect(rebuild(spans, 'insert')).toBe(base);
        expect(rebuild(spans, 'delete')).toBe(changed);
        for (const span of spans) expect(span.text).not.toMatch(loneSurrogate);
      }),
      { numRuns: 3000 },
    );
  });
});
