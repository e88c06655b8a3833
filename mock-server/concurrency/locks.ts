/**
 * Pessimistic locks (docs/protocol.md §1.11, mode `lock`): one lease per document, held by one
 * user until it expires or is released, renewed by its holder, broken by another user only when
 * asked to (`force`, after the user confirmed), or handed over by its holder to someone who asked
 * for it. Kept in this server's memory: several server
 * instances on one database would each have their own table, so locks hold only behind one
 * instance (a shared store would need a lease row with the same compare-and-set as the documents).
 */
import { DEFAULT_LEASE_SECONDS, type Lease, type LockEvent } from '../../src/protocol/concurrency.ts';

export type TakeResult =
  | { kind: 'taken' | 'renewed'; lease: Lease }
  | { kind: 'broken'; lease: Lease; previous: Lease }
  | { kind: 'locked'; lease: Lease };

export type ReleaseResult = { kind: 'released'; previous: Lease } | { kind: 'not-held' } | { kind: 'locked'; lease: Lease };

export type AskResult = { kind: 'asked' | 'own'; lease: Lease } | { kind: 'not-held' };

export type HandOverResult =
  | { kind: 'handed-over'; lease: Lease; previous: Lease }
  | { kind: 'not-held' }
  /** Someone else holds it: only the holder hands over. */
  | { kind: 'locked'; lease: Lease }
  /** `to` has not asked (or the request was answered already). */
  | { kind: 'not-asked'; lease: Lease };

export type DeclineResult = { kind: 'declined'; lease: Lease } | { kind: 'not-held' } | { kind: 'locked'; lease: Lease } | { kind: 'not-asked'; lease: Lease };

export interface LockTableOptions {
  now?: () => Date;
  /** Hears every change of a lease, in order (the event stream). */
  onChange?: (event: LockEvent) => void;
}

function randomToken(): string {
  return `urn:uuid:${globalThis.crypto.randomUUID()}`;
}

export class LockTable {
  private readonly leases = new Map<string, Lease>();
  private readonly now: () => Date;
  private readonly onChange: (event: LockEvent) => void;

  constructor({ now = () => new Date(), onChange = () => {} }: LockTableOptions = {}) {
    this.now = now;
    this.onChange = onChange;
  }

  /** The lease on a document now; an expired one is forgotten (and its end told) on the way. */
  current(docId: string): Lease | null {
    const lease = this.leases.get(docId);
    if (!lease) return null;
    if (Date.parse(lease.expires) > this.now().getTime()) return lease;
    this.leases.delete(docId);
    this.onChange({ type: 'expired', docId, lock: null, previous: lease, by: lease.holder });
    return null;
  }

  /** The lease that refuses `user`'s write, or null when the user may write. */
  blocking(docId: string, user: string): Lease | null {
    const lease = this.current(docId);
    return lease && lease.holder !== user ? lease : null;
  }

  /** Takes the lock, renews the holder's lease, or (with `force`) breaks another user's. */
  take(docId: string, user: string, { seconds = DEFAULT_LEASE_SECONDS, force = false }: { seconds?: number; force?: boolean } = {}): TakeResult {
    const held = this.current(docId);
    const now = this.now();
    const expires = new Date(now.getTime() + seconds * 1000).toISOString();
    if (held && held.holder === user) {
      const lease = { ...held, expires };
      this.leases.set(docId, lease);
      this.onChange({ type: 'renewed', docId, lock: lease, previous: null, by: user });
      return { kind: 'renewed', lease };
    }
    if (held && !force) return { kind: 'locked', lease: held };
    const lease: Lease = { docId, holder: user, token: randomToken(), since: now.toISOString(), expires };
    this.leases.set(docId, lease);
    if (held) {
      this.onChange({ type: 'broken', docId, lock: lease, previous: held, by: user });
      return { kind: 'broken', lease, previous: held };
    }
    this.onChange({ type: 'locked', docId, lock: lease, previous: null, by: user });
    return { kind: 'taken', lease };
  }

  /** Releases the holder's lease (anyone's, with `force`). */
  // Stryker disable next-line BooleanLiteral: the one caller (DELETE …/lock) always says whether to force.
  release(docId: string, user: string, { force = false }: { force?: boolean } = {}): ReleaseResult {
    const held = this.current(docId);
    // Stryker disable next-line ObjectLiteral,StringLiteral: the one caller answers 204 for anything but 'locked', so what this result says is never read.
    if (!held) return { kind: 'not-held' };
    if (held.holder !== user && !force) return { kind: 'locked', lease: held };
    this.leases.delete(docId);
    this.onChange({ type: held.holder === user ? 'released' : 'broken', docId, lock: null, previous: held, by: user });
    return { kind: 'released', previous: held };
  }

  /**
   * Asks the holder to hand the lock over (a take-over without breaking it). One request at a
   * time: a later asker's replaces an earlier one's. Asking for one's own lock asks nothing.
   */
  ask(docId: string, user: string): AskResult {
    const held = this.current(docId);
    if (!held) return { kind: 'not-held' };
    if (held.holder === user) return { kind: 'own', lease: held };
    const lease: Lease = { ...held, request: { by: user, at: this.now().toISOString() } };
    this.leases.set(docId, lease);
    this.onChange({ type: 'requested', docId, lock: lease, previous: null, by: user });
    return { kind: 'asked', lease };
  }

  /**
   * The holder passes the lock to the one who asked: a new lease (new token) for them, as long as
   * the holder's had. The former holder keeps whatever they had not saved (it is on their device).
   */
  handOver(docId: string, user: string, to: string): HandOverResult {
    const held = this.current(docId);
    if (!held) return { kind: 'not-held' };
    if (held.holder !== user) return { kind: 'locked', lease: held };
    if (held.request?.by !== to) return { kind: 'not-asked', lease: held };
    const now = this.now();
    const length = Date.parse(held.expires) - Date.parse(held.since);
    const expires = new Date(now.getTime() + Math.max(length, DEFAULT_LEASE_SECONDS * 1000)).toISOString();
    const lease: Lease = { docId, holder: to, token: randomToken(), since: now.toISOString(), expires };
    this.leases.set(docId, lease);
    this.onChange({ type: 'handed-over', docId, lock: lease, previous: held, by: user });
    return { kind: 'handed-over', lease, previous: held };
  }

  /** The holder keeps editing (or the asker withdraws): the request is dropped, the lease stays. */
  decline(docId: string, user: string): DeclineResult {
    const held = this.current(docId);
    if (!held) return { kind: 'not-held' };
    if (!held.request) return { kind: 'not-asked', lease: held };
    if (held.holder !== user && held.request.by !== user) return { kind: 'locked', lease: held };
    const { request: _answered, ...lease } = held;
    this.leases.set(docId, lease);
    this.onChange({ type: 'declined', docId, lock: lease, previous: held, by: user });
    return { kind: 'declined', lease };
  }

  /** Forgets a deleted document's lease. */
  forget(docId: string): void {
    this.leases.delete(docId);
  }

  clear(): void {
    this.leases.clear();
  }
}
