import { describe, expect, it } from 'vitest';
import { lostByOverwrite } from './index.ts';

const added = (text: string) => ({ text, removed: false });
const removed = (text: string) => ({ text, removed: true });

/** The excerpts of what Overwrite would drop: where they are cut, and which line they show. */
describe('excerpts of lost changes', () => {
  const base = 'Agenda\nBudget\nEnd\n';

  it('keeps a line of exactly 80 characters whole, with no ellipsis', () => {
    const line = 'a'.repeat(80);
    expect(lostByOverwrite(base, base, `Agenda\n${line}\nEnd\n`).excerpts).toEqual([added(line)]);
  });

  it('cuts a line of 81 characters to 80 and an ellipsis', () => {
    expect(lostByOverwrite(base, base, `Agenda\n${'a'.repeat(81)}\nEnd\n`).excerpts).toEqual([added(`${'a'.repeat(80)}…`)]);
  });

  it('shows the first line with words in it, and no ellipsis when blank lines are all that come before it', () => {
    const summary = lostByOverwrite(base, base, 'Agenda\nBudget\n\n   \nNew item\nEnd\n');
    expect(summary).toEqual({ changedRegions: 1, linesAdded: 3, linesRemoved: 0, excerpts: [added('New item')] });
  });

  it('names a removal by its first line with words in it', () => {
    const summary = lostByOverwrite('a\n\nOld item\nb\n', 'a\n\nOld item\nb\n', 'a\nb\n');
    expect(summary).toEqual({ changedRegions: 1, linesAdded: 0, linesRemoved: 2, excerpts: [removed('Old item')] });
  });

  it('keeps the first three excerpts, in document order', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i}\n`);
    const theirs = lines.map((line, i) => (i % 2 === 0 ? `new ${i}\n` : line));
    expect(lostByOverwrite(lines.join(''), lines.join(''), theirs.join(''))).toEqual({
      changedRegions: 5,
      linesAdded: 5,
      linesRemoved: 5,
      excerpts: [added('new 0'), added('new 2'), added('new 4')],
    });
  });
});

describe('excerpts of lost changes, trimmed', () => {
  it('drops the indentation and trailing spaces of the line it shows', () => {
    const base = 'list:\nend\n';
    expect(lostByOverwrite(base, base, 'list:\n    - first item  \nend\n').excerpts).toEqual([added('- first item')]);
  });

  it('counts the lines of a removal of blank lines only, a line of spaces among them, having nothing to quote', () => {
    const base = 'a\n\n  \nb\n';
    expect(lostByOverwrite(base, base, 'a\nb\n')).toEqual({ changedRegions: 1, linesAdded: 0, linesRemoved: 2, excerpts: [] });
  });
});

describe('lines lost in a conflict', () => {
  it('counts only the lines theirs changed within the conflict, not the whole region', () => {
    // Mine edits the first line, theirs the second: one conflict, where theirs changed one line.
    const base = 'Intro\nFirst point\nSecond point\nOutro\n';
    const summary = lostByOverwrite(base, 'Intro\nFirst point, revised\nSecond point\nOutro\n', 'Intro\nFirst point\nSecond point, revised\nOutro\n');
    expect(summary).toEqual({ changedRegions: 1, linesAdded: 1, linesRemoved: 1, excerpts: [added('Second point, revised')] });
  });

  it('names a line replaced by a blank line by the text that would come back', () => {
    const base = 'a\nOld item\nb\n';
    expect(lostByOverwrite(base, base, 'a\n\nb\n').excerpts).toEqual([removed('Old item')]);
  });
});
