import { describe, expect, it } from 'vitest';
import { merge3, toText } from './index.ts';

/**
 * A 200,000-line CRLF document without a final newline, with blank lines repeating every few
 * lines (so the diff has ties to break), edited by both sides far apart and in three places
 * on the same line.
 */
function scenario() {
  const size = 200_000;
  const base = Array.from({ length: size }, (_, i) => (i % 7 === 0 ? '' : `paragraph ${i} of the long document`));
  const mine = [...base];
  const theirs = [...base];
  const expected = [...base];
  for (let i = 100; i < size; i += 997) {
    mine[i] = `mine rewrote ${i}`;
    expected[i] = mine[i];
  }
  for (let i = 600; i < size; i += 1009) {
    theirs[i] = `theirs rewrote ${i}`;
    expected[i] = theirs[i];
  }
  const clashes = [50_003, 120_002, 199_998];
  for (const i of clashes) {
    mine[i] = `mine clashes at ${i}`;
    theirs[i] = `theirs clashes at ${i}`;
  }
  const join = (lines: string[]) => lines.join('\r\n');
  return { base: join(base), mine: join(mine), theirs: join(theirs), expected, clashes };
}

describe('large input', () => {
  const { base, mine, theirs, expected, clashes } = scenario();

  it('merges scattered edits of a 200k-line document exactly, with only the real clashes as conflicts', () => {
    const result = merge3(base, mine, theirs, { wordLevel: false });
    const conflicts = result.hunks.filter((h) => h.kind === 'conflict');
    expect(conflicts).toEqual(
      clashes.map((i) => ({
        kind: 'conflict',
        base: `paragraph ${i} of the long document\r\n`,
        mine: `mine clashes at ${i}\r\n`,
        theirs: `theirs clashes at ${i}\r\n`,
      })),
    );
    const text = toText(result);
    expect(text.endsWith('paragraph 199999 of the long document')).toBe(true);
    // Every line that is not inside a conflict is what one side or both wanted.
    const merged = text.split('\r\n');
    const lines = merged.filter((line) => !/^(<{7}|\|{7}|={7}|>{7})/.test(line) && !/clashes at|^paragraph (50003|120002|199998) /.test(line));
    expect(lines).toEqual(expected.filter((_, i) => !clashes.includes(i)));
  });

  it('merges the same document cleanly once theirs leaves the clashing lines alone', () => {
    const calm = theirs.replace(/theirs clashes at (\d+)/g, 'paragraph $1 of the long document');
    const result = merge3(base, mine, calm);
    expect(result.clean).toBe(true);
    const wanted = [...expected];
    for (const i of clashes) wanted[i] = `mine clashes at ${i}`;
    expect(toText(result)).toBe(wanted.join('\r\n'));
  });

  it('resolves clashes of neighbouring lines at word level', () => {
    const mineWords = mine.replace('mine clashes at 120002', 'paragraph 120002 of the LONG document');
    const theirsWords = theirs
      .replace('theirs clashes at 120002', 'paragraph 120002 of the long document')
      .replace('paragraph 120003 of the long document', 'PARAGRAPH 120003 of the long document');
    const result = merge3(base, mineWords, theirsWords);
    expect(result.hunks.filter((h) => h.kind === 'conflict')).toHaveLength(2);
    expect(toText(result)).toContain('\r\nparagraph 120002 of the LONG document\r\nPARAGRAPH 120003 of the long document\r\n');
  });
});

describe('empty inputs', () => {
  it('merges three empty texts to an empty text', () => {
    expect(merge3('', '', '')).toEqual({ clean: true, hunks: [] });
    expect(toText(merge3('', '', ''))).toBe('');
  });

  it('takes a text one side wrote into an empty document', () => {
    expect(toText(merge3('', 'hello', ''))).toBe('hello');
    expect(toText(merge3('', '', 'hello'))).toBe('hello');
  });

  it('takes an emptied document when the other side did not change it', () => {
    expect(toText(merge3('a\nb\n', '', 'a\nb\n'))).toBe('');
  });

  it('reports a conflict when both sides wrote different texts into an empty document', () => {
    const result = merge3('', 'mine\n', 'theirs\n');
    expect(result).toEqual({ clean: false, hunks: [{ kind: 'conflict', base: '', mine: 'mine\n', theirs: 'theirs\n' }] });
  });
});
