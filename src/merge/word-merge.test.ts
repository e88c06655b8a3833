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
          wordMerged: { base: paragraph, mine, theirs },
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
    const apart = merge3('Alpha is first. Beta is next.\n', 'ALPHA is first. Beta is next.\n', 'Alpha is first. BETA is next.\n');
    expect(toText(apart)).toBe('ALPHA is first. BETA is next.\n');
  });

  it('keeps the line conflict when only spaces or punctuation separate the two edits', () => {
    // One line each, so the line rule is not what decides: "-" and "," are not words.
    expect(merge3('a\nx - y\n', 'a\nX - y\n', 'a\nx - Y\n').clean).toBe(false);
    expect(merge3('a\nx, y\n', 'a\nX, y\n', 'a\nx, Y\n').clean).toBe(false);
  });

  it('keeps the line conflict when the two edits are in one line of code', () => {
    // An argument list, a list of names, a condition: two edits of one line of code were
    // mostly resolved otherwise by hand.
    expect(merge3('call(a, b, c)\n', 'call(A, b, c)\n', 'call(a, b, C)\n').clean).toBe(false);
    expect(merge3('items = %w(one two three)\n', 'items = %w(one two three four)\n', 'items = %w(zero one two three)\n').clean).toBe(false);
  });

  it('merges two edits in one sentence of prose', () => {
    const sentence = 'The quick brown fox jumps over the lazy dog while the farmer watches.\n';
    const result = merge3(sentence, sentence.replace('quick', 'swift'), sentence.replace('lazy', 'sleepy'));
    expect(toText(result)).toBe('The swift brown fox jumps over the sleepy dog while the farmer watches.\n');
  });

  it('keeps the line conflict when both sides insert the same word at different places', () => {
    // Taking both would name Runscope twice.
    expect(merge3('Twilio, Stripe\n', 'Runscope, Twilio, Stripe\n', 'Twilio, Stripe, Runscope\n').clean).toBe(false);
    expect(merge3('Start the app.\n', 'Start the app, flask run.\n', 'Start flask run, the app.\n').clean).toBe(false);
  });

  it('merges edits of neighbouring lines, which git leaves as one conflict', () => {
    const base = "gem 'rr', '~> 1.0'\ngem 'cucumber', '~> 1.2'\n";
    const result = merge3(base, "gem 'rr', '~> 1.1'\ngem 'cucumber', '~> 1.2'\n", "gem 'rr', '~> 1.0'\ngem 'cucumber', '~> 1.3'\n");
    expect(merge3(base, "gem 'rr', '~> 1.1'\ngem 'cucumber', '~> 1.2'\n", "gem 'rr', '~> 1.0'\ngem 'cucumber', '~> 1.3'\n", { wordLevel: false }).clean).toBe(false);
    expect(toText(result)).toBe("gem 'rr', '~> 1.1'\ngem 'cucumber', '~> 1.3'\n");
  });

  it('never splits a version string, so no side gets a version neither chose', () => {
    const base = '"version": "4.19.1",\n';
    const result = merge3(base, '"version": "5.0.0-beta.1",\n', '"version": "4.19.2",\n');
    expect(result.clean).toBe(false);
    expect(toText(result)).not.toContain('5.0.0-beta.2');
  });

  it('never splits a URL, a dotted name or a number', () => {
    const url = 'See http://example.com/blog/2014/post for more.\n';
    expect(merge3(url, 'See http://example.com/new/blog/2014/post for more.\n', 'See https://example.com/blog/2014/post for more.\n').clean).toBe(false);
    expect(merge3('this.map.off()\n', 'that.map.off()\n', 'this.map.on()\n').clean).toBe(false);
    expect(merge3('width: 12.5px\n', 'width: 13.5px\n', 'width: 12.75px\n').clean).toBe(false);
  });

  it('keeps the line conflict when a side adds or removes lines', () => {
    // Mine inserts a line, theirs edits the next one: on real merges people mostly resolved
    // such conflicts some other way than by taking both.
    const result = merge3('one two\nthree\n', 'zero\none two\nthree\n', 'one 2\nthree\n');
    expect(result.clean).toBe(false);
  });

  it('leaves minified lines alone', () => {
    const minified = (a: string, b: string) => `${a}${'x=1;'.repeat(300)}${b}\n`;
    expect(merge3(minified('a', 'b'), minified('A', 'b'), minified('a', 'B')).clean).toBe(false);
  });

  it('merges an insertion both sides made once', () => {
    const result = merge3('Hello world. Bye now.\n', 'Hello big world. Bye now!\n', 'Hello big world. Bye now.\n');
    expect(toText(result)).toBe('Hello big world. Bye now!\n');
  });

  it('keeps the line conflict when the merge would repeat a line neither side repeats', () => {
    // Each side turns a different line into the same new line: taking both would have it twice.
    const result = merge3('a = 1\nb = 2\n', 'c = 3\nb = 2\n', 'a = 1\nc = 3\n');
    expect(result.clean).toBe(false);
  });

  it('marks a word-merged hunk with the line conflict it came from, and nothing else', () => {
    const base = 'x\nfirst line\nsecond line\ny\n';
    const mine = 'x\nfirst LINE\nsecond line\ny!\n';
    const theirs = 'x\nfirst line\nsecond LINE\ny\n';
    const result = merge3(base, mine, theirs);
    expect(result.clean).toBe(true);
    const merged = result.hunks.filter((hunk) => hunk.kind !== 'stable' && hunk.kind !== 'conflict' && hunk.wordMerged);
    expect(merged).toEqual([
      {
        kind: 'both',
        base: 'first line\nsecond line\ny\n',
        text: 'first LINE\nsecond LINE\ny!\n',
        wordMerged: { base: 'first line\nsecond line\ny\n', mine: 'first LINE\nsecond line\ny!\n', theirs: 'first line\nsecond LINE\ny\n' },
      },
    ]);
    expect(merge3(base, mine, theirs, { wordLevel: false }).hunks.some((hunk) => 'wordMerged' in hunk)).toBe(false);
  });

  it('merges edits of one Japanese sentence, which has no spaces between words', () => {
    // Two sentences: each side edits one.
    const result = merge3('会議は十時です。資料を持ってきてください。\n', '会議は十一時です。資料を持ってきてください。\n', '会議は十時です。資料を送ってください。\n');
    expect(toText(result)).toBe('会議は十一時です。資料を送ってください。\n');
  });

  it('never cuts an emoji when both sides edit next to it', () => {
    const result = merge3('I 😀 you. Ok 👍🏽\n', 'We 😀 you. Ok 👍🏽\n', 'I 😀 you. Fine 👍🏽\n');
    expect(toText(result)).toBe('We 😀 you. Fine 👍🏽\n');
    const clash = merge3('a😀b\n', 'a😃b\n', 'a😄b\n');
    expect(clash.clean).toBe(false);
  });

  it('resolves identical word edits on both sides', () => {
    const result = merge3('colour and flavour\nx y\n', 'color and flavour\nx Y\n', 'color and flavor\nx y\n');
    expect(toText(result)).toBe('color and flavor\nx Y\n');
  });

  it('merges word edits scattered over one very long line', () => {
    // Sentences of ten words; the edits fall in different sentences.
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i % 97}${i % 10 === 9 ? '.' : ''}`);
    const mine = [...words];
    const theirs = [...words];
    for (let i = 0; i < 20_000; i += 200) {
      mine[i] = `mine${i}`;
      theirs[i + 100 + 5] = `theirs${i}`;
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
