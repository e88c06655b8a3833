import { describe, expect, it } from 'vitest';
import { merge3, toText } from './index.ts';
import { mergeLines } from './line-merge.ts';
import { resolveAtWordLevel, WORD_RULES, type WordRule } from './word-merge.ts';

/**
 * The edges of the word level's safety rules: where each rule starts and stops applying, and
 * the cases it must leave alone. word-merge.test.ts shows that each rule decides its own case;
 * these pin the thresholds and directions a small slip in the rules would move.
 */

const withoutRules = (...rules: WordRule[]) => new Set([...WORD_RULES].filter((rule) => !rules.includes(rule)));

function mergeWith(rules: ReadonlySet<WordRule>, base: string, mine: string, theirs: string) {
  const hunks = mergeLines(base, mine, theirs).map((hunk) => (hunk.kind === 'conflict' ? resolveAtWordLevel(hunk, rules) : hunk));
  const result = { clean: hunks.every((hunk) => hunk.kind !== 'conflict'), hunks };
  return { clean: result.clean, text: toText(result) };
}

/** A case the rule refuses, and what the merge would give without that rule. */
function expectRuleDecides(rule: WordRule, base: string, mine: string, theirs: string, without: string): void {
  expect(merge3(base, mine, theirs, { wordLevel: false }).clean).toBe(false);
  const result = merge3(base, mine, theirs);
  expect(result.clean).toBe(false);
  expect(result.hunks.filter((hunk) => hunk.kind === 'conflict')).toHaveLength(1);
  expect(mergeWith(withoutRules(rule), base, mine, theirs)).toEqual({ clean: true, text: without });
}

describe('minified: a long line with hardly any whitespace', () => {
  // One line: a word, a long run of letters, a word. Mine changes both words, theirs the first
  // only, so without the rule the word level takes mine (it made every edit theirs made).
  const longLine = (first: string, last: string, length: number) => `${first} ${'x'.repeat(length - 5)} ${last}\n`;

  it('counts from 1,000 characters on, line ending included', () => {
    const base = longLine('a', 'b', 1000);
    expect(base).toHaveLength(1000);
    expectRuleDecides('minified', base, longLine('A', 'B', 1000), longLine('A', 'b', 1000), longLine('A', 'B', 1000));
  });

  it('leaves a line of 999 characters to the word level', () => {
    const result = merge3(longLine('a', 'b', 999), longLine('A', 'B', 999), longLine('A', 'b', 999));
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe(longLine('A', 'B', 999));
  });

  // A 1,000-character line with exactly `whitespace` whitespace characters (line ending included).
  const spacedLine = (first: string, last: string, whitespace: number) => {
    const parts = [first, ...Array.from({ length: whitespace - 3 }, () => 'y'), 'z', last];
    parts[whitespace - 2] = 'z'.repeat(1000 - `${parts.join(' ')}\n`.length + 1);
    return `${parts.join(' ')}\n`;
  };

  it('takes a line as minified when under one character in 50 is whitespace', () => {
    const base = spacedLine('a', 'b', 19);
    expect(base).toHaveLength(1000);
    expect(base.match(/\s/gu)).toHaveLength(19);
    expectRuleDecides('minified', base, spacedLine('A', 'B', 19), spacedLine('A', 'b', 19), spacedLine('A', 'B', 19));
  });

  it('does not take a line with one whitespace character in 50 as minified', () => {
    const base = spacedLine('a', 'b', 20);
    expect(base.match(/\s/gu)).toHaveLength(20);
    const result = merge3(base, spacedLine('A', 'B', 20), spacedLine('A', 'b', 20));
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe(spacedLine('A', 'B', 20));
  });

  it('takes a last line with no whitespace at all, not even a line ending, as minified', () => {
    const bare = (first: string, last: string) => `${first}${';'.repeat(1200)}${last}`;
    expectRuleDecides('minified', bare('a', 'b'), bare('A', 'B'), bare('A', 'b'), bare('A', 'B'));
  });

  it('looks at mine and at theirs too, not only at base', () => {
    // Only one side has the long line: it appended it to the line the other side also edited.
    const tail = ` ${'q'.repeat(1200)}`;
    expectRuleDecides('minified', 'a b\n', `A b${tail}\n`, 'A b\n', `A b${tail}\n`);
    expectRuleDecides('minified', 'a b\n', 'A b\n', `A b${tail}\n`, `A b${tail}\n`);
  });
});

