import { describe, expect, it } from 'vitest';
import { merge3, toText } from '../../merge/index.ts';
import {
  applyChoices,
  choiceDescription,
  conflictRefs,
  counterText,
  droppedEdits,
  hasConflictMarkers,
  joinBoth,
  keptFor,
  mergeTitle,
  titleLost,
  nextConflict,
  openCount,
  resolveConflict,
  resultParts,
  resultText,
  typedParts,
  reopenWordMerges,
  wordMergeKey,
  takeLabels,
  takeOptions,
} from './choices.ts';
import type { Choice, TakeOption } from './choices.ts';

const take = (option: TakeOption): Choice => ({ kind: 'take', take: option });

/** Three conflicting lines (b, d, f) and one clean change from theirs (h). */
function threeConflicts() {
  const base = 'a\nb\nc\nd\ne\nf\ng\nh\n';
  const mine = 'a\nB-mine\nc\nD-mine\ne\nF-mine\ng\nh\n';
  const theirs = 'a\nB-theirs\nc\nD-theirs\ne\nF-theirs\ng\nH-theirs\n';
  const merge = merge3(base, mine, theirs);
  return { base, mine, theirs, merge, refs: conflictRefs(merge) };
}

describe('conflictRefs', () => {
  it('finds every conflict in order, with its hunk and a content key', () => {
    const { merge, refs } = threeConflicts();
    expect(refs.map((r) => r.ordinal)).toEqual([0, 1, 2]);
    expect(refs.map((r) => r.hunk.mine)).toEqual(['B-mine\n', 'D-mine\n', 'F-mine\n']);
    for (const ref of refs) expect(merge.hunks[ref.hunkIndex]).toBe(ref.hunk);
    expect(new Set(refs.map((r) => r.key)).size).toBe(3);
    expect(refs.every((r) => r.lineLevel)).toBe(true);
  });

  it('tells apart conflicts with the same text by their repeat', () => {
    const merge = merge3('x\n1\ny\nx\n1\ny\n', 'x\nM\ny\nx\nM\ny\n', 'x\nT\ny\nx\nT\ny\n');
    const refs = conflictRefs(merge);
    expect(refs).toHaveLength(2);
    expect(refs[0].key).not.toBe(refs[1].key);
  });

  it('gives a conflict the same key when the text around it changes', () => {
    const first = conflictRefs(merge3('a\nb\nc\n', 'a\nB1\nc\n', 'a\nB2\nc\n'));
    const later = conflictRefs(merge3('z\na\nb\nc\n', 'z\na\nB1\nc\n', 'Z\na\nB2\nc\n'));
    expect(later).toHaveLength(1);
    expect(later[0].key).toBe(first[0].key);
    expect(later[0].hunkIndex).not.toBe(first[0].hunkIndex);
  });
});

