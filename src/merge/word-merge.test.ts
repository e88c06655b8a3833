import { describe, expect, it } from 'vitest';
import { merge3, toText } from './index.ts';
import { WORD_EDIT_LIMIT } from './word-merge.ts';

const paragraph = 'The meeting starts at ten. Bring the report. We will discuss the budget.\n';

describe('word-level merge', () => {
  it('merges two users fixing different sentences of one paragraph', () => {
    const mine = 'The meeting starts at eleven. Bring the report. We will discuss the budget.\n';
    const theirs = 'The meeting starts at ten. Bring the report. We will discuss the annual budget.\n';
    const result = merge3(paragraph, mine, theirs);
    expect(result).toEqual({
      clean: true,
      hunks: [
        {
          kind: 'both',
          base: paragraph,
          text: 'The meeting starts at eleven. Bring the report. We will discuss the annual budget.\n',
        },
      ],
    });
    // The classic line merge cannot do that.
    expect(merge3(paragraph, mine, theirs, { wordLevel: false }).clean).toBe(false);
  });

  it('keeps the line conflict when both change the same word differently', () => {
    const mine = 'The meeting starts at eleven. Bring the report. We will discuss the budget.\n';
    const theirs = 'The meeting starts at noon. Bring the report. We will discuss the budget.\n';
    expect(merge3(paragraph, mine, theirs)).toEqual({
      clean: false,
      hunks: [{ kind: 'conflict', base: paragraph, mine, theirs }],
    });
  });

  it('keeps the line conflict when the word edits touch with nothing unchanged between', () => {
    expect(merge3('alpha beta\n', 'alpha-beta\n', 'alpha betas\n').clean).toBe(false);
    expect(merge3('alpha beta\n', 'alphas beta\n', 'alpha-beta\n').clean).toBe(false);
    const apart = merge3('alpha beta gamma\n', 'ALPHA beta gamma\n', 'alpha beta GAMMA\n');
    expect(toText(apart)).toBe('ALPHA beta GAMMA\n');
  });

  it('merges a line one side inserted with a word the other changed on the next line', () => {
    const result = merge3('one two\nthree\n', 'zero\none two\nthree\n', 'one 2\nthree\n');
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe('zero\none 2\nthree\n');
  });

  it('merges edits of one Japanese sentence, which has no spaces between words', () => {
    const result = merge3('会議は十時に始まります。\n', '会議は十一時に始まります。\n', '会議は十時に開始します。\n');
    expect(toText(result)).toBe('会議は十一時に開始します。\n');
  });

  it('never cuts an emoji when both sides edit next to it', () => {
    const result = merge3('I 😀 you 👍🏽 ok\n', 'We 😀 you 👍🏽 ok\n', 'I 😀 you 👍🏽 fine\n');
    expect(toText(result)).toBe('We 😀 you 👍🏽 fine\n');
    const clash = merge3('a😀b\n', 'a😃b\n', 'a😄b\n');
    expect(clash.clean).toBe(false);
  });

  it('resolves identical word edits on both sides', () => {
    const result = merge3('colour and flavour\nx\n', 'color and flavour\ny\n', 'color and flavour\nx\nz\n');
    // "z" could be inserted before or after the line break that follows "x"; taking the later
    // place keeps it clear of mine's change of "x".
    expect(toText(result)).toBe('color and flavour\ny\nz\n');
  });

  it('merges word edits scattered over one very long line', () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i % 97}`);
    const mine = [...words];
    const theirs = [...words];
    for (let i = 0; i < 20_000; i += 200) {
      mine[i] = `mine${i}`;
      theirs[i + 100] = `theirs${i}`;
    }
    const result = merge3(words.join(' '), mine.join(' '), theirs.join(' '));
    expect(result.clean).toBe(true);
    const expected = mine.map((word, i) => (theirs[i] === words[i] ? word : theirs[i]));
    expect(toText(result)).toBe(expected.join(' '));
  });

  it('tries the word level only while a side is within WORD_EDIT_LIMIT word edits of base', () => {
    const base = Array.from({ length: 1300 }, (_, i) => `line ${i}`);
    // Mine rewrites the first `rewritten` lines; theirs edits the line right after them, so
    // at line level the two touch, and at word level they do not.
    const attempt = (rewritten: number) => {
      const mine = base.map((line, i) => (i < rewritten ? `rewritten ${i}` : line));
      const theirs = base.map((line, i) => (i === rewritten ? `line ${i} edited` : line));
      return merge3(base.join('\n'), mine.join('\n'), theirs.join('\n'));
    };
    expect(WORD_EDIT_LIMIT).toBe(2000);
    expect(attempt(100).clean).toBe(true);
    // 1200 lines × a word deleted and a word inserted: past the limit, the line conflict stays.
    const tooMuch = attempt(1200);
    expect(tooMuch.clean).toBe(false);
    expect(tooMuch.hunks.filter((h) => h.kind === 'conflict')).toHaveLength(1);
  });
});
