/**
 * More edges of the dialog's pure state: a conflict inside a line told from one of whole lines,
 * Take both's joins, navigation at the ends, the result's parts (runs of one origin, what adds
 * nothing), word merges sent back, what a new merge leaves to put aside, line starts beside
 * one-sided changes, the prepared merge, names, and what a session storage gives back.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { merge3 } from '../../merge/index.ts';
import type { Hunk, MergeResult } from '../../merge/index.ts';
import { conflictRefs, droppedEdits, joinBoth, nextConflict, reopenWordMerges, resultParts, typedParts, wordMergeKey } from './choices.ts';
import type { Choice } from './choices.ts';
import { hunkLines } from './layout.ts';
import { cachedMerge, prepareMerge } from './merge-cache.ts';
import { loadResolution } from './saved-resolution.ts';
import { listNames, theirAuthors, theirsLabel } from './sentences.ts';

describe('conflictRefs: whole lines or inside a line', () => {
  it('is whole lines when it starts a line and either side ends one, last hunk or not', () => {
    const result = (mine: string, theirs: string): MergeResult => ({
      clean: false,
      hunks: [
        { kind: 'stable', text: 'a\n' },
        { kind: 'conflict', base: 'b\n', mine, theirs },
        { kind: 'stable', text: 'c' },
      ],
    });
    // Theirs ends the line, mine does not (mine ran on into the next line's text).
    expect(conflictRefs(result('B', 'B2\n'))[0]?.lineLevel).toBe(true);
    expect(conflictRefs(result('B\n', 'B2'))[0]?.lineLevel).toBe(true);
    // Neither side ends a line, and the conflict is not the last hunk: inside a line.
    expect(conflictRefs(result('B', 'B2'))[0]?.lineLevel).toBe(false);
  });
});

describe('joinBoth at its edges', () => {
  it('joins lines with \\r\\n when either side has one, so a Windows text stays all \\r\\n', () => {
    expect(joinBoth('one\r\nlast', 'two', true)).toBe('one\r\nlast\r\ntwo');
    expect(joinBoth('one', 'two\r\nend', true)).toBe('one\r\ntwo\r\nend');
  });

  it('adds a space between words only where neither side has one at the join', () => {
    expect(joinBoth('quick brown', 'fox', false)).toBe('quick brown fox');
    expect(joinBoth('quick', 'brown fox', false)).toBe('quick brown fox');
    expect(joinBoth('quick', ' fox', false)).toBe('quick fox');
  });
});

describe('nextConflict at its edges', () => {
  const result: MergeResult = {
    clean: false,
    hunks: ['b', 'd', 'f'].flatMap((line) => [
      { kind: 'stable' as const, text: 'a\n' },
      { kind: 'conflict' as const, base: `${line}\n`, mine: `${line}1\n`, theirs: `${line}2\n` },
    ]),
  };
  const refs = conflictRefs(result);
  const decided = (...ordinals: number[]) => new Map<string, Choice>(ordinals.map((i) => [refs[i]?.key ?? '', { kind: 'take', take: 'mine' }]));

  it('forward from past the last conflict starts at the first open one', () => {
    expect(refs).toHaveLength(3);
    expect(nextConflict(refs, decided(), 3, 1)).toBe(0);
    expect(nextConflict(refs, decided(0), 3, 1)).toBe(1);
    expect(nextConflict(refs, decided(), 3, -1)).toBe(2);
  });

  it('forward stays on the one open conflict when it is the one shown', () => {
    expect(nextConflict(refs, decided(0, 2), 1, 1)).toBe(1);
  });
});

describe('resultParts: runs of one kind', () => {
  const take = (option: 'mine' | 'theirs'): Choice => ({ kind: 'take', take: option });

  it('joins unchanged text that comes in two hunks, and two changes of the same origin side by side', () => {
    const result: MergeResult = {
      clean: false,
      hunks: [
        { kind: 'stable', text: 'a\n' },
        { kind: 'stable', text: 'b\n' },
        { kind: 'theirs', base: 'c\n', text: 'C-theirs\n' },
        { kind: 'conflict', base: 'd\n', mine: 'D-mine\n', theirs: 'D-theirs\n' },
        { kind: 'mine', base: 'e\n', text: 'E-mine\n' },
        { kind: 'stable', text: 'f\n' },
      ],
    };
    const [ref] = conflictRefs(result);
    if (!ref) throw new Error('no conflict');
    expect(resultParts(result, [ref], new Map([[ref.key, take('theirs')]]))).toEqual([
      { kind: 'stable', text: 'a\nb\n' },
      { kind: 'part', origin: 'theirs', text: 'C-theirs\nD-theirs\n' },
      { kind: 'part', origin: 'mine', text: 'E-mine\n' },
      { kind: 'stable', text: 'f\n' },
    ]);
    expect(resultParts(result, [ref], new Map([[ref.key, take('mine')]]))).toEqual([
      { kind: 'stable', text: 'a\nb\n' },
      { kind: 'part', origin: 'theirs', text: 'C-theirs\n' },
      { kind: 'part', origin: 'mine', text: 'D-mine\nE-mine\n' },
      { kind: 'stable', text: 'f\n' },
    ]);
  });
});

describe('resultParts: what adds nothing', () => {
  it('leaves out a removal, an empty resolution and a conflict it was given no place for', () => {
    const result: MergeResult = {
      clean: false,
      hunks: [
        { kind: 'stable', text: 'a\n' },
        { kind: 'theirs', base: 'x\n', text: '' },
        { kind: 'stable', text: 'b\n' },
        { kind: 'conflict', base: '', mine: 'M\n', theirs: 'T\n' },
        { kind: 'stable', text: 'c\n' },
        { kind: 'conflict', base: 'd\n', mine: 'D1\n', theirs: 'D2\n' },
      ],
    };
    const [first] = conflictRefs(result);
    if (!first) throw new Error('no conflict');
    // Only the first conflict is known to the dialog here, resolved to its (empty) base.
    expect(resultParts(result, [first], new Map([[first.key, { kind: 'take', take: 'base' }]]))).toEqual([{ kind: 'stable', text: 'a\nb\nc\n' }]);
  });

  it('leaves out the empty spans of a typed result, and what was deleted', () => {
    const parts = typedParts('one\n', 'one\nmore\n', () => [
      { kind: 'equal', text: '' },
      { kind: 'equal', text: 'one\n' },
      { kind: 'insert', text: '' },
      { kind: 'delete', text: 'gone\n' },
      { kind: 'insert', text: 'more\n' },
    ]);
    expect(parts).toEqual([
      { kind: 'stable', text: 'one\n' },
      { kind: 'part', origin: 'typed', text: 'more\n' },
    ]);
  });
});

describe('word merges sent back', () => {
  const base = 'The quick brown fox jumps over the lazy dog.\nStays.\nA cat sat on the warm mat today.\n';
  const mine = 'The swift brown fox jumps over the lazy dog.\nStays.\nA dog sat on the warm mat today.\n';
  const theirs = 'The quick brown fox jumps over the sleepy dog.\nStays.\nA cat sat on the warm mat yesterday.\n';
  const merged = merge3(base, mine, theirs);
  const keys = merged.hunks.map(wordMergeKey).filter((key): key is string => key !== null);

  it('have a key of their own, and every other hunk none', () => {
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    const others: Hunk[] = [
      { kind: 'stable', text: 'a\n' },
      { kind: 'conflict', base: 'b\n', mine: 'B1\n', theirs: 'B2\n' },
      { kind: 'mine', base: 'c\n', text: 'C\n' },
    ];
    expect(others.map(wordMergeKey)).toEqual([null, null, null]);
  });

  it('reopen only the one asked for, and nothing for a key the merge does not have', () => {
    const [first] = keys;
    const reopened = reopenWordMerges(merged, new Set([first ?? '']));
    expect(conflictRefs(reopened).map((ref) => ref.hunk.mine)).toEqual(['The swift brown fox jumps over the lazy dog.\n']);
    expect(reopened.hunks.filter((hunk) => wordMergeKey(hunk) !== null)).toHaveLength(1);
    expect(reopenWordMerges(merged, new Set(['["no","such","merge"]']))).toBe(merged);
  });
});

describe('droppedEdits with hand edits and taken sides mixed', () => {
  it('puts aside the hand edit of a conflict that changed, though another conflict was taken, with no drafts', () => {
    const mine = 'a\nB-mine\nc\nD-mine\ne\n';
    const before: MergeResult = {
      clean: false,
      hunks: [
        { kind: 'stable', text: 'a\n' },
        { kind: 'conflict', base: 'b\n', mine: 'B-mine\n', theirs: 'B-theirs\n' },
        { kind: 'stable', text: 'c\n' },
        { kind: 'conflict', base: 'd\n', mine: 'D-mine\n', theirs: 'D-theirs\n' },
        { kind: 'stable', text: 'e\n' },
      ],
    };
    const after: MergeResult = {
      clean: false,
      hunks: [
        { kind: 'stable', text: 'a\n' },
        { kind: 'conflict', base: 'b\n', mine: 'B-mine\n', theirs: 'B-theirs\n' },
        { kind: 'stable', text: 'c\n' },
        { kind: 'conflict', base: 'd\n', mine: 'D-mine\n', theirs: 'D-again\n' },
        { kind: 'stable', text: 'e\n' },
      ],
    };
    const refs = conflictRefs(before);
    const [b, d] = refs;
    if (!b || !d) throw new Error('two conflicts expected');
    const choices = new Map<string, Choice>([
      [b.key, { kind: 'take', take: 'theirs' }],
      [d.key, { kind: 'edit', text: 'D typed by hand\n' }],
    ]);
    expect(droppedEdits({ merge: before, refs, choices, drafts: new Map() }, { refs: conflictRefs(after), mine })).toEqual(['D typed by hand\n']);
  });
});

describe('droppedEdits when every typed conflict is still there', () => {
  it('puts nothing aside', () => {
    const merge: MergeResult = {
      clean: false,
      hunks: [
        { kind: 'stable', text: 'a\n' },
        { kind: 'conflict', base: 'b\n', mine: 'B1\n', theirs: 'B2\n' },
      ],
    };
    const refs = conflictRefs(merge);
    const [ref] = refs;
    if (!ref) throw new Error('no conflict');
    const choices = new Map<string, Choice>([[ref.key, { kind: 'edit', text: 'B typed\n' }]]);
    const drafts = new Map([[ref.key, 'B draft\n']]);
    expect(droppedEdits({ merge, refs, choices, drafts }, { refs, mine: 'a\nB1\n' })).toEqual([]);
  });
});

describe('names for nobody', () => {
  it('names the people behind theirs newest save first, each once, whatever order the saves came in', () => {
    const at = '2026-11-30T10:00:00.000Z';
    const theirs = { id: 'd_1', title: 'T', content: '', version: 5, updatedAt: at, updatedBy: 'Dan', state: 'draft' as const };
    const changes = [
      { version: 2, updatedBy: 'Bob', updatedAt: at },
      { version: 4, updatedBy: 'Carol', updatedAt: at },
      { version: 3, updatedBy: 'Bob', updatedAt: at },
    ];
    expect(theirAuthors(changes, theirs)).toEqual(['Carol', 'Bob']);
    expect(changes.map((change) => change.version)).toEqual([2, 4, 3]);
    expect(theirAuthors([], theirs)).toEqual(['Dan']);
  });

  it('says "someone", and labels their side without a name', () => {
    expect(listNames([])).toBe('someone');
    expect(listNames(['Zoë'])).toBe('Zoë');
    expect(theirsLabel([])).toBe('Theirs');
  });
});

describe('hunkLines of changes from one side', () => {
  it('counts a change theirs made by its base in mine, and one I made by its base in theirs', () => {
    const hunks: Hunk[] = [
      { kind: 'stable', text: 'a\n' },
      { kind: 'theirs', base: 'x\n', text: 'T1\nT2\nT3\n' },
      { kind: 'stable', text: 'b\n' },
      { kind: 'mine', base: 'y\n', text: 'M1\nM2\n' },
      { kind: 'stable', text: 'c\n' },
    ];
    expect(hunkLines(hunks)).toEqual({ starts: [1, 2, 3, 4, 6], theirs: [1, 2, 5, 6, 7], base: [1, 2, 3, 4, 5], total: 6 });
  });
});

describe('the prepared merge where the page has no performance marks', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is prepared and reused all the same', () => {
    vi.stubGlobal('performance', { now: () => 0 });
    prepareMerge('a\nb\n', 'a\nB1\n', 'a\nB2\n');
    const result = cachedMerge('a\nb\n', 'a\nB1\n', 'a\nB2\n');
    expect(conflictRefs(result)).toHaveLength(1);
  });
});

describe('loadResolution', () => {
  it('skips a kept choice that is not one (null, a word, an unknown take) and keeps the rest', () => {
    const kept = JSON.stringify({
      choices: [
        ['k1', null],
        ['k2', 'theirs'],
        ['k3', { kind: 'take', take: 'everything' }],
        ['k4', { kind: 'take', take: 'theirs' }],
      ],
      typedResult: null,
      inputs: 'sig',
      putAside: ['kept\n', 3],
    });
    const storage = { getItem: () => kept, setItem: () => undefined, removeItem: () => undefined };
    expect(loadResolution(storage, 'd_1')).toEqual({
      choices: new Map([['k4', { kind: 'take', take: 'theirs' }]]),
      typedResult: null,
      inputs: 'sig',
      putAside: ['kept\n'],
    });
  });

  it('finds nothing kept when the storage refuses to be read', () => {
    const refusing = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => undefined,
      removeItem: () => undefined,
    };
    expect(loadResolution(refusing, 'd_1')).toBeNull();
  });
});
