/**
 * One mode's race as rows of a timeline: when, who, what was sent with which conditions, what the
 * server answered, and what that meant, in plain words. Pure, from the recorded exchanges.
 */
import { isSuccess, problemSlug, type Exchange } from './record.ts';

export type RowTone = 'setup' | 'ok' | 'refused' | 'merged' | 'lost' | 'failed';

export interface TimelineRow {
  /** `+0.042 s`: when the request went out, after the race started. */
  at: string;
  actor: string;
  /** `PUT /api/docs/…` */
  request: string;
  conditions: Array<[string, string]>;
  /** `200`, `409 edit-conflict`, `no answer`. */
  status: string;
  /** What it meant, one sentence. */
  says: string;
  tone: RowTone;
}

export function formatOffset(ms: number): string {
  return `+${(Math.max(0, ms) / 1000).toFixed(3)} s`;
}

function statusText(exchange: Exchange): string {
  if (exchange.status === 0) return 'no answer';
  const slug = problemSlug(exchange.problem);
  return slug ? `${exchange.status} ${slug}` : String(exchange.status);
}

const list = (versions: readonly number[]) =>
  versions.length === 1 ? `version ${versions[0]}` : `versions ${versions.slice(0, -1).join(', ')} and ${versions.at(-1)}`;

/** The refusal in a few words: who holds the lock, or the server's own sentence. */
function refusal(exchange: Exchange): string {
  const problem = exchange.problem;
  if (!problem) return `refused with ${exchange.status}`;
  if (problemSlug(problem) === 'resource-locked') return `refused: ${problem.holder ?? 'someone else'} holds the lock`;
  // The server's detail is a sentence of its own; it ends where this one does.
  return `refused: ${(problem.detail || problem.title).replace(/\.+$/, '')}`;
}

function says(exchange: Exchange, mode: string | null): { says: string; tone: RowTone } {
  const { actor } = exchange;
  if (exchange.status === 0) return { says: `${actor} got no answer${exchange.failure ? ` (${exchange.failure})` : ''}.`, tone: 'failed' };
  const ok = isSuccess(exchange);
  switch (exchange.step) {
    case 'create':
      return ok
        ? { says: `${actor} makes the document: version ${exchange.version ?? '?'}, which everyone starts from.`, tone: 'setup' }
        : { says: `${actor} could not make the document: ${refusal(exchange)}.`, tone: 'failed' };
    case 'mode':
      return ok
        ? { says: `${actor} sets the document's concurrency mode${mode ? ` to ${mode}` : ''}.`, tone: 'setup' }
        : { says: `${actor} could not set the mode.`, tone: 'failed' };
    case 'lock':
      return ok ? { says: `${actor} takes the lock before editing.`, tone: 'ok' } : { says: `${actor} is ${refusal(exchange).replace('refused:', 'refused the lock:')}.`, tone: 'refused' };
    case 'read': {
      if (!ok) return { says: `${actor} could not read the document.`, tone: 'failed' };
      const dated = exchange.lastModified ? ` (Last-Modified ${exchange.lastModified})` : '';
      return { says: `${actor} reads version ${exchange.version ?? '?'}${dated}.`, tone: 'ok' };
    }
    case 'save': {
      if (!ok) return { says: `${actor}'s save is ${refusal(exchange)}.`, tone: exchange.problem ? 'refused' : 'failed' };
      if (exchange.mergedFrom) {
        const [edited, into] = exchange.mergedFrom;
        return { says: `${actor}'s save is merged by the server: version ${exchange.version ?? '?'} (their version ${edited} merged into version ${into}).`, tone: 'merged' };
      }
      if (exchange.overwrote.length > 0)
        return { says: `${actor} saves version ${exchange.version ?? '?'}, replacing ${list(exchange.overwrote)} unseen: a lost update.`, tone: 'lost' };
      return { says: `${actor} saves version ${exchange.version ?? '?'}.`, tone: 'ok' };
    }
    case 'unlock':
      return ok ? { says: `${actor} releases the lock.`, tone: 'setup' } : { says: `${actor} could not release the lock.`, tone: 'failed' };
    case 'final':
      return ok ? { says: `${actor} reads the result: version ${exchange.version ?? '?'}.`, tone: 'setup' } : { says: `${actor} could not read the result.`, tone: 'failed' };
  }
}

/** The rows of one mode's race (`mode` names it in the row that sets it), in the order the requests went out. */
export function timelineRows(exchanges: readonly Exchange[], mode: string | null = null): TimelineRow[] {
  return [...exchanges]
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((exchange) => ({
      at: formatOffset(exchange.startedAt),
      actor: exchange.actor,
      request: `${exchange.method} ${exchange.path}`,
      conditions: exchange.conditions,
      status: statusText(exchange),
      ...says(exchange, mode),
    }));
}
