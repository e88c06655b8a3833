/**
 * The lab's public entry for other features: open the strategies page on a given conflict
 * (e.g. the conflict dialog's base, mine and theirs).
 */
import { navigate } from '../../lib/router.tsx';
import type { Triple } from './strategies/types.ts';
import { saveTriple } from './triple-store.ts';

export const STRATEGIES_PATH = '/lab/strategies';

export function compareStrategies(triple: Triple): void {
  saveTriple(triple);
  navigate(STRATEGIES_PATH);
}

export type { Triple };
