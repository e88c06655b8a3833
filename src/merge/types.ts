/**
 * The three sides of a line conflict that the word-level merge resolved. The hunk's `text` is
 * the automatic result; these let a person check it, or put the line conflict back
 * (`{ kind: 'conflict', ...wordMerged }`).
 */
export interface WordMerged {
  base: string;
  mine: string;
  theirs: string;
}

export type Hunk =
  | { kind: 'stable'; text: string } // unchanged on both sides
  | {
      kind: 'mine' | 'theirs' | 'both';
      base: string;
      text: string;
      /** Present when this hunk is a line conflict merged word by word (never at line level). */
      wordMerged?: WordMerged;
    } // change taken from one side, or the same change on both
  | { kind: 'conflict'; base: string; mine: string; theirs: string }; // both sides changed this region differently

export interface MergeResult {
  clean: boolean;
  hunks: Hunk[];
}

export interface MergeOptions {
  /** Try to resolve line conflicts at word level (default true). false = classic line diff3. */
  wordLevel?: boolean;
}
