import { describe, expect, it } from 'vitest';
import { rivalEdit } from './api/rival-save.ts';
import { lineAt } from './components/ScenarioBar.tsx';

describe('lineAt', () => {
  it('counts the line breaks before the caret', () => {
    const text = 'one\ntwo\nthree\n';
    expect(lineAt(text, 0)).toBe(0);
    expect(lineAt(text, 3)).toBe(0);
    expect(lineAt(text, 4)).toBe(1);
    expect(lineAt(text, text.length)).toBe(3);
    expect(lineAt('a\r\nb', 4)).toBe(1);
  });
});

describe('rivalEdit', () => {
  it('changes only the last non-empty line', () => {
    expect(rivalEdit('# Plan\n\nShip it.\n\n', 'Bob')).toBe('# Plan\n\nShip it. (edited by Bob)\n\n');
  });

  it('keeps CRLF line endings', () => {
    expect(rivalEdit('a\r\nb\r\n', 'Bob')).toBe('a\r\nb (edited by Bob)\r\n');
  });

  it('writes a line into an empty document', () => {
    expect(rivalEdit('', 'Bob')).toBe('Edited by Bob.\n');
  });
});
