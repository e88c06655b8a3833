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
 */
export function LifecyclePanel({ server, dirty }: { server: VersionedDocument; dirty: boolean }) {
  const transition = useTransitionDocument();
  const { state } = server.doc;
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
          onClick={() => transition.mutate({ id: server.doc.id, to, etag: server.etag })}
        >
          {ACTION[to]}
        </button>
      ))}
      <ErrorAlert error={transition.error} prefix="Not moved: " />
    </div>
  );
}

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