describe('whitespace: a side that only reformats', () => {
  it('applies to theirs as it does to mine', () => {
    expectRuleDecides(
      'whitespace',
      'Alpha beta.\nGamma delta.\n',
      'Alpha beta.\nGamma DELTA.\n',
      'Alpha beta.  \nGamma delta.\n',
      'Alpha beta.  \nGamma DELTA.\n',
    );
  });

  it.each([
    ['strips a trailing space and converts CRLF to LF', 'Alpha beta. \r\nGamma delta epsilon.\r\n', 'Alpha beta.\nGamma delta epsilon.\n'],
    ['adds a trailing space and converts CRLF to LF', 'Alpha beta.\r\nGamma delta epsilon.\r\n', 'Alpha beta. \nGamma delta epsilon. \n'],
  ])('applies to a side that %s in one stretch, however the whitespace is cut', (_what, base, mine) => {
    const theirs = base.replace('delta', 'DELTA');
    expectRuleDecides('whitespace', base, mine, theirs, mine.replace('delta', 'DELTA'));
  });

  it('does not apply to a side that reformats and also edits words', () => {
    const base = 'Alpha beta gamma.\nDelta epsilon.\n';
    const result = merge3(base, 'Alpha  beta gamma.\nDelta epsilon!\n', 'Alpha beta GAMMA.\nDelta epsilon.\n');
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe('Alpha  beta GAMMA.\nDelta epsilon!\n');
  });
});

describe('prose: all three versions must read as prose', () => {
  it.each([
    ['base', 'Alpha beta (x).\nGamma delta.\n', 'ALPHA beta.\nGamma delta.\n', 'Alpha beta.\nGamma DELTA.\n', 'ALPHA beta.\nGamma DELTA.\n'],
    ['mine', 'Alpha beta.\nGamma delta.\n', 'ALPHA beta (x).\nGamma delta.\n', 'Alpha beta.\nGamma DELTA.\n', 'ALPHA beta (x).\nGamma DELTA.\n'],
    ['theirs', 'Alpha beta.\nGamma delta.\n', 'ALPHA beta.\nGamma delta.\n', 'Alpha beta.\nGamma DELTA (x).\n', 'ALPHA beta.\nGamma DELTA (x).\n'],
  ])('refuses when only %s has code in it', (_which, base, mine, theirs, without) => {
    expectRuleDecides('prose', base, mine, theirs, without);
  });
});

describe('line-count: every kind of line ending counts', () => {
  it.each([
    ['CR LF', '\r\n'],
    ['a lone CR', '\r'],
    ['LF', '\n'],
  ])('with %s endings, a side that adds a line is not combined with the other side’s edit', (_name, eol) => {
    const base = `One. Two.${eol}`;
    expectRuleDecides('line-count', base, `Zero.${eol}One. Two.${eol}`, `One. Too.${eol}`, `Zero.${eol}One. Too.${eol}`);
  });

  it('refuses as well when it is theirs that adds the line', () => {
    expectRuleDecides('line-count', 'One. Two.\n', 'One. Too.\n', 'Zero.\nOne. Two.\n', 'Zero.\nOne. Too.\n');
  });
});

