/**
 * What a write needs from a document's history, read from its newest end: a save's lost updates
 * and a conflict's base are near the top of a long history, so they are worked out from the last
 * few versions (an indexed range read), and an older part is read only when the answer reaches
 * into it. A save's cost stays proportional to what it changed, not to how many versions exist.
 */
import { overwrittenByRecent } from '../../src/protocol/concurrency.ts';
import { parseEntityTag, type EntityTagCondition } from '../../src/protocol/etag.ts';
import type { ChangeSince } from '../../src/protocol/problems.ts';
import type { Store } from '../storage/types.ts';

/** How many versions the first read takes; each further read takes twice as many. */
export const FIRST_SPAN = 32;

/**
 * The versions that the save making `version` replaced without seeing (overwrittenBy over the
 * whole history, to the same answer), reading from the newest end.
 */
export async function overwrittenSince(store: Store, id: string, version: number): Promise<number[]> {
  if (version <= 1) return [];
  for (let span = FIRST_SPAN; ; span *= 2) {
    const after = Math.max(0, version - 1 - span);
    const recent = (await store.revisions(id, { after })) ?? [];
    const answer = overwrittenByRecent(recent, version, after === 0);
    if (answer) return answer;
  }
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
  for (let span = FIRST_SPAN; ; span *= 2) {
    // A condition that names no version has every save since the first as its changes.
    const after = named.size === 0 ? 0 : Math.max(0, latest - span);
    const recent = await store.revisions(id, { after });
    if (!recent) return null;
    const baseVersion = recent.reduce((best, r) => (named.has(parseEntityTag(r.etag).opaque) ? r.version : best), 0);
    if (baseVersion > 0 || after === 0) {
      return {
        baseVersion,
        changesSince: recent.filter((r) => r.version > baseVersion).map(({ version, updatedBy, updatedAt }) => ({ version, updatedBy, updatedAt })),
      };
    }
  }
}
