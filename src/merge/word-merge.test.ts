import { describe, expect, it } from 'vitest';
import { merge3, toText } from './index.ts';
import { mergeLines } from './line-merge.ts';
import { resolveAtWordLevel, WORD_EDIT_LIMIT, WORD_RULES, type WordRule } from './word-merge.ts';

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

  it('keeps the line conflict for edits of neighbouring lines of code, as git does', () => {
    const base = "gem 'rr', '~> 1.0'\ngem 'cucumber', '~> 1.2'\n";
    expect(merge3(base, "gem 'rr', '~> 1.1'\ngem 'cucumber', '~> 1.2'\n", "gem 'rr', '~> 1.0'\ngem 'cucumber', '~> 1.3'\n").clean).toBe(false);
  });

  it('merges edits of neighbouring lines of prose', () => {
    const result = merge3('Bring the report.\nWe start at ten.\n', 'Bring the annual report.\nWe start at ten.\n', 'Bring the report.\nWe start at eleven.\n');
    expect(toText(result)).toBe('Bring the annual report.\nWe start at eleven.\n');
  });

  it('takes the side that made every edit of the other, and more, even in code', () => {
    // Theirs fixed a message; mine made the same fix, renamed the call and added a line.
    const base = 'load_file(path)\nputs("from #{path}")\n';
    const theirs = 'load_file(path)\nputs("file: #{path}")\n';
    const mine = 'safe_load_file(path)\nputs("file: #{path}")\nputs("done")\n';
    expect(merge3(base, mine, theirs, { wordLevel: false }).clean).toBe(false);
    const result = merge3(base, mine, theirs);
    expect(result).toEqual({ clean: true, hunks: [{ kind: 'both', base, text: mine, wordMerged: { base, mine, theirs } }] });
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

/**
 * Each safety rule with a case written for it: with every rule the line conflict stays, and
 * with every rule but that one the word level would merge it, so the rule is what decides.
 */
describe('word-level safety rules', () => {
  const withoutRule = (rule: WordRule) => new Set([...WORD_RULES].filter((r) => r !== rule));
  const mergeWith = (rules: ReadonlySet<WordRule>, base: string, mine: string, theirs: string) => {
    const hunks = mergeLines(base, mine, theirs).map((hunk) => (hunk.kind === 'conflict' ? resolveAtWordLevel(hunk, rules) : hunk));
    return { clean: hunks.every((hunk) => hunk.kind !== 'conflict'), hunks };
  };
  const minified = (a: string, b: string) => `${a} ${'x=1;'.repeat(300)} ${b}\n`;

  const cases: { rule: WordRule; why: string; base: string; mine: string; theirs: string; without: string }[] = [
    {
      rule: 'minified',
      why: 'a minified line (built output) is left alone, even when one side contains the other',
      base: minified('a', 'b'),
      mine: minified('A', 'B'),
      theirs: minified('A', 'b'),
      without: minified('A', 'B'),
    },
    {
      rule: 'whitespace',
      why: 'a side that only converted line endings is a reformatting, not an edit to take',
      base: 'Alpha beta.\r\nGamma delta.\r\n',
      mine: 'Alpha BETA.\nGamma delta.\n',
      theirs: 'Alpha BETA.\r\nGamma delta.\r\n',
      without: 'Alpha BETA.\nGamma delta.\n',
    },
    {
      rule: 'whitespace',
      why: 'a side that only added trailing spaces is a reformatting, even next to an edit of the other',
      base: 'Alpha beta.\nGamma delta.\n',
      mine: 'Alpha beta.  \nGamma delta.\n',
      theirs: 'Alpha beta.\nGamma DELTA.\n',
      without: 'Alpha beta.  \nGamma DELTA.\n',
    },
    {
      rule: 'prose',
      why: 'edits of neighbouring lines of code are not combined',
      base: 'call(a)\ncall(b)\n',
      mine: 'call(x)\ncall(b)\n',
      theirs: 'call(a)\ncall(y)\n',
      without: 'call(x)\ncall(y)\n',
    },
    {
      rule: 'prose',
      why: 'neighbouring fields of data are not combined: a key and the id made for it',
      base: "key: 'abc',\nstyleId: 998\n",
      mine: "key: 'abc',\nstyleId: 22677\n",
      theirs: "key: 'def',\nstyleId: 998\n",
      without: "key: 'def',\nstyleId: 22677\n",
    },
    {
      rule: 'prose',
      why: 'nor are neighbouring fields of JSON',
      base: '"version": "1.0.0",\n"description": "A map"\n',
      mine: '"version": "2.0.0",\n"description": "A map"\n',
      theirs: '"version": "1.0.0",\n"description": "A world map"\n',
      without: '"version": "2.0.0",\n"description": "A world map"\n',
    },
    {
      rule: 'line-count',
      why: 'a side that adds a line next to the other side’s edit is not combined with it',
      base: 'One. Two.\n',
      mine: 'Zero.\nOne. Two.\n',
      theirs: 'One. Too.\n',
      without: 'Zero.\nOne. Too.\n',
    },
    {
      rule: 'word-between',
      why: 'an edit at the end of a line and one at the start of the next touch',
      base: 'Alpha\nBeta\n',
      mine: 'Alphas\nBeta\n',
      theirs: 'Alpha\nbeta\n',
      without: 'Alphas\nbeta\n',
    },
    {
      rule: 'insertion-once',
      why: 'the same insertion made at two places is one insertion',
      base: 'We use Twilio.\nWe use Stripe.\n',
      mine: 'We use Runscope and Twilio.\nWe use Stripe.\n',
      theirs: 'We use Twilio.\nWe use Stripe and Runscope.\n',
      without: 'We use Runscope and Twilio.\nWe use Stripe and Runscope.\n',
    },
    {
      rule: 'no-repeat',
      why: 'two lines turned into the same line would be there twice',
      base: 'Call Ana today.\nCall Bob today.\n',
      mine: 'Call Eve today.\nCall Bob today.\n',
      theirs: 'Call Ana today.\nCall Eve today.\n',
      without: 'Call Eve today.\nCall Eve today.\n',
    },
  ];

  it.each(cases)('$rule: $why', ({ rule, base, mine, theirs, without }) => {
    expect(merge3(base, mine, theirs, { wordLevel: false }).clean).toBe(false);
    const result = merge3(base, mine, theirs);
    expect(result.clean).toBe(false);
    expect(result.hunks.filter((hunk) => hunk.kind === 'conflict')).toHaveLength(1);
    const relaxed = mergeWith(withoutRule(rule), base, mine, theirs);
    expect(relaxed.clean).toBe(true);
    expect(toText(relaxed)).toBe(without);
  });

  it('names every rule in a case', () => {
    expect(new Set(cases.map((c) => c.rule))).toEqual(WORD_RULES);
  });
});
