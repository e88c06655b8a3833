// @vitest-environment happy-dom
/**
 * What a document's lock means for this user (useLockView): the editor turns read-only only when
 * the mode enforces the lock and someone else holds the lease, never for the holder, never while
 * the lock is not read yet. The real hook over a real query cache, with `fetch` stubbed.
 */
import { describe, expect, it } from 'vitest';
import type { Lease, LockState } from '../../../protocol/concurrency.ts';
import { lockQueryOptions } from '../api/document-lock.ts';
import { hookTests, scriptedServer } from '../test-support.ts';
import { useLockView } from './use-lock-view.ts';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const lease = (holder: string): Lease => ({
  docId: 'd_1',
  holder,
  token: 'urn:uuid:1',
  since: '2026-11-30T10:00:00.000Z',
  expires: '2026-11-30T10:01:00.000Z',
});

const hooks = hookTests('Alice');

async function viewOf(state: LockState | null, user = 'Alice') {
  // A lock not read yet: its request stays unanswered.
  scriptedServer([() => new Promise<Response>(() => undefined)]);
  if (state) hooks.client.setQueryData(lockQueryOptions('d_1').queryKey, state);
  const view = await hooks.mount(() => useLockView('d_1', user));
  return view();
}

describe('useLockView', () => {
  it('is read-only for everyone but the holder while the mode enforces the lock', async () => {
    expect(await viewOf({ lock: lease('Bob'), enforced: true })).toEqual({ enforced: true, lease: lease('Bob'), mine: false, heldByOther: true });
  });

  it('leaves the holder free to edit', async () => {
    expect(await viewOf({ lock: lease('Alice'), enforced: true })).toEqual({ enforced: true, lease: lease('Alice'), mine: true, heldByOther: false });
  });

  it('holds nobody back when the mode does not enforce the lock, though a lease is out', async () => {
    expect(await viewOf({ lock: lease('Bob'), enforced: false })).toEqual({ enforced: false, lease: lease('Bob'), mine: false, heldByOther: false });
  });

  it('holds nobody back with no lease out', async () => {
    expect(await viewOf({ lock: null, enforced: true })).toEqual({ enforced: true, lease: null, mine: false, heldByOther: false });
  });

  it('holds nobody back while the lock is not read yet', async () => {
    expect(await viewOf(null)).toEqual({ enforced: false, lease: null, mine: false, heldByOther: false });
  });
});
