import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readMerges, tallyStrategies } from './strategies.ts';

const folder = mkdtempSync(path.join(tmpdir(), 'strategies-test-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function merge(id: string, files: Record<'base' | 'mine' | 'theirs' | 'result', string>) {
  mkdirSync(path.join(folder, id));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, id, name), text);
}

// Apart: every merging strategy gets what was committed. Same fix on both sides: the CRDT applies it twice.
merge('0001-apart', { base: 'a\nb\nc\n', mine: 'A\nb\nc\n', theirs: 'a\nb\nC\n', result: 'A\nb\nC\n' });
merge('0002-same-fix', { base: 'node >= 4\n', mine: 'node >= 18\n', theirs: 'node >= 18\n', result: 'node >= 18\n' });
// Rival rewrites, resolved by hand: the three-way merges leave it to a person.
merge('0003-rivals', { base: 'at noon\n', mine: 'at one\n', theirs: 'at two\n', result: 'at half past one\n' });
mkdirSync(path.join(folder, 'not-a-merge'));

describe('bench:merge --strategies', () => {
  it('reads every folder with a committed result, in order', () => {
    expect(readMerges(folder).map((m) => m.id)).toEqual(['0001-apart', '0002-same-fix', '0003-rivals']);
  });

  it('counts clean results and those equal to what was committed, per strategy', () => {
    const rows = Object.fromEntries(tallyStrategies(readMerges(folder)).map(({ name, tally }) => [name, [tally.clean, tally.cleanEqual]]));
    expect(rows).toEqual({
      'Last writer wins (mine saved last)': [3, 1],
      'Last writer wins (theirs saved last)': [3, 1],
      'Line three-way merge': [2, 2],
      'Word three-way merge': [2, 2],
      'diff-match-patch patches': [3, 2],
      'CRDT (Yjs)': [3, 1],
    });
  });
});
