import { describe, expect, it } from 'vitest';
import { lostByOverwrite } from './index.ts';

/** The excerpts of what Overwrite would drop: where they are cut, and which line they show. */
describe('excerpts of lost changes', () => {
  const base = 'Agenda\nBudget\nEnd\n';

  it('keeps a line of exactly 80 characters whole, with no ellipsis', () => {
    const line = 'a'.repeat(80);
    expect(lostByOverwrite(base, base, `Agenda\n${line}\nEnd\n`).excerpts).toEqual([line]);
  });

  it('cuts a line of 81 characters to 80 and an ellipsis', () => {
    expect(lostByOverwrite(base, base, `Agenda\n${'a'.repeat(81)}\nEnd\n`).excerpts).toEqual([`${'a'.repeat(80)}…`]);
  });

  it('shows the first line with words in it, and no ellipsis when blank lines are all that come before it', () => {
    const summary = lostByOverwrite(base, base, 'Agenda\nBudget\n\n   \nNew item\nEnd\n');
    expect(summary).toEqual({ changedRegions: 1, linesAdded: 3, linesRemoved: 0, excerpts: ['New item'] });
  });

  it('names a removal by its first line with words in it', () => {
    const summary = lostByOverwrite('a\n\nOld item\nb\n', 'a\n\nOld item\nb\n', 'a\nb\n');
    expect(summary).toEqual({ changedRegions: 1, linesAdded: 0, linesRemoved: 2, excerpts: ['removed: Old item'] });
  });

  it('keeps the first three excerpts, in document order', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i}\n`);
    const theirs = lines.map((line, i) => (i % 2 === 0 ? `new ${i}\n` : line));
    expect(lostByOverwrite(lines.join(''), lines.join(''), theirs.join(''))).toEqual({
      changedRegions: 5,
      linesAdded: 5,
      linesRemoved: 5,
      excerpts: ['new 0', 'new 2', 'new 4'],
    });
  });
});