describe('resolveConflict and the result text', () => {
  const { merge, refs } = threeConflicts();
  const first = refs[0];

  it('puts in place what each take option says', () => {
    expect(resolveConflict(first, take('mine'))).toBe('B-mine\n');
    expect(resolveConflict(first, take('theirs'))).toBe('B-theirs\n');
    expect(resolveConflict(first, take('mine-then-theirs'))).toBe('B-mine\nB-theirs\n');
    expect(resolveConflict(first, take('theirs-then-mine'))).toBe('B-theirs\nB-mine\n');
    expect(resolveConflict(first, take('base'))).toBe('b\n');
    expect(resolveConflict(first, { kind: 'edit', text: 'by hand\n' })).toBe('by hand\n');
  });

  it('builds the whole result from every take option, with the clean change merged in', () => {
    const expected: Record<TakeOption, string> = {
      mine: 'B-mine\n',
      theirs: 'B-theirs\n',
      'mine-then-theirs': 'B-mine\nB-theirs\n',
      'theirs-then-mine': 'B-theirs\nB-mine\n',
      base: 'b\n',
    };
    for (const option of takeOptions) {
      const choices = new Map<string, Choice>([
        [refs[0].key, take(option)],
        [refs[1].key, take('mine')],
        [refs[2].key, take('theirs')],
      ]);
      expect(resultText(merge, refs, choices)).toBe(`a\n${expected[option]}c\nD-mine\ne\nF-theirs\ng\nH-theirs\n`);
      expect(applyChoices(merge, refs, choices).clean).toBe(true);
    }
  });

  it('keeps open conflicts as diff3 markers, exactly as the merge engine writes them', () => {
    const choices = new Map<string, Choice>([[refs[1].key, take('theirs')]]);
    const text = resultText(merge, refs, choices);
    expect(text).toContain('<<<<<<< mine\nB-mine\n||||||| base\nb\n=======\nB-theirs\n>>>>>>> theirs\n');
    expect(text).toContain('c\nD-theirs\ne\n');
    expect(hasConflictMarkers(text)).toBe(true);
    expect(applyChoices(merge, refs, choices).clean).toBe(false);
    expect(resultText(merge, refs, new Map())).toBe(toText(merge));
  });

  it('the result shows exactly what the button labels promise', () => {
    // "Take both (mine first)" reads mine, then theirs; "(theirs first)" the other way round.
    expect(takeLabels['mine-then-theirs']).toBe('Take both (mine first)');
    const both = resultText(merge, refs, new Map([[refs[0].key, take('mine-then-theirs')]]));
    expect(both.indexOf('B-mine')).toBeLessThan(both.indexOf('B-theirs'));
    const reversed = resultText(merge, refs, new Map([[refs[0].key, take('theirs-then-mine')]]));
    expect(reversed.indexOf('B-theirs')).toBeLessThan(reversed.indexOf('B-mine'));
  });

  it('joins both sides of a last line without a final newline on a line break', () => {
    const endMerge = merge3('x\ny', 'x\nA', 'x\nB');
    const endRefs = conflictRefs(endMerge);
    expect(endRefs[0].lineLevel).toBe(true);
    const text = resultText(endMerge, endRefs, new Map([[endRefs[0].key, take('mine-then-theirs')]]));
    expect(text).toBe('x\nA\nB');
  });
});

describe('joinBoth', () => {
  it('never glues two sides together', () => {
    expect(joinBoth('one\n', 'two\n', true)).toBe('one\ntwo\n');
    expect(joinBoth('one', 'two', true)).toBe('one\ntwo');
    expect(joinBoth('quick', 'slow', false)).toBe('quick slow');
    expect(joinBoth('quick ', 'slow', false)).toBe('quick slow');
    expect(joinBoth('', 'slow', false)).toBe('slow');
    expect(joinBoth('quick', '', true)).toBe('quick');
    expect(joinBoth('one\r\nlast', 'two\r\nend', true)).toBe('one\r\nlast\r\ntwo\r\nend');
  });
});

describe('counter and navigation', () => {
  const { refs } = threeConflicts();

  it('counts the open conflicts in words', () => {
    expect(counterText(2, 3)).toBe('2 of 3 conflicts left');
    expect(counterText(1, 1)).toBe('1 of 1 conflict left');
    expect(counterText(0, 3)).toBe('All 3 conflicts resolved');
    expect(counterText(0, 1)).toBe('The conflict is resolved');
    expect(counterText(0, 0)).toMatch(/No conflicts/);
    expect(openCount(refs, new Map([[refs[1].key, take('mine')]]))).toBe(2);
  });

  it('goes forward to the nearest open conflict and back to the one before, wrapping around', () => {
    const choices = new Map([[refs[1].key, take('mine')]]);
    expect(nextConflict(refs, choices, 0, 1)).toBe(2);
    expect(nextConflict(refs, choices, 2, 1)).toBe(0);
    // Back goes to the conflict just before, resolved or not, to look at it again.
    expect(nextConflict(refs, choices, 2, -1)).toBe(1);
    expect(nextConflict(refs, choices, 0, -1)).toBe(2);
    expect(nextConflict(refs, choices, -1, -1)).toBe(2);
    expect(nextConflict(refs, new Map(), -1, 1)).toBe(0);
  });

  it('steps to the neighbour when every conflict is resolved', () => {
    const all = new Map(refs.map((r) => [r.key, take('base')] as const));
    expect(nextConflict(refs, all, 0, 1)).toBe(1);
    expect(nextConflict(refs, all, 0, -1)).toBe(2);
    expect(nextConflict([], all, 0, 1)).toBe(-1);
  });

  it('describes a conflict’s state', () => {
    expect(choiceDescription(undefined)).toBe('Open');
    expect(choiceDescription(take('theirs'))).toBe('Resolved: took theirs');
    expect(choiceDescription({ kind: 'edit', text: '' })).toBe('Resolved: edited by hand');
  });
});

