import fc from 'fast-check';

/**
 * Generators of small documents for property tests: few distinct characters, so lines repeat
 * and alignment is ambiguous; astral characters, CRLF lines and a missing final newline, so
 * any slicing inside a code point or a line ending would show.
 */
const character = fc.constantFrom('a', 'b', 'c', ' ', '.', 'é', '😀', '𝒳', '\t');

export const line = fc
  .tuple(fc.string({ unit: character, maxLength: 6 }), fc.constantFrom('\n', '\n', '\n', '\r\n'))
  .map(([text, ending]) => text + ending);

export const document = fc
  .tuple(fc.array(line, { maxLength: 12 }), fc.option(fc.string({ unit: character, minLength: 1, maxLength: 5 })))
  .map(([lines, unterminated]) => lines.join('') + (unterminated ?? ''));

type Edit = { at: number; op: 'delete' | 'insert' | 'replace'; line: string };

function applyEdits(text: string, edits: readonly Edit[]): string {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  for (const edit of edits) {
    const at = lines.length === 0 ? 0 : edit.at % (lines.length + 1);
    if (edit.op === 'insert' || at === lines.length) lines.splice(at, 0, edit.line);
    else if (edit.op === 'delete') lines.splice(at, 1);
    else lines.splice(at, 1, edit.line);
  }
  // An inserted line after an unterminated last line would join it; keep what the edit meant.
  return lines.map((l, i) => (i < lines.length - 1 && !l.endsWith('\n') ? `${l}\n` : l)).join('');
}

const edits = fc.array(
  fc.record({ at: fc.nat({ max: 40 }), op: fc.constantFrom('delete', 'insert', 'replace') as fc.Arbitrary<Edit['op']>, line }),
  { maxLength: 4 },
);

/** A version derived from `base` by a few line edits, or now and then an unrelated document. */
export const versionOf = (base: string): fc.Arbitrary<string> =>
  fc.oneof({ weight: 5, arbitrary: edits.map((e) => applyEdits(base, e)) }, { weight: 1, arbitrary: document });

/** base, mine, theirs. */
export const threeVersions = document.chain((base) => fc.tuple(fc.constant(base), versionOf(base), versionOf(base)));

/** True when the string holds a UTF-16 surrogate that is not half of a pair. */
export function hasLoneSurrogate(text: string): boolean {
  return /(?:[\uD800-\uDBFF](?![\uDC00-\uDFFF]))|(?:(?<![\uD800-\uDBFF])[\uDC00-\uDFFF])/.test(text);
}

/**
 * How many random cases a property test tries: `numRuns`, or under mutation testing (whose
 * Vitest config, vitest.mutation-merge.config.ts, sets MERGE_PROPERTY_RUNS) at most that many,
 * stopping at the first failure without shrinking it: a mutant needs one failing case, not the
 * smallest. `npm test` does not set it and runs every case.
 */
export function propertyRuns(numRuns: number): { numRuns: number; endOnFailure?: boolean } {
  const limit = Number((import.meta.env as Record<string, string | undefined>).MERGE_PROPERTY_RUNS ?? numRuns);
  return limit < numRuns ? { numRuns: limit, endOnFailure: true } : { numRuns };
}
