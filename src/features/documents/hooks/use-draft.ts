import { useCallback, useEffect, useRef, useState } from 'react';
import { clearDraft, findOtherDrafts, flushDraft, isDirty, readDraft, saveDraft, writeDraft } from '../drafts/draft-store.ts';
import type { Draft, OtherDraft } from '../drafts/draft-store.ts';

export interface DraftState {
  /** The unsaved text and its base; null when the editor shows the server's version. */
  draft: Draft | null;
  /** Always the latest draft, for callbacks that run after a save answers. */
  draftRef: { readonly current: Draft | null };
  setDraft: (next: Draft | null) => void;
  /** The draft found at load, for the "restored" notice: when it was last edited (null: not known). */
  restored: { editedAt: number | null } | null;
  dismissRestored: () => void;
  /** The browser refused to keep a copy (quota, privacy mode). */
  storageFailed: boolean;
  /** Drafts of this document left here under other names, newest first (only when we have none). */
  otherDrafts: OtherDraft[];
  /** Takes another name's draft over as ours. */
  adoptOther: (other: OtherDraft) => void;
  dismissOthers: () => void;
}

/**
 * The draft of one document for the acting user, mirrored to localStorage on every change (a long
 * text's in the next pause of typing, and at the latest when the editor closes: see saveDraft).
 */
export function useDraft(docId: string, user: string): DraftState {
  const [initial] = useState(() => readDraft(user, docId));
  const [draft, setDraftState] = useState<Draft | null>(initial);
  const [restored, setRestored] = useState<{ editedAt: number | null } | null>(isDirty(initial) ? { editedAt: initial.editedAt } : null);
  const [storageFailed, setStorageFailed] = useState(false);
  const [otherDrafts, setOtherDrafts] = useState<OtherDraft[]>(() => (initial ? [] : findOtherDrafts(user, docId)));
  const draftRef = useRef<Draft | null>(initial);
  const userRef = useRef(user);

  // A rename takes the draft along: it belongs to this tab, whatever the tab is called.
  useEffect(() => {
    const previous = userRef.current;
    if (previous === user) return;
    userRef.current = user;
    const current = draftRef.current;
    if (current) {
      writeDraft(user, current);
      clearDraft(previous, docId);
    }
  }, [user, docId]);

  const setDraft = useCallback(
    (next: Draft | null) => {
      // Typing back to the base text is the same as having no draft.
      const kept = isDirty(next) ? next : null;
      draftRef.current = kept;
      setDraftState(kept);
      if (kept) saveDraft(userRef.current, kept, (stored) => setStorageFailed(!stored));
      else clearDraft(userRef.current, docId);
    },
    [docId],
  );

  // A write waiting for a pause in typing is done when the editor closes.
  useEffect(() => () => flushDraft(userRef.current, docId), [docId]);

  const adoptOther = useCallback(
    (other: OtherDraft) => {
      setDraft({ ...other.draft, editedAt: Date.now() });
      clearDraft(other.author, docId);
      setOtherDrafts([]);
    },
    [setDraft, docId],
  );

  return {
    draft,
    draftRef,
    setDraft,
    restored,
    dismissRestored: useCallback(() => setRestored(null), []),
    storageFailed,
    otherDrafts,
    adoptOther,
    dismissOthers: useCallback(() => setOtherDrafts([]), []),
  };
}
