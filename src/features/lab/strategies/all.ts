import { mineWins, theirsWins } from './last-writer.ts';
import { patchMerge } from './patch.ts';
import { lineMerge, wordMerge } from './three-way.ts';
import type { StrategyId, StrategyOutcome, Triple } from './types.ts';

export interface Strategy {
  id: StrategyId;
  name: string;
  /** What it does, in one sentence. */
  how: string;
}

/** Every strategy the page compares, in the order it shows them. */
export const STRATEGIES: readonly Strategy[] = [
  { id: 'mine-wins', name: 'Last writer wins (mine saved last)', how: 'A plain PUT: my save replaces the document whole.' },
  { id: 'theirs-wins', name: 'Last writer wins (theirs saved last)', how: 'A plain PUT: their save replaces the document whole.' },
  { id: 'line-merge', name: 'Line three-way merge', how: 'diff3 on lines, as git merges: changes that touch the same or neighbouring lines conflict.' },
  { id: 'word-merge', name: 'Word three-way merge', how: "This app's merge: line diff3, then each line conflict retried word by word." },
  { id: 'patch', name: 'diff-match-patch patches', how: "Theirs' changes made into fuzzy patches against the base, applied to mine wherever their context is found." },
  { id: 'crdt', name: 'CRDT (Yjs)', how: "Each side's edits applied as concurrent text operations from the base; the replicas then exchange updates." },
];

/** The strategies that need no extra library; the CRDT comes from `crdt.ts`, loaded apart. */
export const RUN_SYNC: Record<Exclude<StrategyId, 'crdt'>, (triple: Triple) => StrategyOutcome> = {
  'mine-wins': mineWins,
  'theirs-wins': theirsWins,
  'line-merge': lineMerge,
  'word-merge': wordMerge,
  patch: patchMerge,
};