describe('word-between: only edits of different sides need a word between them', () => {
  it('combines two edits of one side that only a space separates with an edit of the other', () => {
    const result = merge3('alpha beta gamma delta epsilon\n', 'ALPHA BETA gamma delta epsilon\n', 'alpha beta gamma delta EPSILON\n');
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe('ALPHA BETA gamma delta EPSILON\n');
  });

  it('does not count an edit both sides made as either side’s', () => {
    // Both capitalise Alpha; mine also beta, right next to it; theirs also zeta.
    const result = merge3('Alpha beta gamma delta epsilon zeta.\n', 'ALPHA BETA gamma delta epsilon zeta.\n', 'ALPHA beta gamma delta epsilon ZETA.\n');
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe('ALPHA BETA gamma delta epsilon ZETA.\n');
  });

  it('looks at the base between the two edits, not at what a side wrote there', () => {
    // Base has a word between the edits; each side's own text there is the same word.
    const result = merge3('Red fish, blue fish.\n', 'Red cat, blue fish.\n', 'Red fish, blue cat.\n');
    expect(toText(result)).toBe('Red cat, blue cat.\n');
  });
});

describe('insertion-once: one insertion made at two places', () => {
  const base = 'We use Twilio.\nWe use Stripe.\n';

  it('refuses when the first insertion’s words are all in the second', () => {
    expectRuleDecides(
      'insertion-once',
      base,
      'We use Runscope and Twilio.\nWe use Stripe.\n',
      'We use Twilio.\nWe use Stripe and Runscope or Heroku.\n',
      'We use Runscope and Twilio.\nWe use Stripe and Runscope or Heroku.\n',
    );
  });

  it('refuses when the second insertion’s words are all in the first', () => {
    expectRuleDecides(
      'insertion-once',
      base,
      'We use Runscope or Heroku and Twilio.\nWe use Stripe.\n',
      'We use Twilio.\nWe use Stripe and Runscope.\n',
      'We use Runscope or Heroku and Twilio.\nWe use Stripe and Runscope.\n',
    );
  });

  it('refuses whichever side inserts first', () => {
    expectRuleDecides(
      'insertion-once',
      base,
      'We use Twilio.\nWe use Stripe and Runscope.\n',
      'We use Runscope and Twilio.\nWe use Stripe.\n',
      'We use Runscope and Twilio.\nWe use Stripe and Runscope.\n',
    );
  });

  it('compares the words only, not the spaces and punctuation around them', () => {
    expectRuleDecides(
      'insertion-once',
      base,
      'We use Runscope, Twilio.\nWe use Stripe.\n',
      'We use Twilio.\nWe use Stripe and Runscope.\n',
      'We use Runscope, Twilio.\nWe use Stripe and Runscope.\n',
    );
  });

  it('takes two insertions that share only some of their words', () => {
    const result = merge3('The cat sat. The dog ran.\n', 'The big red cat sat. The dog ran.\n', 'The cat sat. The red old dog ran.\n');
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe('The big red cat sat. The red old dog ran.\n');
  });

  it('lets one side insert the same word at two places', () => {
    const result = merge3('It is big. It is red. It is old.\n', 'It is very big. It is very red. It is old.\n', 'It is big. It is red. It is new.\n');
    expect(toText(result)).toBe('It is very big. It is very red. It is new.\n');
  });

  it('does not count an insertion of punctuation only as words made twice', () => {
    const result = merge3('Hello world Bye now.\n', 'Hello world, Bye now.\n', 'Hello world Bye big now.\n');
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe('Hello world, Bye big now.\n');
  });

  it('does not count replaced words as inserted', () => {
    // Each side replaces a word with the same new word at a different place: not an insertion.
    const result = merge3('Ask Ana first. Ask Bob then.\n', 'Ask Eve first. Ask Bob then.\n', 'Ask Ana first. Ask Bob later.\n');
    expect(toText(result)).toBe('Ask Eve first. Ask Bob later.\n');
  });
});

