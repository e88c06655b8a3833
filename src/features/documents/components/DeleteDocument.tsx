import { memo, useState } from 'react';
import { EditConflictError } from '../../../lib/api-errors.ts';
import { describeError } from '../../../lib/problem-text.ts';
import { navigate } from '../../../lib/router.tsx';
import { useDeleteDocument } from '../api/delete-document.ts';
import type { VersionedDocument } from '../api/get-document.ts';

interface Props {
  /** The version the editor shows, read when the user chooses to delete (not a prop that changes with each save). */
  onScreen: () => VersionedDocument | undefined;
  /** Unsaved text would go with the document: deleting waits until it is saved or discarded. */
  dirty: boolean;
}

/**
 * Deletes with If-Match, like a save: a delete based on an old version is refused, so nobody
 * deletes a change they never saw. Another tab still editing then meets a 410 and can save as new.
 */
export const DeleteDocument = memo(function DeleteDocument({ onScreen, dirty }: Props) {
  const remove = useDeleteDocument();
  // The version on screen when the user chose to delete: the delete names it, not a newer one.
  const [confirming, setConfirming] = useState<VersionedDocument | null>(null);

  if (!confirming) {
    return (
      <div className="danger-zone">
        <button type="button" className="button-quiet" disabled={dirty} onClick={() => setConfirming(onScreen() ?? null)}>
          Delete document
        </button>
        {dirty && <p className="hint">Save or discard your changes before deleting.</p>}
      </div>
    );
  }

  const { doc, etag } = confirming;
  return (
    <div className="danger-zone" role="group" aria-label="Confirm deletion">
      <p>
        Delete “{doc.title}” (version {doc.version}) for everyone?
      </p>
      <button
        type="button"
        disabled={remove.isPending}
        onClick={() => remove.mutate({ id: doc.id, ifMatch: etag }, { onSuccess: () => navigate('/') })}
      >
        Delete for everyone
      </button>
      <button type="button" className="button-quiet" autoFocus onClick={() => setConfirming(null)}>
        Keep it
      </button>
      {remove.isError && (
        <p className="field-error" role="alert">
          {remove.error instanceof EditConflictError
            ? `Not deleted: ${remove.error.problem.current.updatedBy} saved version ${remove.error.problem.current.version} since you opened it. Look at it first.`
            : describeError(remove.error)}
        </p>
      )}
    </div>
  );
});
