import { describe, expect, it } from 'vitest';
import { lostByDiscard, lostByOverwrite } from '../../merge/index.ts';
import type { Document } from '../../protocol/types.ts';
import { clockFormatter } from '../../lib/clock.ts';
import {
  arrivedNote,
  changesSentence,
  discardLoss,
  listNames,
  overwriteLoss,
  theirAuthors,
  theirsLabel,
} from './sentences.ts';

const utc = clockFormatter('en-GB', 'UTC');

function doc(version: number, updatedBy: string, updatedAt: string): Document {
  return { id: 'd_1', title: 'Notes', content: '', version, updatedBy, updatedAt, state: 'draft' };
}

describe('changesSentence', () => {
  it('names who saved which version and when, newest first', () => {
    const changes = [
      { version: 6, updatedBy: 'Carol', updatedAt: '2026-11-22T12:01:30Z' },
      { version: 7, updatedBy: 'Bob', updatedAt: '2026-11-22T12:03:05Z' },
    ];
    expect(changesSentence(changes, doc(7, 'Bob', '2026-11-22T12:03:05Z'), utc)).toBe(
      'Bob saved version 7 at 12:03 · Carol saved version 6 at 12:01',
    );
  });

  it('sums up saves beyond the first three', () => {
    const changes = [2, 3, 4, 5, 6].map((version) => ({
      version,
      updatedBy: `U${version}`,
      updatedAt: `2026-11-22T10:0${version}:00Z`,
    }));
    expect(changesSentence(changes, doc(6, 'U6', '2026-11-22T10:06:00Z'), utc)).toBe(
      'U6 saved version 6 at 10:06 · U5 saved version 5 at 10:05 · U4 saved version 4 at 10:04 · 2 earlier saves',
    );
  });

  it('falls back to the current version when the saves in between are unknown', () => {
    expect(changesSentence([], doc(9, 'Dan', '2026-11-22T08:15:00Z'), utc)).toBe('Dan saved version 9 at 08:15');
  });

  it('says so when a time cannot be read', () => {
    expect(changesSentence([], doc(2, 'Eve', 'not a date'), utc)).toBe('Eve saved version 2 at an unknown time');
  });
});

describe('names and labels', () => {
  it('lists each author once, newest save first', () => {
    const changes = [
      { version: 2, updatedBy: 'Bob', updatedAt: '' },
      { version: 3, updatedBy: 'Carol', updatedAt: '' },
      { version: 4, updatedBy: 'Bob', updatedAt: '' },
    ];
    const authors = theirAuthors(changes, doc(4, 'Bob', ''));
    expect(authors).toEqual(['Bob', 'Carol']);
    expect(theirsLabel(authors)).toBe('Theirs (Bob and Carol)');
    expect(theirsLabel([])).toBe('Theirs');
    expect(listNames(['A', 'B', 'C'])).toBe('A, B and C');
  });

  it('notes changes that arrived while resolving', () => {
    expect(arrivedNote(0)).toBeNull();
    expect(arrivedNote(1)).toBe('1 new change arrived');
    expect(arrivedNote(3)).toBe('3 new changes arrived');
  });
});

describe('what Overwrite and Discard lose', () => {
  const base = 'intro\nalpha\nmiddle\nomega\n';
  const mine = 'intro\nalpha mine\nmiddle\nomega\nmy new line\n';
  const theirs = 'intro\nalpha\nmiddle\nomega theirs\n';

  it('says whose changes Overwrite drops, how many lines, and shows one', () => {
    const sentence = overwriteLoss(lostByOverwrite(base, mine, theirs), ['Bob']);
    expect(sentence).toBe('Overwrite drops Bob\'s change (1 line added, 1 line removed): “omega theirs”.');
  });

  it('says which of yours Discard drops', () => {
    const sentence = discardLoss(lostByDiscard(base, mine, theirs));
    expect(sentence).toMatch(/^Discard drops 2 changes of yours \(2 lines added, 1 line removed\): “alpha mine”\.$/);
  });

  it('counts blank lines that would go, with nothing in quotes', () => {
    const spaced = 'intro\n\n\nalpha\n';
    const sentence = overwriteLoss(lostByOverwrite(spaced, spaced, 'intro\nalpha\n'), ['Bob']);
    expect(sentence).toBe('Overwrite drops Bob\'s change (2 lines removed).');
  });

  it('says when nothing is lost', () => {
    expect(overwriteLoss(lostByOverwrite(base, mine, base), ['Bob'])).toMatch(/drops nothing/);
    expect(discardLoss(lostByDiscard(base, base, theirs))).toMatch(/drops nothing/);
  });

  it('names the title a both-sides title change would lose', () => {
    const none = lostByOverwrite(base, base, base);
    expect(overwriteLoss(none, ['Bob'], 'Bob’s title')).toBe('Overwrite drops Bob\'s title “Bob’s title”.');
    expect(discardLoss(none, 'Mine')).toBe('Discard drops your title “Mine”.');
    expect(overwriteLoss(lostByOverwrite(base, mine, theirs), ['Bob'], 'T2')).toBe(
      'Overwrite drops Bob\'s change (1 line added, 1 line removed): “omega theirs” and Bob\'s title “T2”.',
    );
  });

  it('shortens a long excerpt to one line', () => {
    const long = `${'word '.repeat(40)}\nsecond line\n`;
    const sentence = overwriteLoss({ changedRegions: 2, linesAdded: 2, linesRemoved: 0, excerpts: [{ text: long, removed: false }] }, ['Ann', 'Bo']);
    expect(sentence).toMatch(/^Overwrite drops Ann and Bo's 2 changes \(2 lines added\): “(word ){7}word…”\.$/);
  });

  it('never cuts an excerpt inside a character', () => {
    const emoji = '😀'.repeat(70);
    const sentence = overwriteLoss({ changedRegions: 1, linesAdded: 1, linesRemoved: 0, excerpts: [{ text: emoji, removed: false }] }, []);
    expect(sentence).toBe(`Overwrite drops their change (1 line added): “${'😀'.repeat(39)}…”.`);
  });
});
