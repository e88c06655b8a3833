/**
 * What a write needs from a document's history, read from its newest end: a save's lost updates
 * and a conflict's base are near the top of a long history, so they are worked out from the last
 * few versions (an indexed range read), and an older part is read only when the answer reaches
 * into it. A save's cost stays proportional to what it changed, not to how many versions exist.
 */
import { overwrittenByRecent } from '../../src/protocol/concurrency.ts';
import { parseEntityTag, type EntityTagCondition } from '../../src/protocol/etag.ts';
import type { ChangeSince } from '../../src/protocol/problems.ts';
import type { RevisionRecord, Store } from '../storage/types.ts';

/** How many versions the first read takes; each further read takes twice as many older ones. */
export const FIRST_SPAN = 32;

/**
 * Reads a history from its newest end: first the versions after `start - FIRST_SPAN`, then, while
 * `answer` cannot tell from what was read, the part just before it, twice as long as the last one,
 * down to the first version. Each version is read once. `answer` gets the versions read so far
 * (oldest first), whether they reach the first version, and the part read last; it returns null
 * for "not yet" (it must answer once they reach the first). Null when the document is unknown.
 */
async function readBack<T>(
  store: Store,
  id: string,
  start: number,
  answer: (recent: RevisionRecord[], complete: boolean, latest: RevisionRecord[]) => T | null,
): Promise<T | null> {
  let after = Math.max(0, start - FIRST_SPAN);
  let recent = await store.revisions(id, { after });
  let latest = recent;
  for (let span = FIRST_SPAN * 2; recent && latest; span *= 2) {
    const found = answer(recent, after === 0, latest);
    if (found !== null || after === 0) return found;
    const through = after;
    after = Math.max(0, after - span);
    latest = await store.revisions(id, { after, through });
    if (latest) recent = latest.concat(recent);
  }
  return null;
}

/**
 * The versions that the save making `version` replaced without seeing (overwrittenBy over the
 * whole history, to the same answer), reading from the newest end.
 */
export async function overwrittenSince(store: Store, id: string, version: number): Promise<number[]> {
  if (version <= 1) return [];
  const found = await readBack(store, id, version - 1, (recent, complete) => overwrittenByRecent(recent, version, complete));
  // A document without a history: what the whole-history walk says of an empty one.
  // Stryker disable next-line ArrayDeclaration: with the whole history (complete, even if empty) overwrittenByRecent always answers a list, never null.
  return found ?? overwrittenByRecent([], version, true) ?? [];
}

/** A conflict's history part: the newest version a condition names (0 for none), and the saves after it. */
export interface ConflictHistory {
  baseVersion: number;
  changesSince: ChangeSince[];
}

/**
 * The base of a conflict (the newest version whose tag `condition` lists) and every save since,
 * from the newest end of a history whose current version is `latest`: as many versions as the
 * answer lists, give or take a read. Null when the document is unknown.
 */
export async function conflictHistory(store: Store, id: string, condition: EntityTagCondition, latest: number): Promise<ConflictHistory | null> {
  const named = new Set(condition.any ? [] : condition.tags.map((tag) => tag.opaque));
  // A condition that names no version has every save since the first as its changes.
  const start = named.size === 0 ? 0 : latest;
  return readBack(store, id, start, (recent, complete, older): ConflictHistory | null => {
    // Only the part read last can hold the base: a newer one would have answered already.
    const baseVersion = older.reduce((best, r) => (named.has(parseEntityTag(r.etag).opaque) ? r.version : best), 0);
    if (baseVersion === 0 && !complete) return null;
    return {
      baseVersion,
      changesSince: recent.filter((r) => r.version > baseVersion).map(({ version, updatedBy, updatedAt }) => ({ version, updatedBy, updatedAt })),
    };
  });
}
