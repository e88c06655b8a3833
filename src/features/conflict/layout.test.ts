import { describe, expect, it } from 'vitest';
import { highlightSpans } from './highlights.ts';
import { WORD_DIFF_LIMIT, changeSpans, collapseStable, countLines, firstLines, hunkLines, numberLines } from './layout.ts';
import { merge3 } from '../../merge/index.ts';

const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('');

describe('countLines', () => {
  it('counts a last line without a break, and no line in empty text', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('a')).toBe(1);
    expect(countLines('a\n')).toBe(1);
    expect(countLines('a\nb')).toBe(2);
    expect(countLines('\n\n')).toBe(2);
  });
});

describe('collapseStable', () => {
  const text = lines(1, 40);

  it('keeps context lines on both sides of unchanged text between changes', () => {
    const c = collapseStable(text, { context: 3, atStart: false, atEnd: false });
    expect(c.head).toBe(lines(1, 3));
    expect(c.tail).toBe(lines(38, 40));
    expect(c.hiddenLines).toBe(34);
    expect(c.head + c.hidden + c.tail).toBe(text);
  });

  it('needs no context above the first region nor below the last', () => {
    const first = collapseStable(text, { context: 3, atStart: true, atEnd: false });
    expect(first.head).toBe('');
    expect(first.tail).toBe(lines(38, 40));
    expect(first.hiddenLines).toBe(37);
    const last = collapseStable(text, { context: 3, atStart: false, atEnd: true });
    expect(last.head).toBe(lines(1, 3));
    expect(last.tail).toBe('');
    expect(last.hiddenLines).toBe(37);
    const only = collapseStable(text, { context: 3, atStart: true, atEnd: true });
    expect(only.hiddenLines).toBe(40);
  });

  it('leaves short regions whole', () => {
    const short = lines(1, 8);
    expect(collapseStable(short, { context: 3, atStart: false, atEnd: false })).toEqual({
      head: short,
      hidden: '',
      hiddenLines: 0,
      tail: '',
    });
  });

  it('counts a last line without a break as a line of context', () => {
    const noFinalBreak = `${lines(1, 20)}last`;
    const c = collapseStable(noFinalBreak, { context: 2, atStart: false, atEnd: false });
    expect(c.tail).toBe('line 20\nlast');
    expect(c.head + c.hidden + c.tail).toBe(noFinalBreak);
  });

  it('counts a blank first line once: a region no longer than its context hides nothing', () => {
    // Three lines, the first blank: the last three lines are all of it, and nothing is above them.
    const blankFirst = '\nline 2\nline 3\n';
    const whole = { head: blankFirst, hidden: '', hiddenLines: 0, tail: '' };
    expect(collapseStable(blankFirst, { context: 3, atStart: true, atEnd: false, minHidden: 1 })).toEqual(whole);
    expect(collapseStable(blankFirst, { context: 5, atStart: true, atEnd: false, minHidden: 1 })).toEqual(whole);
    // One line more than the context: the blank line is what folds away.
    const c = collapseStable(`\n${lines(1, 3)}`, { context: 3, atStart: true, atEnd: false, minHidden: 1 });
    expect(c).toEqual({ head: '', hidden: '\n', hiddenLines: 1, tail: lines(1, 3) });
  });

  it('keeps every line of a region that starts with blank lines, in order', () => {
    for (let blanks = 1; blanks <= 4; blanks++) {
      for (let size = 0; size <= 6; size++) {
        const region = '\n'.repeat(blanks) + lines(1, size);
        const c = collapseStable(region, { context: 2, atStart: true, atEnd: false, minHidden: 1 });
        expect(c.head + c.hidden + c.tail).toBe(region);
        // The tail is the context asked for, or the whole region when it is no longer than that.
        expect(countLines(c.tail || c.head)).toBe(c.hidden === '' ? countLines(region) : 2);
      }
    }
  });

  it('handles a 10,000-line region without splitting it into lines', () => {
    const big = lines(1, 10_000);
    const c = collapseStable(big, { context: 3, atStart: false, atEnd: false });
    expect(c.hiddenLines).toBe(9_994);
    expect(c.head.length + c.tail.length).toBeLessThan(100);
  });
});

describe('firstLines', () => {
  it('cuts long text after whole lines and says how many are left', () => {
    expect(firstLines(lines(1, 10), 4)).toEqual({ shown: lines(1, 4), rest: 6 });
    expect(firstLines(lines(1, 3), 4)).toEqual({ shown: lines(1, 3), rest: 0 });
  });
});

