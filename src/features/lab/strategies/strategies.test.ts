import { describe, expect, it } from 'vitest';
import { crdtMerge } from './crdt.ts';
import { mineWins, theirsWins } from './last-writer.ts';
import { patchMerge } from './patch.ts';
import { lineMerge, wordMerge } from './three-way.ts';

const NOTES = { base: 'one\ntwo\nthree\n', mine: 'one\ntwo!\nthree\n', theirs: 'one\ntwo\nthree?\n' };

/** A lone surrogate in the output would mean a code point was split. */
const wellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('last writer wins', () => {
  it('is the later save, whole', () => {
    expect(mineWins(NOTES)).toEqual({ strategy: 'mine-wins', text: NOTES.mine, clean: true, conflicts: [] });
    expect(theirsWins(NOTES)).toEqual({ strategy: 'theirs-wins', text: NOTES.theirs, clean: true, conflicts: [] });
  });
});

describe('three-way merges', () => {
  it('merge edits of neighbouring lines: git conflicts, the word level does not', () => {
    // Adjacent lines with no unchanged line between: diff3 calls that a conflict.
    const line = lineMerge(NOTES);
    expect(line.clean).toBe(false);
    expect(line.text).toContain('<<<<<<< mine\n');
    // The conflict covers base "two\nthree\n" (offsets 4 to 14).
    expect(line.conflicts).toEqual([{ start: 4, end: 14 }]);
    expect(wordMerge(NOTES)).toEqual({ strategy: 'word-merge', text: 'one\ntwo!\nthree?\n', clean: true, conflicts: [] });
  });

  it('place each conflict in the base, after earlier hunks', () => {
    const triple = { base: 'a\nb\nc\nd\ne\n', mine: 'a\nb\nc\nD1\ne\n', theirs: 'a\nb\nc\nD2\ne\n' };
    const outcome = wordMerge(triple);
    expect(outcome.clean).toBe(false);
    expect(outcome.conflicts).toEqual([{ start: 6, end: 8 }]);
    expect(triple.base.slice(6, 8)).toBe('d\n');
  });
});

describe('diff-match-patch patches', () => {
  it("applies theirs' patches to mine, found by context", () => {
    const outcome = patchMerge(NOTES);
    expect(outcome).toMatchObject({ text: 'one\ntwo!\nthree?\n', clean: true, patches: { total: 1, failed: 0 } });
  });

  it('reports a patch it cannot place as not applied, and keeps mine there', () => {
    const base = 'The quick brown fox jumps over the lazy dog near the river bank today.\n';
    const triple = {
      base,
      mine: 'Completely different words now fill this entire line of the document.\n',
      theirs: base.replace('lazy dog', 'sleepy cat'),
    };
    const outcome = patchMerge(triple);
    expect(outcome.clean).toBe(false);
    expect(outcome.patches).toEqual({ total: 1, failed: 1 });
    expect(outcome.text).toBe(triple.mine);
  });
});

describe('CRDT (Yjs)', () => {
  it('merges edits of different places without a conflict', () => {
    expect(crdtMerge(NOTES)).toEqual({ strategy: 'crdt', text: 'one\ntwo!\nthree?\n', clean: true, conflicts: [] });
  });

  it('never conflicts, and gives the same result every run', () => {
    const triple = { base: 'at 10:00\n', mine: 'at 11:30\n', theirs: 'at 10:45\n' };
    const first = crdtMerge(triple);
    expect(first.clean).toBe(true);
    expect(crdtMerge(triple).text).toBe(first.text);
  });

  it('applies the same edit made on both sides twice', () => {
    expect(crdtMerge({ base: '>= 4\n', mine: '>= 18\n', theirs: '>= 18\n' }).text).toBe('>= 1818\n');
  });

  it('keeps code points whole, with CRLF line endings', () => {
    const triple = { base: 'a 😀 b\r\nc\r\n', mine: 'a 😀😁 b\r\nc\r\n', theirs: 'a 😀 b\r\nc 🎉\r\n' };
    const outcome = crdtMerge(triple);
    expect(outcome.text).toBe('a 😀😁 b\r\nc 🎉\r\n');
    expect(wellFormed(outcome.text)).toBe(true);
    expect(wellFormed(patchMerge(triple).text)).toBe(true);
  });

  it('never edits half a character: emoji that share their first UTF-16 unit', () => {
    // 🕙 is D83D DD59 and 🕚 is D83D DD5A.
    const triple = { base: 'at 10 🕙\nlunch\n', mine: 'at 11 🕚\nlunch\n', theirs: 'at 10 🕙\na long lunch\n' };
    expect(crdtMerge(triple).text).toBe('at 11 🕚\na long lunch\n');
    expect(patchMerge(triple).text).toBe('at 11 🕚\na long lunch\n');
  });

  it('handles empty texts', () => {
    expect(crdtMerge({ base: '', mine: 'mine\n', theirs: '' }).text).toBe('mine\n');
    expect(crdtMerge({ base: 'gone\n', mine: '', theirs: '' }).text).toBe('');
  });
});
