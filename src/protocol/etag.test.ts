import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EntityTagSyntaxError,
  formatEntityTag,
  ifMatchPasses,
  ifNoneMatchMatches,
  parseEntityTag,
  parseEntityTagCondition,
  strongMatch,
  weakMatch,
} from './etag.ts';

describe('parseEntityTag', () => {
  it.each([
    ['"abc"', { weak: false, opaque: 'abc' }],
    ['W/"abc"', { weak: true, opaque: 'abc' }],
    ['""', { weak: false, opaque: '' }],
    ['  "a.1"  ', { weak: false, opaque: 'a.1' }],
    ['"W/x"', { weak: false, opaque: 'W/x' }],
    ['"\u00e9"', { weak: false, opaque: '\u00e9' }], // obs-text
  ])('reads %s', (text, tag) => {
    expect(parseEntityTag(text)).toEqual(tag);
  });

  it.each([
    ['abc', 'unquoted'],
    ['"abc', 'unterminated'],
    ['abc"', 'no opening quote'],
    ['w/"abc"', 'lower-case weak prefix (the prefix is case-sensitive)'],
    ['W/ "abc"', 'space after W/'],
    ['"a b"', 'space inside'],
    ['"a\u0001"', 'control character inside'],
    ['"a\u0100"', 'character above obs-text'],
    ['"a""b"', 'two tags without a comma'],
    ['"a", "b"', 'a list where one tag is expected'],
    ['', 'empty'],
    ['*', 'a wildcard where one tag is expected'],
  ])('refuses %j (%s)', (text) => {
    expect(() => parseEntityTag(text)).toThrow(EntityTagSyntaxError);
  });

  // The server puts the message in the 400's detail, so it must say what is wrong and where.
  it.each([
    ['abc', 'Expected a quoted entity tag at position 0 of "abc".'],
    ['W/abc', 'Expected a quoted entity tag at position 2 of "W/abc".'],
    ['"a b"', 'Character not allowed in an entity tag at position 2 of "\\"a b\\"".'],
    ['"abc', 'Unterminated entity tag in "\\"abc".'],
    ['"a"b', 'Unexpected text after the entity tag in "\\"a\\"b".'],
  ])('explains why %j is refused', (text, message) => {
    expect(() => parseEntityTag(text)).toThrow(message);
  });

  it('throws an error named for what it is', () => {
    const error = (() => {
      try {
        parseEntityTag('abc');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(EntityTagSyntaxError);
    expect(error).toMatchObject({ name: 'EntityTagSyntaxError' });
  });
});

describe('parseEntityTagCondition (If-Match, If-None-Match)', () => {
  it('reads * as any', () => {
    expect(parseEntityTagCondition('*')).toEqual({ any: true });
    expect(parseEntityTagCondition(' * ')).toEqual({ any: true });
  });

  it('reads a list with optional whitespace and empty elements', () => {
    expect(parseEntityTagCondition('"a", W/"b",\t"c"')).toEqual({
      any: false,
      tags: [
        { weak: false, opaque: 'a' },
        { weak: true, opaque: 'b' },
        { weak: false, opaque: 'c' },
      ],
    });
    expect(parseEntityTagCondition(', ,"a" , ,')).toEqual({ any: false, tags: [{ weak: false, opaque: 'a' }] });
  });

  it('keeps commas inside a tag as part of it', () => {
    expect(parseEntityTagCondition('"a,b", "c"')).toEqual({
      any: false,
      tags: [
        { weak: false, opaque: 'a,b' },
        { weak: false, opaque: 'c' },
      ],
    });
  });

  it.each([
    ['', 'empty'],
    [' , , ', 'only empty elements'],
    ['*, "a"', 'wildcard in a list'],
    ['"a", *', 'wildcard at the end of a list'],
    ['"a" "b"', 'missing comma'],
    ['"a";"b"', 'wrong separator'],
    ['abc', 'unquoted tag'],
    ['"a", b', 'unquoted second tag'],
    ['"a", "b', 'unterminated second tag'],
    ['**', 'double wildcard'],
  ])('refuses %j (%s)', (text) => {
    expect(() => parseEntityTagCondition(text)).toThrow(EntityTagSyntaxError);
  });

  it.each([
    ['"a" "b"', 'Expected "," between entity tags at position 4 of "\\"a\\" \\"b\\"".'],
    [' , , ', 'No entity tag in " , , ".'],
    ['"a", "b', 'Unterminated entity tag in "\\"a\\", \\"b".'],
  ])('explains why %j is refused', (text, message) => {
    expect(() => parseEntityTagCondition(text)).toThrow(message);
  });

  it('round-trips any list of valid tags', () => {
    const etagc = fc.constantFrom(...'abcXYZ019!#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~\u0080\u00ff');
    const tag = fc.record({ weak: fc.boolean(), opaque: fc.string({ unit: etagc, maxLength: 12 }) });
    fc.assert(
      fc.property(fc.array(tag, { minLength: 1, maxLength: 5 }), fc.constantFrom(',', ', ', ' ,\t'), (tags, separator) => {
        const header = tags.map(formatEntityTag).join(separator);
        expect(parseEntityTagCondition(header)).toEqual({ any: false, tags });
      }),
    );
  });

  it('either parses or throws EntityTagSyntaxError for any text, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('"', 'W', '/', ',', ' ', '*', 'a', '\t', '\u0001') }), (text) => {
        try {
          parseEntityTagCondition(text);
        } catch (error) {
          expect(error).toBeInstanceOf(EntityTagSyntaxError);
        }
      }),
    );
  });
});

