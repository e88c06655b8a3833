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

/**
 * The same, in a new tab, so the page that asks (an open conflict, a draft not saved yet) stays as
 * it is and the user comes back to it. A tab opened by this one starts with a copy of its
 * sessionStorage (HTML's rule for a new browsing context with an opener), so the triple goes with
 * it; the new tab's own changes stay in that tab. Returns false when the browser opened no tab.
 */
export function compareStrategiesInNewTab(triple: Triple): boolean {
  saveTriple(triple);
  const opened = window.open(STRATEGIES_PATH, '_blank');
  if (!opened) return false;
  // The new tab has no business with this one once it is open.
  opened.opener = null;
  return true;
}

export type { Triple };
