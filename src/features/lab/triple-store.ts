import type { Triple } from './strategies/types.ts';

/**
 * The triple the strategies page compares, kept in this tab's sessionStorage: a reload keeps
 * what was pasted, and another part of the app (the conflict dialog) can hand the page its
 * open conflict before navigating there.
 */
const STORAGE_KEY = 'conflict-lab:strategies-triple';

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    // A browser that blocks storage for this page throws on access.
    return null;
  }
}

export function parseTriple(raw: string | null): Triple | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Record<keyof Triple, unknown>>;
    const { base, mine, theirs } = value;
    return typeof base === 'string' && typeof mine === 'string' && typeof theirs === 'string' ? { base, mine, theirs } : null;
  } catch {
    return null;
  }
}

export function loadTriple(): Triple | null {
  return parseTriple(storage()?.getItem(STORAGE_KEY) ?? null);
}

export function saveTriple(triple: Triple): void {
  try {
    storage()?.setItem(STORAGE_KEY, JSON.stringify({ base: triple.base, mine: triple.mine, theirs: triple.theirs }));
  } catch {
    // Over the quota: the page still shows the triple; only a reload would not keep it.
  }
}
