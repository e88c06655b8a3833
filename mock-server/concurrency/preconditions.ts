/**
 * Which conditions a write carries, and what each concurrency mode makes of them
 * (docs/protocol.md §1.11). The order is RFC 9110 §13.2.2's: `If-Match` first; `If-Unmodified-Since`
 * only when there is no `If-Match`, and ignored when its date is not a valid HTTP date.
 */
import type { Context } from 'hono';
import {
  BASED_ON_HEADER,
  httpSeconds,
  parseHttpDate,
  type ConcurrencyMode,
} from '../../src/protocol/concurrency.ts';
import {
  EntityTagSyntaxError,
  formatEntityTag,
  ifMatchPasses,
  parseEntityTag,
  parseEntityTagCondition,
  type EntityTagCondition,
} from '../../src/protocol/etag.ts';
import { problem } from '../responses.ts';
import type { StoredRevision } from '../storage/types.ts';

export interface WriteConditions {
  ifMatch: { raw: string; condition: EntityTagCondition } | null;
  /** The instant of `If-Unmodified-Since` in whole seconds; null when absent or not a valid date. */
  ifUnmodifiedSince: number | null;
  /** `X-Based-On`: the tag the writer started from, when it says so without making it a condition. */
  basedOn: string | null;
}

/**
 * What a write is held to, once the mode has the condition it needs: the mode's answer to the
 * write's conditions, before any version is looked at.
 */
export type WriteGuard =
  /** `none`, last write wins: nothing is checked; `basedOn` is what the writer saw, recorded to tell lost updates. */
  | { kind: 'unchecked'; basedOn: string | null }
  /** `If-Match`, which every other mode checks when it is sent. */
  | { kind: 'if-match'; condition: EntityTagCondition }
  /** `timestamp` without `If-Match`: the valid date of `If-Unmodified-Since`, in whole seconds. */
  | { kind: 'unmodified-since'; seconds: number; basedOn: string | null };

export type Verdict =
  /** The write goes ahead against the current version; `basedOn` is what the writer saw. */
  | { kind: 'pass'; basedOn: string | null }
  /** The writer's version is not the current one; `condition` names it (for the conflict's base). */
  | { kind: 'stale'; condition: EntityTagCondition };

/** A condition no tag matches: a stale write whose writer named no version. */
const NAMES_NOTHING: EntityTagCondition = { any: false, tags: [] };

function headerProblem(name: string, message: string): Response {
  return problem(400, 'bad-request', `${name} is not valid: ${message}`, { header: name });
}

/** The write's conditions, or the 400 problem for a malformed `If-Match` or `X-Based-On`. */
export function readWriteConditions(c: Context): { ok: true; value: WriteConditions } | { ok: false; response: Response } {
  const ifMatchRaw = c.req.header('If-Match') ?? null;
  let ifMatch: WriteConditions['ifMatch'] = null;
  if (ifMatchRaw !== null) {
    try {
      ifMatch = { raw: ifMatchRaw, condition: parseEntityTagCondition(ifMatchRaw) };
    } catch (error) {
      if (!(error instanceof EntityTagSyntaxError)) throw error;
      return { ok: false, response: headerProblem('If-Match', `it is not a list of entity tags or "*" (${error.message})`) };
    }
  }
  const basedOnRaw = c.req.header(BASED_ON_HEADER) ?? null;
  let basedOn: string | null = null;
  if (basedOnRaw !== null) {
    try {
      // Stryker disable next-line MethodExpression: HTTP header values reach the app without the spaces around them, so trim() changes nothing.
      basedOn = formatEntityTag({ ...parseEntityTag(basedOnRaw.trim()), weak: false });
    } catch (error) {
      if (!(error instanceof EntityTagSyntaxError)) throw error;
      return { ok: false, response: headerProblem(BASED_ON_HEADER, `it is not one entity tag (${error.message})`) };
    }
  }
  const since = c.req.header('If-Unmodified-Since');
  return { ok: true, value: { ifMatch, ifUnmodifiedSince: since === undefined ? null : parseHttpDate(since), basedOn } };
}

/** The first tag of an `If-Match`, as the tag a write says it started from. */
function firstTag(condition: EntityTagCondition): string | null {
  if (condition.any) return null;
  const [first] = condition.tags;
  return first ? formatEntityTag({ ...first, weak: false }) : null;
}

/** The guard `mode` puts on a write with these conditions; null when the write lacks the condition the mode requires (→ 428). */
export function writeGuard(mode: ConcurrencyMode, conditions: WriteConditions): WriteGuard | null {
  const { ifMatch, ifUnmodifiedSince, basedOn } = conditions;
  if (mode === 'none') return { kind: 'unchecked', basedOn: (ifMatch && firstTag(ifMatch.condition)) ?? basedOn };
  if (ifMatch) return { kind: 'if-match', condition: ifMatch.condition };
  if (mode === 'timestamp' && ifUnmodifiedSince !== null) return { kind: 'unmodified-since', seconds: ifUnmodifiedSince, basedOn };
  return null;
}

/** What a write's guard makes of the current version. */
export function evaluate(guard: WriteGuard, current: StoredRevision): Verdict {
  switch (guard.kind) {
    case 'unchecked':
      return { kind: 'pass', basedOn: guard.basedOn };
    case 'if-match':
      if (ifMatchPasses(guard.condition, current.etag)) return { kind: 'pass', basedOn: current.etag };
      return { kind: 'stale', condition: guard.condition };
    case 'unmodified-since':
      // RFC 9110 §13.1.4: true when the last modification is no later than the date. Dates have
      // one-second resolution, so a version saved later in the same second still passes.
      if (httpSeconds(current.document.updatedAt) <= guard.seconds) return { kind: 'pass', basedOn: guard.basedOn };
      return { kind: 'stale', condition: guard.basedOn ? parseEntityTagCondition(guard.basedOn) : NAMES_NOTHING };
  }
}

/** The condition that matches exactly `etag`: a write that the mode let through, made against that version. */
export function exactly(etag: string): EntityTagCondition {
  return parseEntityTagCondition(etag);
}
