import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lostByDiscard, lostByOverwrite, merge3, toText } from './index.ts';
import { hasLoneSurrogate, propertyRuns, threeVersions } from './test-documents.ts';

const added = (text: string) => ({ text, removed: false });
const removed = (text: string) => ({ text, removed: true });

const base = 'Agenda\nBudget review\nHiring plan\nAny other business\n';

describe('lostByOverwrite', () => {
  it('counts what theirs changed that keeping mine drops', () => {
    const mine = 'Agenda\nBudget review\nHiring plan\nAny other business\nMy note\n';
    const theirs = 'Agenda\nBudget review (Q3)\nHiring plan\nAny other business\n';
    expect(lostByOverwrite(base, mine, theirs)).toEqual({
      changedRegions: 1,
      linesAdded: 1,
      linesRemoved: 1,
      excerpts: [added('Budget review (Q3)')],
    });
  });

  it('counts the theirs side of a conflict as lost, and a change both made as not', () => {
    const mine = 'Agenda v2\nBudget review\nHiring plan: two roles\nAny other business\n';
    const theirs = 'Agenda v2\nBudget review\nHiring plan: one role\nCoffee\nAny other business\n';
    expect(lostByOverwrite(base, mine, theirs)).toEqual({
      changedRegions: 1,
      linesAdded: 2,
      linesRemoved: 1,
      excerpts: [added('Hiring plan: one role…')],
    });
  });

  it('names a deletion by the text that would come back', () => {
    const theirs = 'Agenda\nBudget review\nAny other business\n';
    expect(lostByOverwrite(base, base, theirs)).toEqual({
      changedRegions: 1,
      linesAdded: 0,
      linesRemoved: 1,
      excerpts: [removed('Hiring plan')],
    });
  });

  it('counts blank lines that went or came, with nothing to quote, since they have no text', () => {
    const spaced = 'Agenda\n\n\nBudget review\n \nHiring plan\n';
    const removedTwo = 'Agenda\nBudget review\n \nHiring plan\n';
    expect(lostByOverwrite(spaced, spaced, removedTwo)).toEqual({ changedRegions: 1, linesAdded: 0, linesRemoved: 2, excerpts: [] });
    // A line of spaces is blank too.
    const removedOne = 'Agenda\n\n\nBudget review\nHiring plan\n';
    expect(lostByOverwrite(spaced, spaced, removedOne)).toEqual({ changedRegions: 1, linesAdded: 0, linesRemoved: 1, excerpts: [] });
    const addedOne = 'Agenda\n\n\nBudget review\n \n\nHiring plan\n';
    expect(lostByOverwrite(spaced, spaced, addedOne)).toEqual({ changedRegions: 1, linesAdded: 1, linesRemoved: 0, excerpts: [] });
    const respaced = 'Agenda\n\n\nBudget review\n\n\nHiring plan\n';
    expect(lostByOverwrite(spaced, spaced, respaced)).toEqual({ changedRegions: 1, linesAdded: 2, linesRemoved: 1, excerpts: [] });
    // Text beside the blank lines is still what is quoted, and a region of blank lines takes no
    // place among the three.
    const withText = 'Agenda\nBudget review\n \nHiring plan\nCoffee\n';
    expect(lostByOverwrite(spaced, spaced, withText)).toEqual({ changedRegions: 2, linesAdded: 1, linesRemoved: 2, excerpts: [added('Coffee')] });
    expect(lostByOverwrite(spaced, spaced, 'Agenda\n\n\n \nHiring plan\n').excerpts).toEqual([removed('Budget review')]);
  });

  it('quotes a line the document has, even one that reads like a description of a change', () => {
    const list = 'Agenda\nEnd\n';
    const theirs = 'Agenda\nremoved: 2 blank lines\nEnd\n';
    expect(lostByOverwrite(list, list, theirs).excerpts).toEqual([added('removed: 2 blank lines')]);
    expect(lostByDiscard(list, list, theirs)).toEqual({ changedRegions: 0, linesAdded: 0, linesRemoved: 0, excerpts: [] });
  });

  it('keeps three quotes past regions that have none', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i}\n`);
    // Regions 0 and 2 only remove a blank line; regions at 4, 6, 8 and 10 add text.
    const before = lines.map((line, i) => (i === 0 || i === 2 ? `${line}\n` : line)).join('');
    const theirs = lines.map((line, i) => (i >= 4 && i % 2 === 0 ? `${line}new ${i}\n` : line)).join('');
    const summary = lostByOverwrite(before, before, theirs);
    expect(summary.changedRegions).toBe(6);
    expect(summary.excerpts).toEqual([added('new 4'), added('new 6'), added('new 8')]);
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
      expect(excerpt.removed).toBe(false);
      expect(Array.from(excerpt.text)).toHaveLength(81);
      expect(excerpt.text.endsWith('😀…')).toBe(true);
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
      excerpts: [added('My note…')],
    });
  });

  it('is lostByOverwrite with the sides swapped, and never writes a lone surrogate', () => {
    fc.assert(
      fc.property(threeVersions, ([b, mine, theirs]) => {
        const discard = lostByDiscard(b, mine, theirs);
        expect(discard).toEqual(lostByOverwrite(b, theirs, mine));
        expect(discard.excerpts.length).toBeLessThanOrEqual(3);
        for (const excerpt of discard.excerpts) expect(hasLoneSurrogate(excerpt.text)).toBe(false);
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
