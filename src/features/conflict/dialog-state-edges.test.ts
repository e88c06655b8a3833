/**
 * The dialog's pure modules at their edges: the sentences with one of a thing, none or a border
 * length, the kept resolution with damaged records, the prepared merge with one text changed at
 * a time, the ruler's less common marks, and the long-text layout at its limits.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { merge3 } from '../../merge/index.ts';
import type { Hunk, LossSummary } from '../../merge/index.ts';
import type { Document } from '../../protocol/types.ts';
import type { Choice, ConflictRef } from './choices.ts';
import { WORD_DIFF_LIMIT, changeSpans, collapseStable, firstLines, hunkLines } from './layout.ts';
import type { Span } from './layout.ts';
import { cachedMerge, prepareMerge } from './merge-cache.ts';
import { rulerMarks } from './ruler.ts';
import { inputsSignature, loadResolution, saveResolution, sessionStore } from './saved-resolution.ts';
import { changesSentence, discardLoss, overwriteLoss, theirAuthors } from './sentences.ts';

afterEach(() => vi.unstubAllGlobals());

const theirs: Document = { id: 'd_1', title: 'Notes', content: '', version: 9, updatedAt: '2026-11-30T10:00:00.000Z', updatedBy: 'Bob', state: 'draft' };
const save = (version: number, updatedBy: string) => ({ version, updatedBy, updatedAt: '2026-11-30T10:00:00.000Z' });
const at = () => '12:00';
const quote = (text: string, removed = false) => ({ text, removed });
const loss = (over: Partial<LossSummary>): LossSummary => ({ changedRegions: 1, linesAdded: 0, linesRemoved: 0, excerpts: [], ...over });

describe('sentences', () => {
  it('names three saves and sums up the fourth as one earlier save', () => {
    const saves = [save(5, 'Ann'), save(6, 'Bob'), save(7, 'Cy'), save(8, 'Di')];
    expect(changesSentence(saves, theirs, at)).toBe(
      'Di saved version 8 at 12:00 · Cy saved version 7 at 12:00 · Bob saved version 6 at 12:00 · 1 earlier save',
    );
    expect(changesSentence(saves.slice(1), theirs, at)).toBe('Di saved version 8 at 12:00 · Cy saved version 7 at 12:00 · Bob saved version 6 at 12:00');
  });

  it('the current version’s author speaks for unknown saves', () => {
    expect(theirAuthors([], theirs)).toEqual(['Bob']);
  });

  it('writes the possessive of a name ending in s without another s, and of others with one', () => {
    expect(overwriteLoss(loss({ excerpts: [quote('x')] }), ['Chris'])).toBe('Overwrite drops Chris\' change: “x”.');
    expect(overwriteLoss(loss({ excerpts: [quote('x')] }), ['Sam'])).toBe('Overwrite drops Sam\'s change: “x”.');
  });

  it('says only the line counts that are not zero, and no brackets when both are', () => {
    expect(overwriteLoss(loss({ linesRemoved: 2 }), ['Bob'])).toBe('Overwrite drops Bob\'s change (2 lines removed).');
    expect(overwriteLoss(loss({ linesAdded: 1 }), ['Bob'])).toBe('Overwrite drops Bob\'s change (1 line added).');
    expect(overwriteLoss(loss({}), ['Bob'])).toBe('Overwrite drops Bob\'s change.');
  });

  it('puts a quote of removed text with the lines removed, so it never reads as text added', () => {
    expect(overwriteLoss(loss({ linesRemoved: 2, excerpts: [quote('Old item', true)] }), ['Bob'])).toBe('Overwrite drops Bob\'s change (2 lines removed: “Old item”).');
    expect(discardLoss(loss({ linesAdded: 1, linesRemoved: 1, excerpts: [quote('Old item', true)] }))).toBe(
      'Discard drops 1 change of yours (1 line added, 1 line removed: “Old item”).',
    );
    expect(overwriteLoss(loss({ linesAdded: 1, excerpts: [quote('Old item', true)] }), ['Bob'])).toBe('Overwrite drops Bob\'s change (1 line added), removing “Old item”.');
    expect(overwriteLoss(loss({ excerpts: [quote('Old item', true)] }), ['Bob'])).toBe('Overwrite drops Bob\'s change, removing “Old item”.');
  });

  it('quotes the first excerpt that is not blank, on one line with single spaces', () => {
    expect(overwriteLoss(loss({ excerpts: [quote('   '), quote('  two  words\there  ')] }), ['Bob'])).toBe('Overwrite drops Bob\'s change: “two words here”.');
    expect(overwriteLoss(loss({ excerpts: [quote(' '), quote('\n')] }), ['Bob'])).toBe('Overwrite drops Bob\'s change.');
  });

  it('keeps an excerpt of exactly forty characters whole', () => {
    const forty = 'a'.repeat(40);
    expect(overwriteLoss(loss({ excerpts: [quote(forty)] }), ['Bob'])).toBe(`Overwrite drops Bob's change: “${forty}”.`);
    expect(overwriteLoss(loss({ excerpts: [quote(`${forty}b`)] }), ['Bob'])).toBe(`Overwrite drops Bob's change: “${'a'.repeat(39)}…”.`);
  });

  it('counts changes of yours in words, and joins a lost title with “and”', () => {
    expect(discardLoss(loss({ linesAdded: 1 }))).toBe('Discard drops 1 change of yours (1 line added).');
    expect(discardLoss(loss({ changedRegions: 2, linesAdded: 3 }))).toBe('Discard drops 2 changes of yours (3 lines added).');
    expect(discardLoss(loss({ linesAdded: 1 }), 'Plan')).toBe('Discard drops 1 change of yours (1 line added) and your title “Plan”.');
    expect(discardLoss(loss({ changedRegions: 0 }), 'Plan')).toBe('Discard drops your title “Plan”.');
  });
});

describe('the kept resolution', () => {
  class Store {
    items = new Map<string, string>();
    getItem(key: string) {
      return this.items.get(key) ?? null;
    }
    setItem(key: string, value: string) {
      this.items.set(key, value);
    }
    removeItem(key: string) {
      this.items.delete(key);
    }
  }
  const key = 'conflict-lab:resolution:d_1';
  const take: Choice = { kind: 'take', take: 'mine' };

  it('signs the three texts with FNV-1a and their lengths, a format kept across versions of the app', () => {
    expect(inputsSignature('base', 'mine', 'theirs')).toBe('2e8a02b7:4:4:6');
  });

  it.each([
    ['null', 'null'],
    ['a number', '5'],
    ['choices that are not a list', JSON.stringify({ choices: 'x', typedResult: null, inputs: 's' })],
    ['no inputs', JSON.stringify({ choices: [], typedResult: null })],
    ['a typed result that is not text', JSON.stringify({ choices: [], typedResult: 5, inputs: 's' })],
  ])('reads %s as nothing kept', (_what, raw) => {
    const store = new Store();
    store.setItem(key, raw);
    expect(loadResolution(store, 'd_1')).toBeNull();
  });

  it('drops entries that are not a key and a known choice', () => {
    const store = new Store();
    const choices = [
      ['ok', take],
      ['null', null],
      ['kind', { kind: 'nonsense', take: 'mine' }],
      ['three', take, 'extra'],
      ['one'],
      [5, take],
      { 0: 'like', 1: take, length: 2 },
      ['edit', { kind: 'edit', text: 'typed' }],
    ];
    store.setItem(key, JSON.stringify({ choices, typedResult: null, inputs: 's' }));
    const loaded = loadResolution(store, 'd_1');
    expect([...(loaded?.choices ?? new Map<string, Choice>()).entries()]).toEqual([
      ['ok', take],
      ['edit', { kind: 'edit', text: 'typed' }],
    ]);
  });

  it('keeps choices alone, or a typed result alone; forgets when there is neither', () => {
    const store = new Store();
    saveResolution(store, 'd_1', { choices: new Map([['k', take]]), typedResult: null, inputs: 's', putAside: [] });
    expect(loadResolution(store, 'd_1')?.choices.get('k')).toEqual(take);
    saveResolution(store, 'd_1', { choices: new Map(), typedResult: 'typed', inputs: 's', putAside: [] });
    expect(loadResolution(store, 'd_1')?.typedResult).toBe('typed');
    saveResolution(store, 'd_1', { choices: new Map(), typedResult: null, inputs: 's', putAside: [] });
    expect(store.items.size).toBe(0);
  });

  it('uses the session storage where there is one, and none where it is missing or refused', () => {
    expect(sessionStore()).toBeNull();
    const store = new Store();
    vi.stubGlobal('sessionStorage', store);
    expect(sessionStore()).toBe(store);
    vi.unstubAllGlobals();
    Object.defineProperty(globalThis, 'sessionStorage', {
      configurable: true,
      get() {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    try {
      expect(sessionStore()).toBeNull();
    } finally {
      Reflect.deleteProperty(globalThis, 'sessionStorage');
    }
  });
});

describe('the prepared merge', () => {
  const marks = (name: string) => performance.getEntriesByName(name).length;

  it('merges once per set of texts, and again when any one of them changes', () => {
    const before = marks('conflict-merge-prepared');
    prepareMerge('b\n', 'm\n', 't\n');
    prepareMerge('b\n', 'm\n', 't\n');
    expect(marks('conflict-merge-prepared')).toBe(before + 1);
    prepareMerge('b2\n', 'm\n', 't\n');
    prepareMerge('b2\n', 'm2\n', 't\n');
    prepareMerge('b2\n', 'm2\n', 't2\n');
    expect(marks('conflict-merge-prepared')).toBe(before + 4);
    expect(cachedMerge('b2\n', 'm2\n', 't2\n')).toEqual(merge3('b2\n', 'm2\n', 't2\n'));
  });

  it('a prepared merge is handed over as it is, and marked as reused', () => {
    prepareMerge('x\n', 'y\n', 'z\n');
    const reused = marks('conflict-merge-reused');
    const first = cachedMerge('x\n', 'y\n', 'z\n');
    prepareMerge('x\n', 'y\n', 'z\n');
    expect(cachedMerge('x\n', 'y\n', 'z\n')).toBe(first);
    expect(marks('conflict-merge-reused')).toBe(reused + 2);
  });

  it('a different base or theirs is merged afresh, and that merge is kept in turn', () => {
    prepareMerge('x\n', 'y\n', 'z\n');
    const reused = marks('conflict-merge-reused');
    const otherBase = cachedMerge('w\n', 'y\n', 'z\n');
    expect(otherBase).toEqual(merge3('w\n', 'y\n', 'z\n'));
    expect(cachedMerge('w\n', 'y\n', 'z\n')).toBe(otherBase);
    const otherTheirs = cachedMerge('w\n', 'y\n', 'v\n');
    expect(otherTheirs).toEqual(merge3('w\n', 'y\n', 'v\n'));
    expect(marks('conflict-merge-reused')).toBe(reused + 1);
  });
});

describe('the ruler', () => {
  it('marks a change both sides made alike as “Both”, and no conflict it has no reference for', () => {
    const hunks: Hunk[] = [
      { kind: 'stable', text: 'a\n' },
      { kind: 'both', base: 'b\n', text: 'B\n' },
      { kind: 'conflict', base: 'c\n', mine: 'C1\n', theirs: 'C2\n' },
    ];
    expect(rulerMarks(hunks, new Map<number, ConflictRef>(), new Map(), [1, 2, 3], 'Theirs (Bob)')).toEqual([
      { hunk: 1, kind: 'both', line: 2, label: 'Both, line 2' },
    ]);
  });
});

describe('layout at its limits', () => {
  it('counts the first line break even at the very start', () => {
    expect(firstLines('\nb\nc\n', 1)).toEqual({ shown: '\n', rest: 2 });
    expect(firstLines('a\nb', 5)).toEqual({ shown: 'a\nb', rest: 0 });
  });

  it('folds a region with exactly the least number of hidden lines, and keeps context reaching the first line', () => {
    expect(collapseStable('a\nb\nc\n', { context: 2, atStart: true, atEnd: true })).toEqual({ head: '', hidden: 'a\nb\nc\n', hiddenLines: 3, tail: '' });
    expect(collapseStable('a\nb\nc\nd\ne\n', { context: 4, atStart: true, atEnd: false, minHidden: 1 })).toEqual({
      head: '',
      hidden: 'a\n',
      hiddenLines: 1,
      tail: 'b\nc\nd\ne\n',
    });
    expect(collapseStable('\nb\nc\nd\ne\nf\n', { context: 1, atStart: false, atEnd: false })).toEqual({
      head: '\n',
      hidden: 'b\nc\nd\ne\n',
      hiddenLines: 4,
      tail: 'f\n',
    });
  });

  it('leaves whole a text shorter than its context, or whose context meets in the middle', () => {
    expect(collapseStable('a\nb\n', { context: 5, atStart: true, atEnd: false, minHidden: 1 })).toEqual({ head: 'a\nb\n', hidden: '', hiddenLines: 0, tail: '' });
    expect(collapseStable('a\nb\n', { context: 5, atStart: false, atEnd: true, minHidden: 1 })).toEqual({ head: 'a\nb\n', hidden: '', hiddenLines: 0, tail: '' });
    expect(collapseStable('a\nb\n', { context: 1, atStart: false, atEnd: false, minHidden: 0 })).toEqual({ head: 'a\nb\n', hidden: '', hiddenLines: 0, tail: '' });
  });

  it('asks for no highlight of an unchanged text, and diffs one right at the size limit', () => {
    const highlight = vi.fn((_base: string, _changed: string): Span[] => [{ kind: 'equal', text: 'highlighted' }]);
    expect(changeSpans('', '', highlight)).toEqual([]);
    expect(changeSpans('same', 'same', highlight)).toEqual([{ kind: 'equal', text: 'same' }]);
    expect(highlight).not.toHaveBeenCalled();
    const half = WORD_DIFF_LIMIT / 2;
    expect(changeSpans('a'.repeat(half), 'b'.repeat(half), highlight)).toEqual([{ kind: 'equal', text: 'highlighted' }]);
    expect(highlight).toHaveBeenCalledTimes(1);
  });

  it('shows a huge change of equal lengths, or one from or to nothing, without diffing it', () => {
    const highlight = vi.fn((): Span[] => []);
    const big = 'a'.repeat(WORD_DIFF_LIMIT);
    expect(changeSpans(big, 'b'.repeat(WORD_DIFF_LIMIT), highlight)).toEqual([
      { kind: 'delete', text: big },
      { kind: 'insert', text: 'b'.repeat(WORD_DIFF_LIMIT) },
    ]);
    expect(changeSpans('', `${big}b`, highlight)).toEqual([{ kind: 'insert', text: `${big}b` }]);
    expect(changeSpans(`${big}b`, '', highlight)).toEqual([{ kind: 'delete', text: `${big}b` }]);
    expect(highlight).not.toHaveBeenCalled();
  });

  it('numbers lines in yours: a change of theirs takes the base’s lines, an empty last hunk does not end the text', () => {
    const hunks: Hunk[] = [
      { kind: 'stable', text: 'a\n' },
      { kind: 'theirs', base: 'b\nc\n', text: 'X\n' },
      { kind: 'mine', base: 'd\n', text: 'D\nE' },
      { kind: 'theirs', base: '', text: 'Y\n' },
    ];
    // Theirs counts a change of theirs by its text and a change of yours by the base's lines.
    expect(hunkLines(hunks)).toEqual({ starts: [1, 2, 4, 5], theirs: [1, 2, 3, 4], base: [1, 2, 4, 5], total: 5 });
    expect(hunkLines([{ kind: 'stable', text: 'a\n' }])).toEqual({ starts: [1], theirs: [1], base: [1], total: 1 });
    expect(hunkLines([{ kind: 'conflict', base: '', mine: 'm\nm\n', theirs: 't\n' }])).toEqual({ starts: [1], theirs: [1], base: [1], total: 2 });
    expect(hunkLines([])).toEqual({ starts: [], theirs: [], base: [], total: 1 });
  });
});
