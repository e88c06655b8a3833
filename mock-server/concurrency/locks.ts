/**
 * Pessimistic locks (docs/protocol.md §1.11, mode `lock`): one lease per document, held by one
 * user until it expires or is released, renewed by its holder, broken by another user only when
 * asked to (`force`, after the user confirmed). Kept in this server's memory: several server
 * instances on one database would each have their own table, so locks hold only behind one
 * instance (a shared store would need a lease row with the same compare-and-set as the documents).
 */
import { DEFAULT_LEASE_SECONDS, type Lease, type LockEvent } from '../../src/protocol/concurrency.ts';

export type TakeResult =
  | { kind: 'taken' | 'renewed'; lease: Lease }
  | { kind: 'broken'; lease: Lease; previous: Lease }
  | { kind: 'locked'; lease: Lease };

export type ReleaseResult = { kind: 'released'; previous: Lease } | { kind: 'not-held' } | { kind: 'locked'; lease: Lease };

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
  release(docId: string, user: string, { force = false }: { force?: boolean } = {}): ReleaseResult {
    const held = this.current(docId);
    if (!held) return { kind: 'not-held' };
    if (held.holder !== user && !force) return { kind: 'locked', lease: held };
    this.leases.delete(docId);
    this.onChange({ type: held.holder === user ? 'released' : 'broken', docId, lock: null, previous: held, by: user });
    return { kind: 'released', previous: held };
  }

  /** Forgets a deleted document's lease. */
  forget(docId: string): void {
    this.leases.delete(docId);
  }

  clear(): void {
    this.leases.clear();
  }
}