describe('choices across a new conflict', () => {
  it('keeps the choice of a conflict whose text did not change and drops the others', () => {
    const base = 'a\nb\nc\nd\ne\n';
    const mine = 'a\nB-mine\nc\nD-mine\ne\n';
    const before = conflictRefs(merge3(base, mine, 'a\nB-theirs\nc\nD-theirs\ne\n'));
    const choices = new Map<string, Choice>([
      [before[0].key, take('theirs')],
      [before[1].key, take('mine')],
    ]);
    // A third user saved again: line d changed once more, line b did not, and a line was added on top.
    const newTheirs = 'top\na\nB-theirs\nc\nD-again\ne\n';
    const merge = merge3(base, mine, newTheirs);
    const after = conflictRefs(merge);
    const kept = keptFor(choices, after);
    expect(kept.get(after[0].key)).toEqual(take('theirs'));
    expect(kept.has(after[1].key)).toBe(false);
    expect(kept.size).toBe(1);
    expect(openCount(after, kept)).toBe(1);
    expect(resultText(merge, after, kept)).toMatch(/^top\na\nB-theirs\nc\n<<<<<<< mine\nD-mine\n/);
  });
});

describe('droppedEdits: typed text of conflicts a new merge no longer has', () => {
  const edit = (text: string): Choice => ({ kind: 'edit', text });
  const base = 'a\nb\nc\nd\ne\n';
  const mine = 'a\nB-mine\nc\nD-mine\ne\n';
  const theirs = 'a\nB-theirs\nc\nD-theirs\ne\n';
  const beforeMerge = merge3(base, mine, theirs);
  const beforeRefs = conflictRefs(beforeMerge);
  const [b, d] = beforeRefs;
  // A third user saved again: line d changed once more, line b did not.
  const afterRefs = conflictRefs(merge3(base, mine, 'a\nB-theirs\nc\nD-again\ne\n'));
  const work = (choices: Map<string, Choice>, drafts = new Map<string, string>()) => ({
    merge: beforeMerge,
    refs: beforeRefs,
    choices,
    drafts,
  });
  const after = { refs: afterRefs, mine };

  it('puts aside a hand edit and a draft whose conflict changed, and only those', () => {
    const choices = new Map([
      [b.key, edit('B typed by hand\n')],
      [d.key, edit('D typed by hand\n')],
    ]);
    expect(afterRefs[0].key).toBe(b.key);
    expect(droppedEdits(work(choices), after)).toEqual(['D typed by hand\n']);

    // The user typed into d, then took theirs: the typed text was a draft, and it goes too.
    const drafts = new Map([
      [d.key, 'D draft\n'],
      [b.key, 'B draft\n'],
    ]);
    expect(droppedEdits(work(new Map([[d.key, take('theirs')]]), drafts), after)).toEqual(['D draft\n']);
    expect(keptFor(drafts, afterRefs)).toEqual(new Map([[b.key, 'B draft\n']]));
  });

  it('lists hand edits before drafts, in conflict order, each text once', () => {
    const merge = merge3('a\nb\nc\nd\ne\n', 'a\nB1\nc\nD1\ne\n', 'a\nB2\nc\nD2\ne\n');
    const refs = conflictRefs(merge);
    const later = conflictRefs(merge3('a\nb\nc\nd\ne\n', 'a\nB1\nc\nD1\ne\n', 'a\nB3\nc\nD3\ne\n'));
    const choices = new Map([
      [refs[1].key, edit('second\n')],
      [refs[0].key, edit('first\n')],
    ]);
    const drafts = new Map([
      [refs[1].key, 'first\n'],
      [refs[0].key, 'draft\n'],
    ]);
    expect(droppedEdits({ merge, refs, choices, drafts }, { refs: later, mine: 'a\nB1\nc\nD1\ne\n' })).toEqual([
      'first\n',
      'second\n',
      'draft\n',
    ]);
  });

  it('leaves out text nobody typed: a side, the base, a "Take", nothing at all', () => {
    for (const text of ['D-mine\n', 'D-theirs\n', 'd\n', 'D-mine\nD-theirs\n', 'D-theirs\nD-mine\n', '', '  \n']) {
      expect(droppedEdits(work(new Map([[d.key, edit(text)]])), after)).toEqual([]);
      expect(droppedEdits(work(new Map(), new Map([[d.key, text]])), after)).toEqual([]);
    }
  });

  it('leaves out text that lives on in the new merge or is already put aside', () => {
    const dropped = (text: string, next = after, aside: string[] = [], choices = new Map([[d.key, edit(text)]])) =>
      droppedEdits(work(choices), next, aside);
    // A side of one of the new conflicts.
    expect(dropped('D-again\n')).toEqual([]);
    // The whole new "mine".
    expect(dropped('whole\n', { refs: afterRefs, mine: 'whole\n' })).toEqual([]);
    // What a kept choice makes of its conflict.
    expect(
      dropped('B by hand\n', after, [], new Map([[b.key, edit('B by hand\n')], [d.key, edit('B by hand\n')]])),
    ).toEqual([]);
    // Already put aside by an earlier save.
    expect(dropped('D typed\n', after, ['D typed\n'])).toEqual([]);
    expect(dropped('D typed\n', after, ['other\n'])).toEqual(['D typed\n']);
  });

  it('leaves out hand edits a Merge saved into the new "mine", but not drafts', () => {
    const choices = new Map<string, Choice>([
      [b.key, take('theirs')],
      [d.key, edit('D typed by hand\n')],
    ]);
    const drafts = new Map([[d.key, 'D draft\n']]);
    const saved = resultText(beforeMerge, beforeRefs, choices);
    expect(saved).toBe('a\nB-theirs\nc\nD typed by hand\ne\n');
    // The Merge met Carol's save: the new merge is (old theirs, the saved result, Carol's).
    const carols = 'a\nB-theirs\nc\nD by Carol\ne\n';
    const next = { refs: conflictRefs(merge3(theirs, saved, carols)), mine: saved };
    expect(droppedEdits(work(choices, drafts), next)).toEqual(['D draft\n']);
    // Overwrite saved mine as it was, without the choices: the hand edit is put aside.
    const overwrite = { refs: conflictRefs(merge3(theirs, mine, carols)), mine };
    expect(droppedEdits(work(choices, drafts), overwrite)).toEqual(['D typed by hand\n', 'D draft\n']);
  });

  it('leaves out hand edits a Merge saved, also where the new conflict holds them only inside a longer side', () => {
    const choices = new Map<string, Choice>([
      [b.key, take('theirs')],
      [d.key, edit('D typed by hand\n')],
    ]);
    const saved = resultText(beforeMerge, beforeRefs, choices);
    // Carol changed the line before d: the new conflict spans both lines, so no side is the hand edit alone.
    const carols = 'a\nB-theirs\nC by Carol\nD-theirs\ne\n';
    const refs = conflictRefs(merge3(theirs, saved, carols));
    expect(refs.map((ref) => ref.hunk.mine)).toEqual(['c\nD typed by hand\n']);
    expect(droppedEdits(work(choices), { refs, mine: saved })).toEqual([]);
    // Saved without the choices (an Overwrite), the same conflict has the hand edit put aside.
    expect(droppedEdits(work(choices), { refs, mine })).toEqual(['D typed by hand\n']);
  });

  it('leaves out a hand edit that is the draft of a conflict still there', () => {
    const choices = new Map<string, Choice>([[d.key, edit('Same words\n')]]);
    const drafts = new Map([[b.key, 'Same words\n']]);
    expect(droppedEdits(work(choices, drafts), after)).toEqual([]);
    expect(droppedEdits(work(choices), after)).toEqual(['Same words\n']);
  });

  it('has nothing to do when nothing was typed', () => {
    expect(droppedEdits(work(new Map([[d.key, take('mine')]])), after)).toEqual([]);
    expect(droppedEdits(work(new Map()), { refs: [], mine: '' })).toEqual([]);
  });
});

