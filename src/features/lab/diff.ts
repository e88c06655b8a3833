import { diff_match_patch, DIFF_DELETE, DIFF_EQUAL, DIFF_INSERT } from '@dmsnell/diff-match-patch';
import { wordDiff, type ChangeSpan } from '../../merge/index.ts';

/** Lines with their line breaks, so joining them gives the text back. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Lines first, then words inside the lines that were replaced: how a reader sees a change. A
 * word diff of the whole text can tie between aligning a moved line with its new place and
 * pairing unrelated lines word by word; a line diff first keeps whole lines together.
 */
export function lineThenWordDiff(a: string, b: string): ChangeSpan[] {
  const codes = new Map<string, string>();
  const table: string[] = [];
  const encode = (text: string) =>
    lines(text)
      .map((line) => {
        let code = codes.get(line);
        if (code === undefined) {
          code = String.fromCharCode(table.length);
          codes.set(line, code);
          table.push(line);
        }
        return code;
      })
      .join('');
  const chars = [encode(a), encode(b)] as const;
  // One UTF-16 unit per distinct line: past that the word diff has to do on its own.
  if (table.length > 0xffff) return wordDiff(a, b);
  const dmp = new diff_match_patch();
  dmp.Diff_Timeout = 0;
  const decode = (codeUnits: string) => Array.from(codeUnits, (c) => table[c.charCodeAt(0)] ?? '').join('');

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
    if (removed && inserted) wordDiff(removed, inserted).forEach(push);
    else {
      push({ kind: 'delete', text: removed });
      push({ kind: 'insert', text: inserted });
    }
    removed = '';
    inserted = '';
  };
  for (const [op, codeUnits] of dmp.diff_main(chars[0], chars[1], false)) {
    if (op === DIFF_DELETE) removed += decode(codeUnits);
    else if (op === DIFF_INSERT) inserted += decode(codeUnits);
    else if (op === DIFF_EQUAL) {
      flush();
      push({ kind: 'equal', text: decode(codeUnits) });
    }
  }
  flush();
  return spans;
}
