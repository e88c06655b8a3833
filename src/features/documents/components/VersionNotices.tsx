/**
 * The notices about a version someone else saved. Each reads the document itself, so another
 * person's save renders the notice, not the editor page around it.
 */
import { useEffect, useState } from 'react';
import type { Document } from '../../../protocol/types.ts';
import { useDocumentPart } from '../api/get-document.ts';
import type { VersionedDocument } from '../api/get-document.ts';
import type { Draft, DraftBase } from '../drafts/draft-store.ts';

const docOf = ({ doc }: VersionedDocument) => doc;

/**
 * Without a draft the editor simply shows the newest version; when someone else made it, say so.
 * Not of the version the editor opened on, one that came while there were unsaved changes, or one
 * dismissed: those are `quietThrough`. Worked out from the version on each render rather than kept
 * as state, so that another person's save renders the notice once, not twice.
 */
export function VersionShownNotice({ id, user, dirty }: { id: string; user: string; dirty: boolean }) {
  const doc = useDocumentPart(id, docOf);
  const [quietThrough, setQuietThrough] = useState<number | null>(doc?.version ?? null);
  if (doc && (quietThrough === null || (dirty && doc.version !== quietThrough))) setQuietThrough(doc.version);
  if (!doc || dirty || quietThrough === null || doc.version <= quietThrough || doc.updatedBy === user) return null;
  const { version, updatedBy } = doc;
  return (
    <div className="banner banner-info" role="status">
      <p>
        {updatedBy} saved version {version}; you had no unsaved changes, so the editor now shows it.
      </p>
      <button type="button" className="button-quiet" onClick={() => setQuietThrough(version)}>
        Dismiss
      </button>
    </div>
  );
}

interface NewerProps {
  id: string;
  draft: Draft & { base: DraftBase };
  canSave: boolean;
  onReview: () => void;
  /**
   * Called when the live stream brought a version newer than the draft's base (and again as the
   * draft changes): the three texts a save's 409 would merge, to prepare ahead.
   */
  onNewerVersion?: (texts: { base: string; mine: string; theirs: string }) => void;
}

/**
 * Unsaved text kept without the version it was typed on (see `Draft.base`): it cannot be saved as
 * it is, so Save (or this notice's button) compares it with the latest version first.
 */
export function UnknownBaseNotice({ canSave, onCompare }: { canSave: boolean; onCompare: () => void }) {
  return (
    <div className="banner banner-live" role="status" data-testid="unknown-base-notice">
      <p>
        This device kept your text but not which version you typed it on, so it cannot be saved as it is. Saving first compares it
        with the latest version: you choose what to keep.
      </p>
      <button type="button" disabled={!canSave} onClick={onCompare}>
        Compare with the latest version
      </button>
    </div>
  );
}

/** While there are unsaved changes: someone saved a version newer than the one they started from. */
export function NewerThanDraftNotice({ id, draft, canSave, onReview, onNewerVersion }: NewerProps) {
  const doc = useDocumentPart(id, docOf);
  const newer: Document | null = doc && doc.version > draft.base.version ? doc : null;
  const newerContent = newer?.content ?? null;
  const baseContent = draft.base.content;
  const { content } = draft;
  useEffect(() => {
    if (newerContent !== null && canSave) onNewerVersion?.({ base: baseContent, mine: content, theirs: newerContent });
  }, [newerContent, baseContent, content, onNewerVersion, canSave]);

  // Stays while the dialog is open: the page behind a modal must not move.
  if (!newer) return null;
  return (
    <div className="banner banner-live" role="status" data-testid="live-notice">
      <p>
        <strong>
          {newer.updatedBy} saved version {newer.version}
        </strong>{' '}
        · you started from version {draft.base.version}
      </p>
      <button type="button" disabled={!canSave} onClick={onReview}>
        Review and merge now
      </button>
    </div>
  );
}
