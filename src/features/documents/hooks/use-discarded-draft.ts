import { useCallback, useEffect, useState } from 'react';
import { UNDO_DISCARD_MS, clearDiscarded, readDiscarded, writeDiscarded } from '../drafts/draft-store.ts';
import type { DiscardedDraft, Draft } from '../drafts/draft-store.ts';

/**
 * The draft "Discard" put aside, offered back for a while. The text stays in localStorage until
 * the offer expires or is dismissed, so a reload still offers it.
 */
export function useDiscardedDraft(user: string, docId: string, setDraft: (next: Draft | null) => void) {
  const [discarded, setDiscarded] = useState<DiscardedDraft | null>(() => readDiscarded(user, docId));

  useEffect(() => {
    if (!discarded) return;
    const left = discarded.discardedAt + UNDO_DISCARD_MS - Date.now();
    const timer = window.setTimeout(() => {
      setDiscarded(null);
      clearDiscarded(user, docId);
    }, Math.max(0, left));
    return () => window.clearTimeout(timer);
  }, [discarded, user, docId]);

  const putAside = useCallback(
    (draft: Draft) => {
      const record: DiscardedDraft = { draft, discardedAt: Date.now() };
      writeDiscarded(user, record);
      setDiscarded(record);
    },
    [user],
  );

  const undo = useCallback(() => {
    if (!discarded) return;
    setDraft({ ...discarded.draft, editedAt: Date.now() });
    clearDiscarded(user, docId);
    setDiscarded(null);
  }, [discarded, user, docId, setDraft]);

  const dismiss = useCallback(() => {
    clearDiscarded(user, docId);
    setDiscarded(null);
  }, [user, docId]);

  return { discarded, putAside, undo, dismiss };
}
