export type Hunk =
  | { kind: 'stable'; text: string } // unchanged on both sides
  | { kind: 'mine' | 'theirs' | 'both'; base: string; text: string } // change taken from one side, or the same change on both
  | { kind: 'conflict'; base: string; mine: string; theirs: string }; // both sides changed this region differently

export interface MergeResult {
  clean: boolean;
  hunks: Hunk[];
}

export interface MergeOptions {
  /** Try to resolve line conflicts at word level (default true). false = classic line diff3. */
  wordLevel?: boolean;
}
