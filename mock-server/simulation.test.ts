/**
 * The scenario and bot edits, checked through the real merge: "same line" must conflict with
 * whatever the person did to that line, "another paragraph" must merge cleanly with it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { merge3, toText } from '../src/merge/index.ts';
import { botEdit, editOtherParagraph, editSameLine, validateBotRequest, validatePresenceRequest, validateScenarioRequest, validateSettingsPatch } from './simulation.ts';

const PLAN = ['# Plan', '', 'Monday: write the outline.', 'Tuesday: first draft.', '', '- Review on Friday', ''].join('\n');

/** Lines of 1–4 words, some blank, with or without a final newline. */
const documents = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.constant(''),
        fc.array(fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'the', 'plan.', '- item', '# Title'), { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')),
      ),
      { minLength: 1, maxLength: 12 },
    ),
    fc.boolean(),
  )
  .map(([lines, finalNewline]) => lines.join('\n') + (finalNewline ? '\n' : ''));

/** The person's own edit of one line: a word typed at its start, its end, or in the middle. */
function personEdits(content: string, line: number, where: 'start' | 'end' | 'middle'): string {
  const lines = content.split('\n');
  const text = lines[line] ?? '';
  const words = text.split(' ');
  if (where === 'start') lines[line] = `Alice ${text}`;
  else if (where === 'end') lines[line] = `${text} with Alice.`;
  else lines[line] = [...words.slice(0, 1), 'Alice', ...words.slice(1)].join(' ');
  return lines.join('\n');
}

function lineCount(content: string): number {
  const lines = content.split('\n');
  return content.endsWith('\n') ? lines.length - 1 : lines.length;
}

