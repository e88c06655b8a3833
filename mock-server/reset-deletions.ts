/**
 * Which documents the demo reset deleted, so that what a client hears of such a document (the
 * `deleted` event, the 410 problem of every route) says "the demo was reset" rather than naming
 * the person who pressed Reset as if they had deleted each document themselves (docs/protocol.md
 * §1.5, §1.8). The store records every deletion the same way, with the acting user; this mark
 * lives beside it, in this server's memory: after a restart, or on another server sharing a
 * PostgreSQL database, a reset's deletions read as deletions by that user.
 */
import type { MiddlewareHandler } from 'hono';
import type { Store } from './storage/types.ts';

/** The `reason` member of a `deleted` event and of a 410 problem for a document the reset removed. */
export const RESET_REASON = 'reset';

export class ResetDeletions {
  private readonly ids = new Set<string>();

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /**
   * Runs the store's reset with its documents marked: they are marked before the store deletes
   * them, because the store tells its deletions (the events) before the reset returns. The mark is
   * taken back if the reset fails. A document created or deleted by someone between the listing
   * and the reset (the same millisecond) is the one case read the other way.
   */
  async reset<T>(store: Store, run: () => Promise<T>): Promise<T> {
    const live = (await store.list()).map((doc) => doc.id).filter((id) => !this.ids.has(id));
    for (const id of live) this.ids.add(id);
    try {
      return await run();
    } catch (error) {
      for (const id of live) this.ids.delete(id);
      throw error;
    }
  }

  /**
   * Adds `reason: "reset"` to a 410 `gone` problem about a document the reset deleted, whichever
   * route answered it (documents, transitions, locks, the bot, scenarios).
   */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      await next();
      if (c.res.status !== 410 || this.ids.size === 0) return;
      const body: unknown = await c.res.clone().json().catch(() => null);
      if (!isGoneProblem(body) || !this.ids.has(body.id)) return;
      const headers = new Headers(c.res.headers);
      headers.delete('content-length');
      c.res = new Response(JSON.stringify({ ...body, detail: resetDetail(body), reason: RESET_REASON }), { status: 410, headers });
    };
  }
}

interface GoneProblem {
  type: string;
  id: string;
  deletedAt?: unknown;
  deletedBy?: unknown;
}

function isGoneProblem(body: unknown): body is GoneProblem {
  if (typeof body !== 'object' || body === null) return false;
  const { type, id } = body as Record<string, unknown>;
  return type === '/problems/gone' && typeof id === 'string';
}

function resetDetail(body: GoneProblem): string {
  const by = typeof body.deletedBy === 'string' ? ` by ${body.deletedBy}` : '';
  const at = typeof body.deletedAt === 'string' ? ` at ${body.deletedAt}` : '';
  return `Document ${body.id} was deleted when the demo was reset${by}${at}.`;
}
