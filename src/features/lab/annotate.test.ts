import { describe, expect, it } from 'vitest';
import { annotate, changesOf } from './annotate.ts';
import type { StrategyOutcome, Triple } from './strategies/types.ts';

const clean = (text: string): StrategyOutcome => ({ strategy: 'patch', text, clean: true, conflicts: [] });
const fates = (triple: Triple, text: string) => {
  const a = annotate(triple, clean(text));
  return { mine: a.mine.map((c) => c.fate), theirs: a.theirs.map((c) => c.fate), strays: a.strays.map((s) => [s.removed, s.inserted]) };
};

describe('changesOf', () => {
  it('groups words changed with only spaces between them, by line', () => {
    expect(changesOf('The meeting is on Tuesday.\nBring it.\n', 'The meeting moves to Wednesday.\nBring them.\n', 'mine')).toEqual([
      { side: 'mine', start: 12, end: 25, removed: 'is on Tuesday', inserted: 'moves to Wednesday' },
      { side: 'mine', start: 33, end: 35, removed: 'it', inserted: 'them' },
    ]);
  });

  it('pairs the parts of a rewritten version string by position, not with a copy elsewhere', () => {
    // git's diff (the merge's) matches the 2 of 3.1.2 with the 2 of 3.2.0: "1." deleted, ".0.dev" added.
    const changes = changesOf('version: 3.1.2\n', 'version: 3.2.0.dev\n', 'mine');
    expect(changes.map((c) => [c.removed, c.inserted])).toEqual([
      ['1', '2'],
      ['2', '0.dev'],
    ]);
  });

  it('keeps a moved line whole instead of pairing unrelated lines word by word', () => {
    const changes = changesOf('- Buy milk\n- Call Ana\n- Pay rent\n', '- Call Ana\n- Pay rent\n- Buy milk\n', 'mine');
    expect(changes.map((c) => [c.removed, c.inserted])).toEqual([
      ['- Buy milk\n', ''],
      ['', '- Buy milk\n'],
    ]);
  });
});

describe('annotate', () => {
  const triple = { base: 'red green blue\n', mine: 'red GREEN blue\n', theirs: 'red green blue sky\n' };

  it('kept: each side once, where it was made', () => {
    expect(fates(triple, 'red GREEN blue sky\n')).toEqual({ mine: ['kept'], theirs: ['kept'], strays: [] });
  });

  it('lost: an insertion missing, or a deletion undone', () => {
    expect(fates(triple, 'red GREEN blue\n')).toEqual({ mine: ['kept'], theirs: ['lost'], strays: [] });
    const deletion = { base: 'a b c\n', mine: 'a c\n', theirs: 'a b c d\n' };
    expect(fates(deletion, 'a b c d\n').mine).toEqual(['lost']);
  });

  it('lost: a deleted paragraph back in the result, even as the other side edited it', () => {
    const deleted = { base: 'a\n\nthe quiet room for thirty\n\nb\n', mine: 'a\n\nb\n', theirs: 'a\n\nthe quiet back room for forty\n\nb\n' };
    expect(fates(deleted, deleted.theirs).mine).toEqual(['lost']);
    expect(fates(deleted, deleted.mine).mine).toEqual(['kept']);
  });

  it('duplicated: the same words more often than the side wrote them', () => {
    expect(fates(triple, 'red GREENGREEN blue sky\n').mine).toEqual(['duplicated']);
  });

  it('interleaved: all the characters, in order, with other text between', () => {
    expect(fates(triple, 'red GRxEEN blue sky\n').mine).toEqual(['interleaved']);
  });

  it('alongside: two different rewrites of the same words, both there', () => {
    const rivals = { base: 'at noon\n', mine: 'at one\n', theirs: 'at two\n' };
    expect(fates(rivals, 'at onetwo\n')).toEqual({ mine: ['alongside'], theirs: ['alongside'], strays: [] });
  });

  it('misplaced: the words are in the result, not where they were made', () => {
    const moved = { base: 'one\ntwo\nthree\n', mine: 'one\ntwo\nthree\n', theirs: 'one\ntwo extra\nthree\n' };
    expect(fates(moved, 'one extra\ntwo\nthree\n').theirs).toEqual(['misplaced']);
  });

  it('strays: a change neither side made', () => {
    const apart = { base: 'a\nb\nc\nd\ne\n', mine: 'A\nb\nc\nd\ne\n', theirs: 'a\nb\nc\nd\nE\n' };
    expect(fates(apart, 'A\nb\nd\nE\n')).toEqual({ mine: ['kept'], theirs: ['kept'], strays: [['c\n', '']] });
  });

  it('conflict: a change inside a region left for a person', () => {
    const outcome: StrategyOutcome = { strategy: 'word-merge', text: 'x', clean: false, conflicts: [{ start: 0, end: 4 }] };
    const a = annotate({ base: 'noon later\n', mine: 'one later\n', theirs: 'two later\n' }, outcome);
    expect(a.mine.map((c) => c.fate)).toEqual(['conflict']);
    expect(a.strays).toEqual([]);
  });
});
