/** One conflict: the text both people started from, and what each of them saved. */
export interface Triple {
  base: string;
  mine: string;
  theirs: string;
}

export type StrategyId = 'mine-wins' | 'theirs-wins' | 'line-merge' | 'word-merge' | 'patch' | 'crdt';

/** A stretch of the base, as offsets into it (end exclusive). */
export interface BaseRange {
  start: number;
  end: number;
}

/** What one strategy made of a triple. */
export interface StrategyOutcome {
  strategy: StrategyId;
  /** The merged text; a three-way merge writes unresolved conflicts with markers, as git does. */
  text: string;
  /** True when nothing is left for a person to decide (a strategy may still be wrong when clean). */
  clean: boolean;
  /** Stretches of the base a person still has to decide (three-way merges only). */
  conflicts: BaseRange[];
  /** diff-match-patch only: how many of theirs' patches it made, and how many it said it could not apply. */
  patches?: { total: number; failed: number };
}
