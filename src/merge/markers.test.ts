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

  it('reads the line before the conflict, not the conflict, once there is one', () => {
    // The line before ends in CRLF; each side's first line in the conflict ends in LF.
    const mineLf = merge3('a\r\nb\r\n', 'a\r\nB\n', 'a\r\nC\r\n', { wordLevel: false });
    expect(toText(mineLf)).toBe('a\r\n<<<<<<< mine\r\nB\n||||||| base\r\nb\r\n=======\r\nC\r\n>>>>>>> theirs\r\n');
    const theirsLf = merge3('a\r\nb\r\n', 'a\r\nC\r\n', 'a\r\nB\n', { wordLevel: false });
    expect(toText(theirsLf)).toBe('a\r\n<<<<<<< mine\r\nC\r\n||||||| base\r\nb\r\n=======\r\nB\n>>>>>>> theirs\r\n');
  });

  it('writes LF markers when the line before the conflict ends in LF in theirs only', () => {
    const result = merge3('a\r\nb\r\n', 'a\r\nC\r\n', 'a\nB\r\n', { wordLevel: false });
    expect(toText(result)).toBe('<<<<<<< mine\na\r\nC\r\n||||||| base\na\r\nb\r\n=======\na\nB\r\n>>>>>>> theirs\n');
  });

  it.each([
    ['mine', 'A\r\nb\nc\r\nM\r\n', 'a\r\nb\nc\r\nT\r\n'],
    ['theirs', 'a\r\nb\nc\r\nM\r\n', 'A\r\nb\nc\r\nT\r\n'],
    ['both', 'A\r\nb\nc\r\nM\r\n', 'A\r\nb\nc\r\nT\r\n'],
  ])("reads base's first line in a change of %s that opens the document", (_, mine, theirs) => {
    // Base's first line ends in CRLF, its second in LF: git writes CRLF markers.
    const result = merge3('a\r\nb\nc\r\nd\r\n', mine, theirs, { wordLevel: false });
    expect(toText(result)).toBe('A\r\nb\nc\r\n<<<<<<< mine\r\nM\r\n||||||| base\r\nd\r\n=======\r\nT\r\n>>>>>>> theirs\r\n');
  });

  it("ends base's first line at its first terminator, a lone CR before a CRLF", () => {
    // Where CR alone ends a line, as this merge reads old Mac text (git, which splits only at
    // LF, sees "a\rb\r\n" as one line and writes CRLF).
    const result = merge3('a\rb\r\nc\r\n', 'a\rb\r\nM\r\n', 'a\rb\r\nT\r\n', { wordLevel: false });
    expect(toText(result)).toBe('a\rb\r\n<<<<<<< mine\rM\r\n||||||| base\rc\r\n=======\rT\r\n>>>>>>> theirs\r');
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