describe('comparison', () => {
  const strongA = { weak: false, opaque: 'a' };
  const weakA = { weak: true, opaque: 'a' };
  const strongB = { weak: false, opaque: 'b' };

  it('compares strongly as RFC 9110 §8.8.3.2 tabulates', () => {
    expect(strongMatch(strongA, strongA)).toBe(true);
    expect(strongMatch(weakA, strongA)).toBe(false);
    expect(strongMatch(strongA, weakA)).toBe(false);
    expect(strongMatch(weakA, weakA)).toBe(false);
    expect(strongMatch(strongA, strongB)).toBe(false);
  });

  it('compares weakly as RFC 9110 §8.8.3.2 tabulates', () => {
    expect(weakMatch(strongA, strongA)).toBe(true);
    expect(weakMatch(weakA, strongA)).toBe(true);
    expect(weakMatch(weakA, weakA)).toBe(true);
    expect(weakMatch(strongA, strongB)).toBe(false);
  });
});

describe('ifMatchPasses', () => {
  const current = '"v.7"';
  it.each([
    ['"v.7"', true],
    ['"v.6", "v.7"', true],
    ['"v.6"', false],
    ['W/"v.7"', false],
    ['W/"v.7", "v.6"', false],
    ['*', true],
    ['"V.7"', false],
  ])('If-Match %s against "v.7" → %s', (header, passes) => {
    expect(ifMatchPasses(parseEntityTagCondition(header), current)).toBe(passes);
  });

  it('never passes when there is no current representation, not even *', () => {
    expect(ifMatchPasses(parseEntityTagCondition('*'), null)).toBe(false);
    expect(ifMatchPasses(parseEntityTagCondition('"v.7"'), null)).toBe(false);
  });
});

describe('ifNoneMatchMatches', () => {
  it.each([
    ['"v.7"', true],
    ['W/"v.7"', true],
    ['"v.1", W/"v.7"', true],
    ['"v.6"', false],
    ['*', true],
  ])('If-None-Match %s against "v.7" → %s', (header, matches) => {
    expect(ifNoneMatchMatches(parseEntityTagCondition(header), '"v.7"')).toBe(matches);
  });

  it('does not match when there is no representation', () => {
    expect(ifNoneMatchMatches(parseEntityTagCondition('*'), null)).toBe(false);
  });
});