describe('mergeTitle', () => {
  it('takes the changed title and asks only when both changed it differently', () => {
    expect(mergeTitle('T', 'T', 'Theirs')).toEqual({ side: 'theirs', needsChoice: false });
    expect(mergeTitle('T', 'Mine', 'T')).toEqual({ side: 'mine', needsChoice: false });
    expect(mergeTitle('T', 'Same', 'Same')).toEqual({ side: 'mine', needsChoice: false });
    expect(mergeTitle('T', 'Mine', 'Theirs')).toEqual({ side: null, needsChoice: true });
  });
});

describe('titleLost', () => {
  it('names the title a whole-document action would drop', () => {
    expect(titleLost('T', 'Mine', 'Theirs')).toBe('Theirs');
    expect(titleLost('T', 'Mine', 'T')).toBeNull();
    expect(titleLost('T', 'Same', 'Same')).toBeNull();
  });
});

describe('hasConflictMarkers', () => {
  it('finds the opening marker of an open conflict on a line of its own', () => {
    expect(hasConflictMarkers('a\n<<<<<<< mine\nx\n=======\ny\n>>>>>>> theirs\n')).toBe(true);
    expect(hasConflictMarkers('a\r\n<<<<<<< mine\r\nx\r\n')).toBe(true);
    expect(hasConflictMarkers('a <<<<<<< mine and >>>>>>> theirs in prose\n')).toBe(false);
  });

  it('does not count markers the document itself had', () => {
    const guide = 'Git writes:\n<<<<<<< mine\n…\n';
    expect(hasConflictMarkers(`${guide}edited\n`, guide, 'other\n')).toBe(false);
    expect(hasConflictMarkers(`${guide}<<<<<<< mine\nleft over\n`, guide, 'other\n')).toBe(true);
  });
});

