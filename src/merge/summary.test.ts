import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lostByDiscard, lostByOverwrite, merge3, toText } from './index.ts';
import { hasLoneSurrogate, propertyRuns, threeVersions } from './test-documents.ts';

const base = 'Agenda\nBudget review\nHiring plan\nAny other business\n';

describe('lostByOverwrite', () => {
  it('counts what theirs changed that keeping mine drops', () => {
    const mine = 'Agenda\nBudget review\nHiring plan\nAny other business\nMy note\n';
    const theirs = 'Agenda\nBudget review (Q3)\nHiring plan\nAny other business\n';
    expect(lostByOverwrite(base, mine, theirs)).toEqual({
      changedRegions: 1,
      linesAdded: 1,
      linesRemoved: 1,
      excerpts: ['Budget review (Q3)'],
    });
  });

  it('counts the theirs side of a conflict as lost, and a change both made as not', () => {
    const mine = 'Agenda v2\nBudget review\nHiring plan: two roles\nAny other business\n';
    const theirs = 'Agenda v2\nBudget review\nHiring plan: one role\nCoffee\nAny other business\n';
    expect(lostByOverwrite(base, mine, theirs)).toEqual({
      changedRegions: 1,
      linesAdded: 2,
      linesRemoved: 1,
      excerpts: ['Hiring plan: one role…'],
    });
  });

  it('names a deletion by the text that would come back', () => {
    const theirs = 'Agenda\nBudget review\nAny other business\n';
    expect(lostByOverwrite(base, base, theirs)).toEqual({
      changedRegions: 1,
      linesAdded: 0,
      linesRemoved: 1,
      excerpts: ['removed: Hiring plan'],
    });
  });

  it('says how many blank lines went or came when a change is only blank lines, since they have no text to quote', () => {
    const spaced = 'Agenda\n\n\nBudget review\n \nHiring plan\n';
    const removedTwo = 'Agenda\nBudget review\n \nHiring plan\n';
    expect(lostByOverwrite(spaced, spaced, removedTwo)).toEqual({ changedRegions: 1, linesAdded: 0, linesRemoved: 2, excerpts: ['removed 2 blank lines'] });
    // A line of spaces is blank too.
    const removedOne = 'Agenda\n\n\nBudget review\nHiring plan\n';
    expect(lostByOverwrite(spaced, spaced, removedOne).excerpts).toEqual(['removed a blank line']);
    const addedOne = 'Agenda\n\n\nBudget review\n \n\nHiring plan\n';
    expect(lostByOverwrite(spaced, spaced, addedOne)).toEqual({ changedRegions: 1, linesAdded: 1, linesRemoved: 0, excerpts: ['added a blank line'] });
    const respaced = 'Agenda\n\n\nBudget review\n\n\nHiring plan\n';
    expect(lostByOverwrite(spaced, spaced, respaced).excerpts).toEqual(['removed a blank line, added 2 blank lines']);
    // Text beside the blank lines is still what is quoted.
    const withText = 'Agenda\nBudget review\n \nHiring plan\nCoffee\n';
    expect(lostByOverwrite(spaced, spaced, withText).excerpts).toEqual(['removed 2 blank lines', 'Coffee']);
    expect(lostByOverwrite(spaced, spaced, 'Agenda\n\n\n \nHiring plan\n').excerpts).toEqual(['removed: Budget review']);
  });

  it('reports nothing lost when theirs did not change or made the same change', () => {
    const mine = 'Agenda\nBudget\n';
    expect(lostByOverwrite(base, mine, base)).toEqual({ changedRegions: 0, linesAdded: 0, linesRemoved: 0, excerpts: [] });
    expect(lostByOverwrite(base, mine, mine)).toEqual({ changedRegions: 0, linesAdded: 0, linesRemoved: 0, excerpts: [] });
  });

  it('keeps at most three short excerpts, cut without splitting an emoji', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i}\n`);
    const theirs = lines.map((line, i) => (i % 2 === 0 ? `${'😀'.repeat(100)} ${i}\n` : line));
    const summary = lostByOverwrite(lines.join(''), lines.join(''), theirs.join(''));
    expect(summary.changedRegions).toBe(5);
    expect(summary.excerpts).toHaveLength(3);
    for (const excerpt of summary.excerpts) {
      expect(Array.from(excerpt)).toHaveLength(81);
      expect(excerpt.endsWith('😀…')).toBe(true);
    }
  });
});

describe('lostByDiscard', () => {
  it('counts what mine changed that loading theirs drops', () => {
    const mine = 'Agenda\nBudget review\nHiring plan\nAny other business\nMy note\nMy other note\n';
    const theirs = 'Agenda\nBudget review (Q3)\nHiring plan\nAny other business\n';
    expect(lostByDiscard(base, mine, theirs)).toEqual({
      changedRegions: 1,
      linesAdded: 2,
      linesRemoved: 0,
      excerpts: ['My note…'],
    });
  });

  it('is lostByOverwrite with the sides swapped, and never writes a lone surrogate', () => {
    fc.assert(
      fc.property(threeVersions, ([b, mine, theirs]) => {
        const discard = lostByDiscard(b, mine, theirs);
        expect(discard).toEqual(lostByOverwrite(b, theirs, mine));
        expect(discard.excerpts.length).toBeLessThanOrEqual(3);
        for (const excerpt of discard.excerpts) expect(hasLoneSurrogate(excerpt)).toBe(false);
        if (discard.changedRegions === 0) {
          // Nothing of mine to lose: merging would give theirs as it is.
          expect(toText(merge3(b, mine, theirs, { wordLevel: false }))).toBe(theirs);
        } else {
          expect(discard.linesAdded + discard.linesRemoved).toBeGreaterThan(0);
        }
      }),
      propertyRuns(300),
    );
  });
});
