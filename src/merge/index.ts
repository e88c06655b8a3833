// The three-way merge: the one public entry point of src/merge (docs/protocol.md §2).
export type { Hunk, MergeOptions, MergeResult, WordMerged } from './types.ts';
export { merge3 } from './merge3.ts';
export { toText } from './markers.ts';
export { wordDiff, type ChangeSpan } from './spans.ts';
export { lostByOverwrite, lostByDiscard, type LossSummary, type LossExcerpt } from './summary.ts';
