import type { StrategyOutcome, Triple } from './types.ts';

/**
 * Last writer wins: what a plain `PUT` without `If-Match` does. The later save replaces the
 * document whole; the earlier one is gone without a word.
 */
export function mineWins(triple: Triple): StrategyOutcome {
  return { strategy: 'mine-wins', text: triple.mine, clean: true, conflicts: [] };
}

export function theirsWins(triple: Triple): StrategyOutcome {
  return { strategy: 'theirs-wins', text: triple.theirs, clean: true, conflicts: [] };
}
