import { useEffect, useRef, useState } from 'react';
import { ErrorAlert } from '../../../lib/ErrorAlert.tsx';
import { clockFormatter } from '../../../lib/clock.ts';
import { USER_HEADER } from '../../../protocol/types.ts';
import { concurrencyPaths } from '../../../protocol/concurrency.ts';
import { useLockMutation, useTakeOverRequest } from '../api/document-lock.ts';
import type { LockView } from '../hooks/use-lock-view.ts';

const formatTime = clockFormatter();
const LEASE_SECONDS = 60;
const RENEW_EVERY_MS = 20_000;

/**
 * Pessimistic locking in the editor (docs/protocol.md §1.11): take the lock to edit, keep it while
 * the tab is open (renewed every 20 s, released when the editor closes), see who holds it and
 * until when, ask the holder to hand it over (they answer "Hand over" or "Keep editing"), and
 * break another person's lock after confirming when nobody answers. A lock handed over or broken
 * costs its former holder nothing typed: the draft stays on their device.
 */
export function LockPanel({ id, user, view }: { id: string; user: string; view: LockView }) {
  const mutation = useLockMutation(id);
  const takeOver = useTakeOverRequest(id);
  const [confirming, setConfirming] = useState(false);
  /** The lease this tab held passed to someone else: broken by them, or handed over by this tab. */
  const [passedTo, setPassedTo] = useState<{ holder: string; handedOver: boolean } | null>(null);
  const [declinedBy, setDeclinedBy] = useState<string | null>(null);
  const { lease, mine, heldByOther, enforced } = view;
  const askedByMe = heldByOther && lease?.request?.by === user;

  // Told once when the lease this tab held passes to someone else.
  const held = useRef(false);
  const handingTo = useRef<string | null>(null);
  useEffect(() => {
    if (held.current && lease && lease.holder !== user) setPassedTo({ holder: lease.holder, handedOver: handingTo.current === lease.holder });
    if (mine) handingTo.current = null;
    held.current = mine;
  }, [lease, mine, user]);

  // Told when this tab's request ends with the lock still someone else's: "keep editing".
  const [wasAsking, setWasAsking] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);
  if (askedByMe !== wasAsking) {
    setWasAsking(askedByMe);
    setDeclinedBy(!askedByMe && !withdrawing && heldByOther && lease ? lease.holder : null);
    setWithdrawing(false);
  }

  // Renewed while the tab is open, released when the editor goes away.
  const renew = mutation.mutate;
  useEffect(() => {
    if (!mine) return;
    const timer = window.setInterval(() => renew({ seconds: LEASE_SECONDS }), RENEW_EVERY_MS);
    const release = () => {
      void fetch(concurrencyPaths.lock(id), { method: 'DELETE', headers: { [USER_HEADER]: user }, keepalive: true });
    };
    window.addEventListener('pagehide', release);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('pagehide', release);
    };
  }, [mine, id, user, renew]);

  // Leaving the editor (back to the list) releases the lock this tab holds.
  useEffect(
    () => () => {
      if (held.current) void fetch(concurrencyPaths.lock(id), { method: 'DELETE', headers: { [USER_HEADER]: user }, keepalive: true });
    },
    [id, user],
  );

  if (!enforced) return null;
  return (
    <div className="lock-panel" role="group" aria-label="Document lock">
      {passedTo && (
        <div className={passedTo.handedOver ? 'banner banner-info' : 'banner banner-error'} role={passedTo.handedOver ? 'status' : 'alert'}>
          <p>
            {passedTo.handedOver ? `You handed the lock to ${passedTo.holder}.` : `${passedTo.holder} took over the lock.`} Your unsaved text is
            kept on this device; take the lock back to save it.
          </p>
          <button type="button" className="button-quiet" onClick={() => setPassedTo(null)}>
            Dismiss
          </button>
        </div>
      )}
      {mine && lease?.request && (
        <div className="banner banner-live" role="alert" data-testid="lock-request">
          <p>
            <strong>{lease.request.by} asks to take over</strong> the lock. Handing it over keeps your unsaved text on this device.
          </p>
          <button
            type="button"
            disabled={takeOver.isPending}
            onClick={() => {
              const to = lease.request?.by ?? '';
              handingTo.current = to;
              takeOver.mutate({ kind: 'hand-over', to });
            }}
          >
            Hand over
          </button>
          <button type="button" className="button-quiet" disabled={takeOver.isPending} onClick={() => takeOver.mutate({ kind: 'decline' })}>
            Keep editing
          </button>
        </div>
      )}
      {heldByOther && lease && (
        <div className="banner banner-info" role="status" data-testid="lock-holder">
          <p>
            <strong>
              {lease.holder} is editing — until {formatTime(Date.parse(lease.expires))}
            </strong>
            . The document is read-only for you until the lock is released, runs out, or you take it over.
          </p>
          {askedByMe && (
            <p role="status">
              You asked {lease.holder} to hand the lock over; waiting for an answer.{' '}
              <button
                type="button"
                className="button-quiet"
                disabled={takeOver.isPending}
                onClick={() => {
                  setWithdrawing(true);
                  takeOver.mutate({ kind: 'decline' });
                }}
              >
                Withdraw the request
              </button>
            </p>
          )}
          {declinedBy && !askedByMe && <p role="status">{declinedBy} keeps editing for now.</p>}
          {!confirming ? (
            <>
              {!askedByMe && (
                <button type="button" disabled={takeOver.isPending} onClick={() => takeOver.mutate({ kind: 'ask' })}>
                  Ask to take over
                </button>
              )}{' '}
              <button type="button" className="button-quiet" onClick={() => setConfirming(true)}>
                Break the lock…
              </button>
            </>
          ) : (
            <div role="group" aria-label="Confirm taking over">
              <p>Break {lease.holder}’s lock? They keep their unsaved text, but cannot save until they take the lock back.</p>
              <button
                type="button"
                disabled={mutation.isPending}
                onClick={() => mutation.mutate({ force: true, seconds: LEASE_SECONDS }, { onSettled: () => setConfirming(false) })}
              >
                Break the lock
              </button>
              <button type="button" className="button-quiet" autoFocus onClick={() => setConfirming(false)}>
                Leave it
              </button>
            </div>
          )}
        </div>
      )}
      {mine && lease && (
        <p className="hint" data-testid="lock-mine">
          You hold the lock until {formatTime(Date.parse(lease.expires))} (renewed while this tab is open).{' '}
          <button type="button" className="button-quiet" disabled={mutation.isPending} onClick={() => mutation.mutate(null)}>
            Release the lock
          </button>
        </p>
      )}
      {!lease && (
        <p className="hint">
          Nobody holds the lock.{' '}
          <button type="button" disabled={mutation.isPending} onClick={() => mutation.mutate({ seconds: LEASE_SECONDS })}>
            Take the lock to edit
          </button>
        </p>
      )}
      <ErrorAlert error={mutation.error} />
      <ErrorAlert error={takeOver.error} />
    </div>
  );
}
