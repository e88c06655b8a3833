import { diff_match_patch } from '@dmsnell/diff-match-patch';
import type { StrategyOutcome, Triple } from './types.ts';

/**
 * diff-match-patch's fuzzy patching, the step behind differential synchronisation: theirs'
 * changes become patches against the base (`patch_make`), which are applied to mine
 * (`patch_apply`), each found by its context even where mine moved it. A patch whose context
 * cannot be found is reported as not applied; one found in the wrong place is applied there,
 * and reported as applied.
 */
export function patchMerge(triple: Triple): StrategyOutcome {
  // Library defaults throughout (1 s diff time-out, Match_Threshold 0.5, Match_Distance 1000):
  // what an app that adopts it gets.
  const dmp = new diff_match_patch();
  const patches = dmp.patch_make(triple.base, triple.theirs);
  const [text, applied] = dmp.patch_apply(patches, triple.mine);
  const failed = applied.filter((ok) => !ok).length;
  return { strategy: 'patch', text, clean: failed === 0, conflicts: [], patches: { total: patches.length, failed } };
}
