/**
 * Overwrite, from both ends. The person who overwrote gets "Undo overwrite" (their version saved
 * back as a new version, through the normal save path with If-Match, so a save made meanwhile
 * opens the dialog as any other would); the person overwritten learns it from the live stream:
 * "Alice overwrote your change in version 7", with the replaced text from the revisions endpoint.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Document } from '../../../protocol/types.ts';
import { useDocumentWhile } from '../api/get-document.ts';
import type { VersionedDocument } from '../api/get-document.ts';
import { fetchRevision } from '../api/get-revisions.ts';

type Text = { title: string; content: string };

export interface OverwroteOffer {
  /** The version this tab's Overwrite replaced. */
  replaced: Document;
  /** What the Overwrite saved. */
  saved: VersionedDocument;
}

export interface OverwrittenNotice {
  by: string;
  version: number;
  /** The version of mine that was replaced. */
  replacedVersion: number;
  /** Its text, once asked for ("Show what was replaced"). */
  replaced: Document | null;
  problem: string | null;
}

export function useOverwrites(docId: string, user: string) {
  const [overwrote, setOverwrote] = useState<OverwroteOffer | null>(null);
  const [overwritten, setOverwritten] = useState<OverwrittenNotice | null>(null);
  /** This tab's last save: what it started from and what it saved, until a later version is checked. */
  const lastSave = useRef<{ before: Text; saved: Text; version: number } | null>(null);
  // The document's versions are followed only from a save of this tab's to the next version, so
  // other people's saves render nothing here the rest of the time.
  const [following, setFollowing] = useState(false);
  const later = useDocumentWhile(docId, following)?.doc;
  /**
   * Counts the notices shown: an answer to "Show what was replaced" applies only to the notice that
   * asked for it, not to a newer one that took its place meanwhile (nor to none, once dismissed).
   */
  const noticeSerial = useRef(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const recordSave = useCallback((before: Text, saved: VersionedDocument) => {
    lastSave.current = { before, saved: saved.doc, version: saved.doc.version };
    setFollowing(true);
  }, []);

  useEffect(() => {
    const mine = lastSave.current;
    if (!mine || !later || later.version <= mine.version) return;
    lastSave.current = null;
    setFollowing(false);
    if (later.updatedBy === user) return;
    // The check brings the merge engine: only loaded once someone saved after this tab did.
    void import('../overwritten.ts').then(({ myChangeSurvives }) => {
      if (!mounted.current || myChangeSurvives(mine.before, mine.saved, later)) return;
      noticeSerial.current += 1;
      setOverwritten({ by: later.updatedBy, version: later.version, replacedVersion: mine.version, replaced: null, problem: null });
    });
  }, [later, user]);

  const showReplaced = useCallback(() => {
    if (!overwritten) return;
    const asked = noticeSerial.current;
    const answer = (change: Partial<OverwrittenNotice>) => {
      if (noticeSerial.current === asked) setOverwritten((n) => n && { ...n, ...change });
    };
    fetchRevision(docId, overwritten.replacedVersion).then(
      (replaced) => answer({ replaced, problem: null }),
      () => answer({ problem: 'Could not load that version. Try again.' }),
    );
  }, [docId, overwritten]);

  return {
    overwrote,
    offerUndo: setOverwrote,
    dismissOverwrote: useCallback(() => setOverwrote(null), []),
    overwritten,
    showReplaced,
    dismissOverwritten: useCallback(() => setOverwritten(null), []),
    recordSave,
  };
}