describe('no-repeat: lines that are not repeats', () => {
  it('counts the lines of an edit both sides made too', () => {
    // Both turn Ana into Eve Cho, mine also Bob, theirs also Cy: that line three times, where
    // each side has it twice.
    expectRuleDecides(
      'no-repeat',
      'Call Ana today.\nCall Bob today.\nCall Cy today.\n',
      'Call Eve Cho today.\nCall Eve Cho today.\nCall Cy today.\n',
      'Call Eve Cho today.\nCall Bob today.\nCall Eve Cho today.\n',
      'Call Eve Cho today.\nCall Eve Cho today.\nCall Eve Cho today.\n',
    );
  });

  it('sees a repeat made of edits of several words', () => {
    expectRuleDecides(
      'no-repeat',
      'Call Ana today.\nCall Bob today.\n',
      'Call Eve Cho today.\nCall Bob today.\n',
      'Call Ana today.\nCall Eve Cho today.\n',
      'Call Eve Cho today.\nCall Eve Cho today.\n',
    );
  });

  it('does not count blank lines', () => {
    // Each side empties a line: the result has two blank lines where each side has one.
    const result = merge3('One.\nTwo three.\nFour.\n', '\nTWO three.\nFour.\n', 'One.\nTwo three.\n\n');
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe('\nTWO three.\n\n');
  });

  it.each([
    ['mine', 'Call Eve today.\nCall Eve today.\nCall Cy today.\n', 'Call Eve today.\nCall Bob today.\nCall Dan today.\n'],
    ['theirs', 'Call Eve today.\nCall Bob today.\nCall Dan today.\n', 'Call Eve today.\nCall Eve today.\nCall Cy today.\n'],
  ])('lets a line of the conflict appear as often as %s has it, when the other side has it less often', (_side, mine, theirs) => {
    // Both turn Ana into Eve; one side also turns Bob into Eve, the other edits the last line.
    const result = merge3('Call Ana today.\nCall Bob today.\nCall Cy today.\n', mine, theirs);
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe('Call Eve today.\nCall Eve today.\nCall Dan today.\n');
  });

  it('lets a line appear as often as the side that has it most', () => {
    const base = 'Yes.\nNo.\nMaybe so.\n';
    const result = merge3(base, 'Yes.\nYes.\nMaybe so.\n', 'Yes.\nNo.\nMaybe not.\n');
    expect(result.clean).toBe(true);
    expect(toText(result)).toBe('Yes.\nYes.\nMaybe not.\n');
  });
});

describe('what a word-merged hunk says it is', () => {
  // merge3 only hands over line conflicts, where both sides changed something; called on its
  // own, resolveAtWordLevel also names a hunk that only one side changed after that side.
  const conflict = (base: string, mine: string, theirs: string) => ({ kind: 'conflict' as const, base, mine, theirs });

  it('is mine when only mine changed words', () => {
    expect(resolveAtWordLevel(conflict('One two.\n', 'One TWO.\n', 'One two.\n'))).toEqual({
      kind: 'mine',
      base: 'One two.\n',
      text: 'One TWO.\n',
      wordMerged: { base: 'One two.\n', mine: 'One TWO.\n', theirs: 'One two.\n' },
    });
  });

  it('is theirs when only theirs changed words', () => {
    expect(resolveAtWordLevel(conflict('One two.\n', 'One two.\n', 'One TWO.\n'))).toMatchObject({ kind: 'theirs', text: 'One TWO.\n' });
  });

  it('takes theirs when theirs made every edit mine made, and more, even in code', () => {
    const base = 'load_file(path)\nputs("from #{path}")\n';
    const mine = 'load_file(path)\nputs("file: #{path}")\n';
    const theirs = 'safe_load_file(path)\nputs("file: #{path}")\nputs("done")\n';
    expect(merge3(base, mine, theirs)).toEqual({ clean: true, hunks: [{ kind: 'both', base, text: theirs, wordMerged: { base, mine, theirs } }] });
  });

  it('is both when the two sides made the same edit', () => {
    expect(resolveAtWordLevel(conflict('One two.\n', 'One TWO.\n', 'One TWO.\n'))).toMatchObject({ kind: 'both', text: 'One TWO.\n' });
  });

  it('is both when each side made edits of its own', () => {
    expect(resolveAtWordLevel(conflict('One two three.\n', 'ONE two three.\n', 'One two THREE.\n'))).toMatchObject({
      kind: 'both',
      text: 'ONE two THREE.\n',
    });
  });
});
