/**
 * Said at once when someone saves while the dialog is open, rather than found out when Merge
 * meets a 409: who saved which version, and the one action that brings it into the comparison.
 */
export function NewerVersionNotice({ newer, onUpdate }: { newer: { version: number; updatedBy: string }; onUpdate: () => void }) {
  return (
    <div className="cd-arrived cd-newer" role="status" data-testid="newer-version">
      <p>
        {newer.updatedBy} saved version {newer.version}: this comparison is against an older version.
      </p>
      <button type="button" onClick={onUpdate}>
        Update the comparison
      </button>
    </div>
  );
}
