import type { StreamStatus } from '../hooks/use-event-stream.ts';

const LABELS: Record<StreamStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

/** Whether other people's saves reach this tab as they happen. */
export function ConnectionStatus({ status }: { status: StreamStatus }) {
  return (
    <span className={`connection connection-${status}`} role="status" data-testid="connection-status">
      <span className="connection-dot" aria-hidden="true" />
      {LABELS[status]}
      {status === 'reconnecting' && <span className="visually-hidden"> (live updates paused)</span>}
    </span>
  );
}
