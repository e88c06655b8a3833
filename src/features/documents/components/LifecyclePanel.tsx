import { memo } from 'react';
import { allowedTransitions, type DocumentState } from '../../../protocol/concurrency.ts';
import { ErrorAlert } from '../../../lib/ErrorAlert.tsx';
import type { VersionedDocument } from '../api/get-document.ts';
import { useTransitionDocument } from '../api/transition-document.ts';

const ACTION: Record<DocumentState, string> = {
  draft: 'Move back to draft',
  published: 'Publish',
  archived: 'Archive',
};

/**
 * The document's state (docs/protocol.md §1.12) and the moves it allows. A move is its own
 * request with If-Match: if someone changed the document since, it is refused like a save.
 *
 * It is given the state only, so another person's save (a new version, the same state) does not
 * render it again: the ETag a move sends is the one of the version on screen, read when pressed.
 */
export const LifecyclePanel = memo(function LifecyclePanel({
  id,
  state,
  dirty,
  onScreen,
}: {
  id: string;
  state: DocumentState;
  dirty: boolean;
  /** The version the editor shows. */
  onScreen: () => VersionedDocument | undefined;
}) {
  const transition = useTransitionDocument();
  return (
    <div className="lifecycle" role="group" aria-label="Document state">
      <p>
        State: <strong data-testid="document-state">{state}</strong>
      </p>
      {allowedTransitions(state).map((to) => (
        <button
          key={to}
          type="button"
          className="button-quiet"
          // A move makes a new version of the saved text: save or discard the draft first.
          disabled={transition.isPending || dirty}
          title={dirty ? 'Save your changes first' : undefined}
          onClick={() => {
            const shown = onScreen();
            if (shown) transition.mutate({ id, to, etag: shown.etag });
          }}
        >
          {ACTION[to]}
        </button>
      ))}
      <ErrorAlert error={transition.error} prefix="Not moved: " />
    </div>
  );
});

/** Over the editor of an archived document: why it cannot be edited, and how to edit it again. */
export function ArchivedBanner() {
  return (
    <div className="banner banner-info" role="status" data-testid="archived-banner">
      <p>
        This document is archived, so it is read-only: a save would be refused (409, the state of the document does not allow it). Move it back to
        draft to edit it.
      </p>
    </div>
  );
}
