import { useDocumentLock } from '../api/document-lock.ts';
import type { Lease } from '../../../protocol/concurrency.ts';

export interface LockView {
  /** Whether the document's mode is `lock`, so the lease decides who may save. */
  enforced: boolean;
  lease: Lease | null;
  /** Someone else holds it: this tab's editor is read-only. */
  heldByOther: boolean;
  mine: boolean;
}

/** What the document's lock means for this user: the editor reads it, the lock panel shows it. */
export function useLockView(id: string, user: string): LockView {
  const lock = useDocumentLock(id);
  const lease = lock.data?.lock ?? null;
  const enforced = lock.data?.enforced ?? false;
  return { enforced, lease, mine: lease?.holder === user, heldByOther: enforced && lease !== null && lease.holder !== user };
}