describe('changeSpans', () => {
  it('highlights through the given function', () => {
    const spans = changeSpans('the quick brown fox', 'the slow brown fox', highlightSpans);
    expect(spans.filter((s) => s.kind === 'delete').map((s) => s.text.trim())).toEqual(['quick']);
    expect(spans.filter((s) => s.kind === 'insert').map((s) => s.text.trim())).toEqual(['slow']);
  });

  it('shows a huge change as removed and added text without diffing it', () => {
    const base = 'a '.repeat(WORD_DIFF_LIMIT);
    const spans = changeSpans(base, 'b', () => {
      throw new Error('must not diff past the limit');
    });
    expect(spans).toEqual([
      { kind: 'delete', text: base },
      { kind: 'insert', text: 'b' },
    ]);
    expect(changeSpans('same', 'same', highlightSpans)).toEqual([{ kind: 'equal', text: 'same' }]);
  });
});

describe('hunkLines', () => {
  it('numbers each hunk by the line it starts on in yours', () => {
    const merge = merge3('a\nb\nc\nd\ne\nf\ng\n', 'a\nB\nc\nd\nE\nf\ng\n', 'a\nb2\nc\nd\ne\nf\ng\nh\n', {
      wordLevel: false,
    });
    const lines = hunkLines(merge.hunks);
    expect(merge.hunks.map((h) => h.kind)).toEqual(['stable', 'conflict', 'stable', 'mine', 'stable', 'theirs']);
    expect(lines.starts).toEqual([1, 2, 3, 5, 6, 8]);
    expect(lines.total).toBe(7);
    // Theirs and the base have the same lines here, but for theirs' added last line.
    expect(lines.theirs).toEqual([1, 2, 3, 5, 6, 8]);
    expect(lines.base).toEqual([1, 2, 3, 5, 6, 8]);
  });

  it('numbers theirs and the base by their own lines where the sides differ in length', () => {
    // Yours adds two lines at the top; theirs removes line c.
    const merge = merge3('a\nb\nc\nd\n', 'new 1\nnew 2\na\nb\nc\nd\n', 'a\nb\nd\n', { wordLevel: false });
    expect(merge.hunks.map((h) => h.kind)).toEqual(['mine', 'stable', 'theirs', 'stable']);
    const lines = hunkLines(merge.hunks);
    expect(lines.starts).toEqual([1, 3, 5, 6]);
    expect(lines.theirs).toEqual([1, 1, 3, 3]);
    expect(lines.base).toEqual([1, 1, 3, 4]);
  });

  it('counts a last line without its break', () => {
    expect(hunkLines([{ kind: 'stable', text: 'a\nb' }]).total).toBe(2);
    expect(hunkLines([]).total).toBe(1);
  });
});

describe('numberLines', () => {
  const numbers = (pieces: ReturnType<typeof numberLines>) => pieces.filter((p) => p.line !== undefined).map((p) => p.line);

  it('numbers each line from the first, cutting spans at line breaks, text unchanged', () => {
    const spans = [
      { kind: 'equal' as const, text: 'one\ntw' },
      { kind: 'insert' as const, text: 'o\nthree\n' },
    ];
    const pieces = numberLines(spans, 41);
    expect(pieces.map((p) => p.text).join('')).toBe('one\ntwo\nthree\n');
    expect(numbers(pieces)).toEqual([41, 42, 43]);
    expect(pieces.map((p) => p.kind)).toEqual(['equal', 'equal', 'insert', 'insert']);
  });

  it('marks a removed line without a number and without counting it', () => {
    const spans = [
      { kind: 'delete' as const, text: 'old line\n' },
      { kind: 'insert' as const, text: 'new line\n' },
      { kind: 'equal' as const, text: 'kept\n' },
    ];
    expect(numbers(numberLines(spans, 7))).toEqual([null, 7, 8]);
  });

  it('gives a line that starts after removed words its own number, once', () => {
    // Shown: "~~old~~new" then "next": yours has two lines, "new" and "next".
    const spans = [
      { kind: 'delete' as const, text: 'old' },
      { kind: 'insert' as const, text: 'new\n' },
      { kind: 'equal' as const, text: 'next' },
    ];
    expect(numbers(numberLines(spans, 1))).toEqual([1, 2]);
    // A removed line break joins two shown lines into one of yours: the second has no number.
    const joined = [
      { kind: 'equal' as const, text: 'a ' },
      { kind: 'delete' as const, text: 'b\n' },
      { kind: 'equal' as const, text: 'c\nd' },
    ];
    expect(numbers(numberLines(joined, 1))).toEqual([1, null, 2]);
  });

  it('has nothing to number in empty text', () => {
    expect(numberLines([], 1)).toEqual([]);
  });
});
