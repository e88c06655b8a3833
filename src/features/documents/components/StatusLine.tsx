import type { SaveStatus } from '../hooks/use-save-flow.ts';

const text = (status: SaveStatus): string => {
  switch (status.kind) {
    case 'saved':
      return `Saved · version ${status.version}`;
    case 'unsaved':
      return 'Unsaved changes · kept on this device';
    case 'saving':
      return 'Saving…';
    case 'retrying':
      return status.offline ? 'Offline, will retry' : 'Server error, will retry';
    case 'conflict':
      return 'Not saved · someone else saved first';
    case 'failed':
      return 'Not saved · your text is kept on this device';
    case 'deleted':
      return status.unsaved ? 'Deleted · your text is kept on this device' : 'Deleted';
  }
};

/** Announced politely: a screen reader hears "Saving…" then "Saved · version 8" without losing focus. */
export function StatusLine({ status }: { status: SaveStatus }) {
  return (
    <p className={`status-line status-${status.kind}`} role="status" data-testid="save-status">
      {text(status)}
    </p>
  );
}
