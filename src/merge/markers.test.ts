import { describe, expect, it } from 'vitest';
import { merge3, toText, type MergeResult } from './index.ts';

describe('toText', () => {
  it('writes the hunks of a clean merge one after the other', () => {
    const result: MergeResult = {
      clean: true,
      hunks: [
        { kind: 'stable', text: 'a\n' },
        { kind: 'mine', base: 'b\n', text: 'B\n' },
        { kind: 'theirs', base: '', text: 'new\n' },
        { kind: 'both', base: 'c\n', text: 'C\n' },
      ],
    };
    expect(toText(result)).toBe('a\nB\nnew\nC\n');
  });

  it("writes a conflict with git's diff3 markers", () => {
    const result = merge3('a\nb\nc\n', 'a\nmine\nc\n', 'a\ntheirs\nc\n', { wordLevel: false });
    expect(toText(result)).toBe('a\n<<<<<<< mine\nmine\n||||||| base\nb\n=======\ntheirs\n>>>>>>> theirs\nc\n');
  });

  it('ends a side that lacks a final newline before the next marker, and still ends the closing marker', () => {
    const result = merge3('x\nend', 'x\nmine end', 'x\ntheirs end', { wordLevel: false });
    expect(toText(result)).toBe(
      'x\n<<<<<<< mine\nmine end\n||||||| base\nend\n=======\ntheirs end\n>>>>>>> theirs\n',
    );
  });

  it('writes the markers of a CRLF document with CRLF, and ends an open side with CRLF', () => {
    const result = merge3('1\r\n2\r\n3', '1\r\n2\r\n4', '1\r\n2\r\n5', { wordLevel: false });
    expect(toText(result)).toBe(
      '1\r\n2\r\n<<<<<<< mine\r\n4\r\n||||||| base\r\n3\r\n=======\r\n5\r\n>>>>>>> theirs\r\n',
    );
  });

  it('takes the line ending of the conflict itself when it opens the document', () => {
    const result = merge3('a\r\n', 'c\r\n', 'b\r\n', { wordLevel: false });
    expect(toText(result)).toBe('<<<<<<< mine\r\nc\r\n||||||| base\r\na\r\n=======\r\nb\r\n>>>>>>> theirs\r\n');
  });

  it('writes LF markers, as git does, when base has nothing to say about CRLF', () => {
    // Base is one line without an ending: git's is_cr_needed cannot tell, and falls back to LF.
    const result = merge3('base line', 'mine\r\nbase line', 'theirs\r\nbase line', { wordLevel: false });
    expect(toText(result)).toBe('<<<<<<< mine\nmine\r\n||||||| base\n=======\ntheirs\r\n>>>>>>> theirs\nbase line');
  });

  it('writes LF markers when the line before the conflict on one side ends in LF', () => {
    const result = merge3('a\r\nb\r\n', 'a\nB\r\n', 'a\r\nC\r\n', { wordLevel: false });
    expect(toText(result)).toBe('<<<<<<< mine\na\nB\r\n||||||| base\na\r\nb\r\n=======\na\r\nC\r\n>>>>>>> theirs\n');
  });

  it('writes LF markers when the line before a conflict further down ends in LF, whatever base starts with', () => {
    // As git merge-file writes it: the line before the conflict, "b", ends in LF in both sides.
    const result = merge3('a\r\nb\nc\r\n', 'a\r\nb\nM\r\n', 'a\r\nb\nT\r\n', { wordLevel: false });
    expect(toText(result)).toBe('a\r\nb\n<<<<<<< mine\nM\r\n||||||| base\nc\r\n=======\nT\r\n>>>>>>> theirs\n');
  });

  it('writes CR markers in old Mac text, where CR alone ends a line', () => {
    const result = merge3('a\rb\r', 'a\rc\r', 'a\rd\r', { wordLevel: false });
    expect(toText(result)).toBe('a\r<<<<<<< mine\rc\r||||||| base\rb\r=======\rd\r>>>>>>> theirs\r');
  });

  it('writes an empty side as nothing between its markers', () => {
    const result = merge3('a\nb\n', 'a\n', 'a\nB\n', { wordLevel: false });
    expect(toText(result)).toBe('a\n<<<<<<< mine\n||||||| base\nb\n=======\nB\n>>>>>>> theirs\n');
  });
});
