import { describe, expect, it } from 'vitest';
import { lineEnding, splitLines } from './lines.ts';

describe('splitLines', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['a\n', ['a\n']],
    ['a\nb', ['a\n', 'b']],
    ['first\nlast', ['first\n', 'last']],
    ['a\r\nb\r\n', ['a\r\n', 'b\r\n']],
    ['a\rb\r', ['a\r', 'b\r']],
    ['\n\n', ['\n', '\n']],
    ['a\r\r\nb', ['a\r', '\r\n', 'b']],
    // A line feed before a carriage return further on, and the other way round.
    ['a\nb\rc\r\nd', ['a\n', 'b\r', 'c\r\n', 'd']],
    ['a\rb\nc', ['a\r', 'b\n', 'c']],
  ])('splits %j into %j, keeping every terminator', (text, lines) => {
    expect(splitLines(text)).toEqual(lines);
    expect(splitLines(text).join('')).toBe(text);
  });
});

describe('lineEnding', () => {
  it.each([
    ['a\r\n', '\r\n'],
    ['a\n', '\n'],
    ['a\r', '\r'],
    ['a', ''],
    ['', ''],
  ])('of %j is %j', (line, ending) => {
    expect(lineEnding(line)).toBe(ending);
  });
});