describe('resultParts', () => {
  it('says where each part of the result came from, and leaves open conflicts as places, not markers', () => {
    const { merge, refs } = threeConflicts();
    const choices = new Map<string, Choice>([
      [refs[0].key, take('theirs')],
      [refs[2].key, { kind: 'edit', text: 'F by hand\n' }],
    ]);
    expect(resultParts(merge, refs, choices)).toEqual([
      { kind: 'stable', text: 'a\n' },
      { kind: 'part', origin: 'theirs', text: 'B-theirs\n' },
      { kind: 'stable', text: 'c\n' },
      { kind: 'open', ordinal: 1 },
      { kind: 'stable', text: 'e\n' },
      { kind: 'part', origin: 'typed', text: 'F by hand\n' },
      { kind: 'stable', text: 'g\n' },
      { kind: 'part', origin: 'theirs', text: 'H-theirs\n' },
    ]);
  });

  it('calls both orders of "Take both" both, and the base the base', () => {
    const { merge, refs } = threeConflicts();
    const choices = new Map<string, Choice>(refs.map((ref, i) => [ref.key, take(i === 0 ? 'mine-then-theirs' : i === 1 ? 'theirs-then-mine' : 'base')]));
    const origins = resultParts(merge, refs, choices).flatMap((part) => (part.kind === 'part' ? [part.origin] : []));
    expect(origins).toEqual(['both', 'both', 'base', 'theirs']);
  });

  it('marks what the user typed into the result', () => {
    const parts = typedParts('one\ntwo\n', 'one\nTWO and more\n', (before, after) => [
      { kind: 'equal', text: 'one\n' },
      { kind: 'delete', text: before.slice(4) },
      { kind: 'insert', text: after.slice(4) },
    ]);
    expect(parts).toEqual([
      { kind: 'stable', text: 'one\n' },
      { kind: 'part', origin: 'typed', text: 'TWO and more\n' },
    ]);
  });
});

describe('reopenWordMerges', () => {
  it('turns a hunk merged word by word back into its line conflict', () => {
    const base = 'The quick brown fox jumps over the lazy dog.\n';
    const merged = merge3(base, base.replace('quick', 'swift'), base.replace('lazy', 'sleepy'));
    const hunk = merged.hunks.find((h) => wordMergeKey(h) !== null);
    expect(hunk).toBeDefined();
    const key = wordMergeKey(hunk!) ?? '';
    const reopened = reopenWordMerges(merged, new Set([key]));
    expect(reopened.clean).toBe(false);
    expect(conflictRefs(reopened).map((ref) => [ref.hunk.mine, ref.hunk.theirs])).toEqual([
      [base.replace('quick', 'swift'), base.replace('lazy', 'sleepy')],
    ]);
    expect(reopenWordMerges(merged, new Set())).toBe(merged);
  });
});
