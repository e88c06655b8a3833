import { InternTable } from './intern.ts';
import { diffSequences } from './sequence-diff.ts';
import { splitWords } from './tokens.ts';

/** Word-level change spans of `changed` against `base`, for highlighting. */
export interface ChangeSpan {
  kind: 'equal' | 'insert' | 'delete';
  text: string;
}

/**
 * Word-level change spans of `changed` against `base`, in reading order, deletions before
 * insertions where a stretch was replaced. The `equal` and `delete` spans concatenate to
 * `base`, the `equal` and `insert` spans to `changed`. Spans are cut between whole words, so
 * none splits a surrogate pair.
 */
export function wordDiff(base: string, changed: string): ChangeSpan[] {
  const before = splitWords(base);
  const after = splitWords(changed);
  const table = new InternTable();
  const changes = diffSequences(table.intern(before), table.intern(after));
  const spans: ChangeSpan[] = [];
  // No two spans of one kind meet: the diff's changes always have an unchanged word between
  // them, so each span is pushed as it is.
  const push = (kind: ChangeSpan['kind'], text: string) => {
    if (text) spans.push({ kind, text });
  };
  let position = 0;
  for (const change of changes) {
    push('equal', before.slice(position, change.aStart).join(''));
    push('delete', before.slice(change.aStart, change.aEnd).join(''));
    push('insert', after.slice(change.bStart, change.bEnd).join(''));
    position = change.aEnd;
  }
  push('equal', before.slice(position).join(''));
  return spans;
}