describe('editSameLine', () => {
  it('rewrites only the given line, with none of its words', () => {
    const edited = editSameLine(PLAN, 5, 'Bob').split('\n');
    expect(edited[5]).toBe('Bob rewrote this line');
    expect(editSameLine('Bob rewrote this line\n', 0, 'Bob')).toBe('Different words altogether\n');
    expect(edited.filter((_, i) => i !== 5)).toEqual(PLAN.split('\n').filter((_, i) => i !== 5));
  });

  it('keeps CRLF line endings and clamps a line past the end to the last line', () => {
    const crlf = 'one\r\ntwo\r\n';
    expect(editSameLine(crlf, 99, 'Bob')).toBe('one\r\nBob rewrote this line\r\n');
    expect(editSameLine('', 0, 'Bob')).toBe('Bob rewrote this line');
  });

  it('conflicts with any edit the person made to that line, wherever in the line', () => {
    fc.assert(
      fc.property(documents, fc.nat(), fc.constantFrom('start', 'end', 'middle') as fc.Arbitrary<'start' | 'end' | 'middle'>, (base, n, where) => {
        const line = n % lineCount(base);
        const mine = personEdits(base, line, where);
        const theirs = editSameLine(base, line, 'Bob');
        fc.pre(mine !== base && theirs !== base && mine !== theirs);
        const result = merge3(base, mine, theirs);
        expect(result.clean).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('editOtherParagraph', () => {
  it('edits a line far from the person and leaves theirs alone', () => {
    const edited = editOtherParagraph(PLAN, 2, 'Bob').split('\n');
    expect(edited[2]).toBe('Monday: write the outline.');
    expect(edited[5]).toBe('- Review on Friday (Bob added this.)');
  });

  it('adds a paragraph when no line is far enough away', () => {
    expect(editOtherParagraph('Only line.\n', 0, 'Bob')).toBe('Only line.\n\nBob added this.\n');
    expect(editOtherParagraph('a\r\nb', 1, 'Bob')).toBe('Bob added this.\r\n\r\na\r\nb');
  });

  it('merges cleanly with any edit the person made to their line', () => {
    fc.assert(
      fc.property(documents, fc.nat(), fc.constantFrom('start', 'end', 'middle') as fc.Arbitrary<'start' | 'end' | 'middle'>, (base, n, where) => {
        // One or two lines leave no other paragraph to edit without touching the person's.
        fc.pre(lineCount(base) >= 3);
        const line = n % lineCount(base);
        const mine = personEdits(base, line, where);
        const theirs = editOtherParagraph(base, line, 'Bob');
        const result = merge3(base, mine, theirs);
        expect(result.clean).toBe(true);
        const merged = toText(result);
        expect(merged).toContain('Bob added this.');
        expect(merged.split('\n')).toContain(mine.split('\n')[line]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('botEdit', () => {
  it('always changes the document and keeps every other line', () => {
    fc.assert(
      fc.property(documents, fc.array(fc.double({ min: 0, max: 0.999_999, noNaN: true }), { minLength: 8, maxLength: 8 }), (base, draws) => {
        let i = 0;
        const edited = botEdit(base, 'Bot', () => draws[i++ % draws.length] ?? 0);
        expect(edited).not.toBe(base);
        // One line changed or one inserted: the rest is the same, in order.
        const before = base.split('\n');
        const after = edited.split('\n');
        expect(after.length - before.length).toBeGreaterThanOrEqual(0);
        expect(after.length - before.length).toBeLessThanOrEqual(1);
        const unchanged = before.filter((line, k) => after[k] === line || after[k + 1] === line);
        expect(unchanged.length).toBeGreaterThanOrEqual(before.length - 1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('request checks', () => {
  it('settings: whole numbers in range, 409 or 412, nothing unknown', () => {
    expect(validateSettingsPatch({ latencyMs: 300, jitterMs: 0, conflictStatus: 412 })).toEqual({ ok: true, value: { latencyMs: 300, jitterMs: 0, conflictStatus: 412 } });
    for (const bad of [{ latencyMs: -5 }, { latencyMs: 'lots' }, { jitterMs: 1.5 }, { jitterMs: 10_001 }, { conflictStatus: 400 }, { bodyLimit: 1 }, [], null, 'x']) {
      const result = validateSettingsPatch(bad);
      expect(result.ok, JSON.stringify(bad)).toBe(false);
    }
    const parsed: unknown = JSON.parse('{"__proto__": {"latencyMs": 1}}');
    expect(validateSettingsPatch(parsed).ok).toBe(false);
  });

  it('bot: a document id and an interval from 1 to 3600 seconds', () => {
    expect(validateBotRequest({ docId: 'd_1', intervalSeconds: 2 })).toEqual({ ok: true, value: { docId: 'd_1', intervalSeconds: 2, user: 'Bot' } });
    for (const bad of [{ intervalSeconds: 2 }, { docId: 'd_1' }, { docId: 'd_1', intervalSeconds: 0 }, { docId: '../x', intervalSeconds: 2 }, { docId: 'd_1', intervalSeconds: 2, user: ' ' }]) {
      expect(validateBotRequest(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('scenario: optional user and line', () => {
    expect(validateScenarioRequest({})).toEqual({ ok: true, value: { user: 'Bob', line: 0 } });
    expect(validateScenarioRequest({ user: 'Carol', line: 3 })).toEqual({ ok: true, value: { user: 'Carol', line: 3 } });
    expect(validateScenarioRequest({ line: -1 }).ok).toBe(false);
    expect(validateScenarioRequest({ colour: 'x' }).ok).toBe(false);
  });

  it('presence: a name, a hex colour, a document id or null, and the stream’s token', () => {
    expect(validatePresenceRequest({ user: 'Ana', color: '#0b57d0', docId: null, token: 't' })).toEqual({
      ok: true,
      value: { user: 'Ana', color: '#0b57d0', docId: null, token: 't' },
    });
    const t = 't';
    for (const bad of [
      { user: 'Ana', color: 'red', docId: null, token: t },
      { user: '', color: '#000000', docId: null, token: t },
      { user: 'Ana', color: '#000000', token: t },
      { user: 'Ana', color: '#000000', docId: '__proto__ x', token: t },
      { user: 'Ana', color: '#000000', docId: null },
      { user: 'Ana', color: '#000000', docId: null, token: 5 },
    ]) {
      expect(validatePresenceRequest(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });
});
