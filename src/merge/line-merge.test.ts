import { describe, expect, it } from 'vitest';
import { merge3, toText } from './index.ts';

const lines = (...items: string[]) => items.map((item) => `${item}\n`).join('');
const lineMerge = (base: string, mine: string, theirs: string) => merge3(base, mine, theirs, { wordLevel: false });

// Each expected result below is what `git merge-file -p --diff3` writes for the same files.
describe('line level: the alignment git chooses', () => {
  it('merges the same lines inserted on both sides once, with a further edit of one side beside them', () => {
    // Both insert "a b" between a and b; mine also appends x. A diff that places mine's copy
    // of the insertion one line off would not see the two insertions as the same change.
    const base = lines('a', 'b');
    const theirs = lines('a', 'a', 'b', 'b');
    const mine = lines('a', 'a', 'b', 'b', 'x');
    const result = lineMerge(base, mine, theirs);
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe(mine);
  });

  it('merges an identical block inserted on both sides into a document of repeated blank lines once', () => {
    const base = lines('# A', '', 'text', '', '# B', '', 'more');
    const block = ['', '## New', '', 'added'];
    const theirs = lines('# A', '', 'text', ...block, '', '# B', '', 'more');
    const mine = lines('# A', '', 'text', ...block, '', '# B', '', 'more', 'tail');
    const result = lineMerge(base, mine, theirs);
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe(mine);
    expect(toText(result).match(/## New/g)).toHaveLength(1);
  });

  it('lets an insertion slide away from an edit on the other side, so the two do not touch', () => {
    // Mine appends "}" + "" after the block; the copy it repeats could also be read as inserted
    // before the first "}". git reads it as far down as it goes, clear of theirs' edit of "x".
    const base = lines('x', '}', '');
    const mine = lines('x', '}', '', '}', '');
    const theirs = lines('X', '}', '');
    const result = lineMerge(base, mine, theirs);
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe(lines('X', '}', '', '}', ''));
  });

  it('reports the conflict git reports when a deletion lines up with the other side of a replacement', () => {
    // a a → c c a: git's diff deletes the first "a" next to the inserted lines (one
    // replacement), so theirs' edit of that first line clashes with it.
    const base = lines('a', 'a');
    const mine = lines('c', 'c', 'a');
    const theirs = lines('A', 'a');
    const result = lineMerge(base, mine, theirs);
    expect(result.clean).toBe(false);
    expect(toText(result)).toBe(
      '<<<<<<< mine\nc\nc\n||||||| base\na\n=======\nA\n>>>>>>> theirs\na\n',
    );
  });
});
