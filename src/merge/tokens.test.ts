import { describe, expect, it } from 'vitest';
import { splitMergeTokens, splitWords } from './tokens.ts';

describe('splitWords', () => {
  it.each([
    ['', []],
    ['Hello, world!\n', ['Hello', ',', ' ', 'world', '!', '\n']],
    ['a  b\tc\r\nd', ['a', '  ', 'b', '\t', 'c', '\r\n', 'd']],
    ['snake_case x2', ['snake_case', ' ', 'x2']],
    ['café naïve', ['café', ' ', 'naïve']],
    ['I 😀 you', ['I', ' ', '😀', ' ', 'you']],
    ['会議は十時', ['会', '議', 'は', '十', '時']],
    ['abc漢字def', ['abc', '漢', '字', 'def']],
  ])('cuts %j into %j', (text, tokens) => {
    expect(splitWords(text)).toEqual(tokens);
    expect(splitWords(text).join('')).toBe(text);
  });

  it('keeps a lone surrogate in the input as a token of its own instead of losing it', () => {
    expect(splitWords('a\uD83Db')).toEqual(['a', '\uD83D', 'b']);
  });
});

describe('splitMergeTokens', () => {
  it.each([
    ['', []],
    ['"version": "5.0.0-beta.1",', ['"', 'version', '"', ':', ' ', '"', '5.0.0-beta.1', '"', ',']],
    ['see https://example.com/a/b now', ['see', ' ', 'https://example.com/a/b', ' ', 'now']],
    ['this._map.off(x)', ['this._map.off', '(', 'x', ')']],
    ['12.5px wide, 2014-02-16.', ['12.5px', ' ', 'wide', ',', ' ', '2014-02-16', '.']],
    ['End. Next', ['End', '.', ' ', 'Next']],
    ['会議は十時', ['会', '議', 'は', '十', '時']],
  ])('keeps what people treat as one token whole in %j', (text, tokens) => {
    expect(splitMergeTokens(text)).toEqual(tokens);
    expect(splitMergeTokens(text).join('')).toBe(text);
  });
});
