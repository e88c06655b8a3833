import { diff_match_patch, DIFF_DELETE, DIFF_EQUAL, DIFF_INSERT } from '@dmsnell/diff-match-patch';
import { wordDiff, type ChangeSpan } from '../../merge/index.ts';
import { splitWords } from '../../merge/tokens.ts';

/** Lines with their line breaks, so joining them gives the text back. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * A minimal diff of two token lists, by diff-match-patch with no time-out: each distinct token
 * is encoded as one UTF-16 unit, so past 0xffff distinct tokens there is no answer (null).
 */
function tokenDiff(a: string[], b: string[]): [op: number, tokens: string[]][] | null {
  const codes = new Map<string, string>();
  const table: string[] = [];
  const encode = (tokens: string[]) =>
    tokens
      .map((token) => {
        let code = codes.get(token);
        if (code === undefined) {
          code = String.fromCharCode(table.length);
          codes.set(token, code);
          table.push(token);
        }
        return code;
      })
      .join('');
  const chars = [encode(a), encode(b)] as const;
  if (table.length > 0xffff) return null;
  const dmp = new diff_match_patch();
  dmp.Diff_Timeout = 0;
  const decode = (codeUnits: string) => Array.from(codeUnits, (c) => table[c.charCodeAt(0)] ?? '');
  return dmp.diff_main(chars[0], chars[1], false).map((diff) => [diff[0], decode(diff[1])]);
}

/**
 * Each insertion or deletion between two unchanged stretches slid as far down as it goes, as
 * git's diff does: "then lunch" → "then a long lunch" is then always "a long " added after
 * "then ", whichever other edits the diff saw, so the same edit has one place in every diff.
 */
function slideDown(ops: [op: number, tokens: string[]][]): void {
  for (let i = 1; i + 1 < ops.length; i++) {
    const [before, edit, after] = [ops[i - 1], ops[i], ops[i + 1]] as [op: number, tokens: string[]][];
    if (before[0] !== DIFF_EQUAL || after[0] !== DIFF_EQUAL || edit[0] === DIFF_EQUAL) continue;
    while (after[1].length > 0 && after[1][0] === edit[1][0]) {
      before[1].push(edit[1].shift() as string);
      edit[1].push(after[1].shift() as string);
    }
  }
}

/**
 * The words of a replaced stretch, by a minimal diff rather than the merge's. The merge must
 * align as git does, and git's diff first sets aside words the other side lacks, then searches
 * and slides what is left: "3.1.2" → "3.2.0.dev" comes out as 1. deleted, 2 kept, .0.dev added
 * (the 2 of 3.1.2 matched with the 2 of 3.2.0), and the rewrite of the patch number that the
 * other side also rewrote no longer overlaps it. diff-match-patch gives 1 → 2, 2 → 0.dev, as a
 * reader sees it, so the annotations can tell a rival rewrite from a separate edit.
 */
function minimalWordDiff(a: string, b: string): ChangeSpan[] {
  const ops = tokenDiff(splitWords(a), splitWords(b));
  if (!ops) return wordDiff(a, b);
  slideDown(ops);
  return ops
    .filter(([, tokens]) => tokens.length > 0)
    .map(([op, tokens]) => ({ kind: op === DIFF_DELETE ? 'delete' : op === DIFF_INSERT ? 'insert' : 'equal', text: tokens.join('') }));
}

/**
 * Lines first, then words inside the lines that were replaced: how a reader sees a change. A
 * word diff of the whole text can tie between aligning a moved line with its new place and
 * pairing unrelated lines word by word; a line diff first keeps whole lines together.
 */
export function lineThenWordDiff(a: string, b: string): ChangeSpan[] {
  // Past 0xffff distinct lines, the merge's word diff on its own: fast on any size.
  const ops = tokenDiff(lines(a), lines(b));
  if (!ops) return wordDiff(a, b);

  const spans: ChangeSpan[] = [];
  const push = (span: ChangeSpan) => {
    const last = spans[spans.length - 1];
    if (!span.text) return;
    if (last && last.kind === span.kind) last.text += span.text;
    else spans.push({ ...span });
  };
  let removed = '';
  let inserted = '';
  const flush = () => {
    if (removed && inserted) minimalWordDiff(removed, inserted).forEach(push);
    else {
      push({ kind: 'delete', text: removed });
      push({ kind: 'insert', text: inserted });
    }
    removed = '';
    inserted = '';
  };
  for (const [op, tokens] of ops) {
    const text = tokens.join('');
    if (op === DIFF_DELETE) removed += text;
    else if (op === DIFF_INSERT) inserted += text;
    else {
      flush();
      push({ kind: 'equal', text });
    }
  }
  flush();
  return spans;
}
