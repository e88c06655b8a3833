/**
 * The save flow of one document: the state machine of `../save-flow.ts`, wired to the requests.
 * This hook sends the PUT (If-Match: the draft's base ETag, or the conflict's `currentEtag` for
 * the dialog's choice; a fresh Idempotency-Key per attempt), turns each answer into an event by
 * its error class, and touches the draft only when the server has confirmed a save.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useReducer } from 'react';
import { DuplicateTitleError, EditConflictError, GoneError, NetworkError } from '../../../lib/api-errors.ts';
import { newIdempotencyKey } from '../../../lib/idempotency-key.ts';
import { navigate } from '../../../lib/router.tsx';
import { toProblem } from '../../../lib/problem-text.ts';
import { docRoute } from '../../../protocol/paths.ts';
import type { Problem } from '../../../protocol/problems.ts';
import type { Resolution } from '../../conflict/types.ts';
import { formatHttpDate } from '../../../protocol/concurrency.ts';
import { useCreateDocument } from '../api/create-document.ts';
import { documentConcurrencyQueryOptions } from '../api/document-concurrency.ts';
import { documentQueryOptions, useDocumentWhile } from '../api/get-document.ts';
import type { VersionedDocument } from '../api/get-document.ts';
import { revisionsQueryOptions } from '../api/get-revisions.ts';
import { reportOutcome } from '../api/report-outcome.ts';
import { useUpdateDocument } from '../api/update-document.ts';
import { writeDocumentToCache } from '../api/write-cache.ts';
import { conflictFromLatest, suggestTitle } from '../conflict-input.ts';
import { baseOf, clearDraft, writeDraft } from '../drafts/draft-store.ts';
import type { Draft } from '../drafts/draft-store.ts';
import {
  canSave,
  dialogProblem,
  initialSaveState,
  isSaving,
  newerThanDialog,
  openConflict,
  saveFlowReducer,
} from '../save-flow.ts';
import type { DraftSaveAttempt, SaveAttempt, SaveEvent } from '../save-flow.ts';
import { useDiscardedDraft } from './use-discarded-draft.ts';
import { useOverwrites } from './use-overwrites.ts';
import type { DraftState } from './use-draft.ts';

export type { SaveAsNewState, SaveState, SaveStatus } from '../save-flow.ts';
export { saveStatus } from '../save-flow.ts';

/** The event an attempt's failure makes, by the error's class (never by its status code). */
function failureEvent(key: string, error: unknown, mine: { title: string; content: string }): SaveEvent {
  if (error instanceof EditConflictError) return { type: 'conflicted', key, problem: error.problem, mine };
  if (error instanceof GoneError) return { type: 'gone', key, problem: error.problem };
  return { type: 'failed', key, problem: toProblem(error) };
}

/**
 * The flow reads the document itself, and only while a conflict is open (the dialog follows newer
 * versions): another person's save renders nothing here the rest of the time. What shows the
 * version (the status line, the text) reads it where it is shown.
 */
export function useSaveFlow(docId: string, user: string, drafts: DraftState) {
  const queryClient = useQueryClient();
  const update = useUpdateDocument();
  const create = useCreateDocument();
  const { draftRef, setDraft } = drafts;
  const [state, dispatch] = useReducer(saveFlowReducer, initialSaveState);
  const discarded = useDiscardedDraft(user, docId, setDraft);
  const overwrites = useOverwrites(docId, user);
  const { recordSave, offerUndo } = overwrites;
  // What this document's saves must send, as the editor's mode query last read it (the event
  // stream keeps it current); read when a save starts, so the save path asks for nothing more.
  const modeOf = useCallback(
    (id: string) => queryClient.getQueryData(documentConcurrencyQueryOptions(id).queryKey)?.concurrency,
    [queryClient],
  );

  // TanStack Query retries a transient failure itself, with the same variables (so the same
  // If-Match and Idempotency-Key), and pauses while the browser is offline; the state machine
  // hears of it here.
  const retryingKey = update.variables?.idempotencyKey;
  const waiting = update.isPending && (update.isPaused || update.failureCount > 0);
  const offline = update.isPaused || update.failureReason instanceof NetworkError;
  useEffect(() => {
    if (waiting && retryingKey) dispatch({ type: 'retry-scheduled', key: retryingKey, offline });
  }, [waiting, retryingKey, offline]);

  // The mutation's `mutate` keeps its identity (the mutation's state does not): so do `send`, and
  // `save` while the flow's state stays, whatever other people save meanwhile.
  const { mutate } = update;
  const send = useCallback(
    (attempt: SaveAttempt, onSaved: (saved: VersionedDocument) => void) => {
      const { key, ifMatch, ifUnmodifiedSince, title, content, resolution } = attempt;
      mutate(
        { id: docId, title, content, ifMatch, idempotencyKey: key, ...(ifUnmodifiedSince && { ifUnmodifiedSince }), ...(resolution && { resolution }) },
        {
          onSuccess: (saved) => {
            onSaved(saved);
            dispatch({ type: 'saved', key, version: saved.doc.version });
          },
          onError: (error) => {
            // Lets `npm run bench:ui` split the time to the dialog into ours and the dialog's.
            if (error instanceof EditConflictError) performance.mark('conflict-received');
            dispatch(failureEvent(key, error, draftRef.current ?? attempt));
          },
        },
      );
    },
    [docId, mutate, draftRef],
  );

  /**
   * "Review and merge now": a newer version exists and the user wants to merge before saving.
   * Fetches it fresh and opens the same dialog a 409 would; the draft is untouched until the user
   * chooses, and the dialog's choice is saved by `resolve` with If-Match: the fetched ETag.
   * A draft on no known base compares against nothing: every difference from the latest shows.
   */
  const reviewNow = useCallback(async () => {
    if (!draftRef.current || !canSave(state)) return;
    dispatch({ type: 'review' });
    try {
      const latest = await queryClient.fetchQuery({ ...documentQueryOptions(docId), staleTime: 0 });
      // The list of saves in between is a nicety: the dialog works without it.
      const revisions = await queryClient.fetchQuery({ ...revisionsQueryOptions(docId), staleTime: 0 }).catch(() => null);
      const current = draftRef.current;
      if (!current || latest.etag === current.base?.etag) dispatch({ type: 'review-unneeded' });
      else dispatch({ type: 'review-opened', conflict: conflictFromLatest(current.base, current, latest, revisions) });
    } catch (error) {
      if (error instanceof GoneError) dispatch({ type: 'document-gone', problem: error.problem });
      else dispatch({ type: 'review-failed', problem: toProblem(error) });
    }
  }, [docId, draftRef, state, queryClient]);

  const save = useCallback(() => {
    const draft = draftRef.current;
    // While the dialog is open the draft is being resolved there; its actions do the saving.
    if (!draft || !canSave(state)) return;
    const { base } = draft;
    // Text on no known base names no version it may replace (no If-Match is guessed for it): the
    // save opens the comparison with the latest version, and the dialog's choice is what is sent.
    if (base === null) {
      void reviewNow();
      return;
    }
    const attempt: DraftSaveAttempt = {
      key: newIdempotencyKey(),
      // Always the draft's own base, never a newer ETag the cache may have learnt meanwhile.
      ifMatch: base.etag,
      // A document guarded by dates gets the base's date (RFC 9110 §13.2.2 ignores it beside If-Match).
      ...(modeOf(docId) === 'timestamp' && base.updatedAt !== undefined && { ifUnmodifiedSince: formatHttpDate(base.updatedAt) }),
      title: draft.title,
      content: draft.content,
      base,
    };
    dispatch({ type: 'save', attempt });
    send(attempt, (saved) => {
      recordSave(base, saved);
      // What was typed while the save was on its way stays a draft, on the new base.
      const latest = draftRef.current;
      if (!latest) return;
      setDraft({ ...latest, base: baseOf(saved) });
    });
  }, [draftRef, state, send, setDraft, recordSave, modeOf, docId, reviewNow]);

  const conflict = openConflict(state);
  const server = useDocumentWhile(docId, conflict !== null);

  const resolve = useCallback(
    (resolution: Resolution) => {
      if (!conflict || isSaving(state)) return;
      const attempt: SaveAttempt = {
        key: newIdempotencyKey(),
        ifMatch: conflict.currentEtag,
        title: resolution.title,
        content: resolution.content,
        resolution: resolution.kind,
      };
      dispatch({ type: 'resolve', attempt });
      const replaced = conflict.theirs;
      // The resolution replaces the draft it was made from: the server now has it.
      send(attempt, (saved) => {
        setDraft(null);
        recordSave(replaced, saved);
        offerUndo(resolution.kind === 'overwrite' ? { replaced, saved } : null);
      });
    },
    [conflict, state, send, setDraft, recordSave, offerUndo],
  );

  /**
   * "Undo overwrite": the version the Overwrite replaced, saved back as a new version through the
   * ordinary save (If-Match: the Overwrite's own ETag), so a save made meanwhile is a conflict.
   */
  const undoOverwrite = useCallback(() => {
    const offer = overwrites.overwrote;
    if (!offer || !canSave(state)) return;
    const { replaced, saved } = offer;
    setDraft({
      docId,
      title: replaced.title,
      content: replaced.content,
      base: baseOf(saved),
      editedAt: Date.now(),
    });
    offerUndo(null);
    save();
  }, [overwrites.overwrote, state, setDraft, docId, offerUndo, save]);

  const discard = useCallback(() => {
    if (!conflict) return;
    const mine = draftRef.current;
    if (mine) discarded.putAside(mine);
    writeDocumentToCache(queryClient, { doc: conflict.theirs, etag: conflict.currentEtag });
    setDraft(null);
    dispatch({ type: 'discard' });
    reportOutcome(conflict.docId, 'discard');
  }, [conflict, draftRef, discarded, queryClient, setDraft]);

  const cancel = useCallback(() => {
    // Counted only when it closes the dialog (not while the dialog's own save is on its way).
    const closes = conflict && saveFlowReducer(state, { type: 'cancel' }) !== state;
    if (closes) reportOutcome(conflict.docId, 'cancel');
    dispatch({ type: 'cancel' });
  }, [conflict, state]);

  const saveAsNewDocument = useCallback(
    (title: string, fromDialog?: string) => {
      if (state.name !== 'gone') return;
      const draft = draftRef.current;
      const last = queryClient.getQueryData(documentQueryOptions(docId).queryKey);
      const content = fromDialog ?? state.saveAsNew.content ?? draft?.content ?? last?.doc.content ?? '';
      dispatch({ type: 'save-as-new', content: fromDialog ?? null });
      const startedAt = Date.now();
      create.mutate(
        { title, content },
        {
          onSuccess: (created) => {
            const latest = draftRef.current;
            // Text typed while the POST was in flight follows to the new document as its draft.
            if (latest && latest.editedAt !== null && latest.editedAt > startedAt && latest.content !== content) {
              const carried: Draft = {
                docId: created.doc.id,
                title: created.doc.title,
                content: latest.content,
                base: baseOf(created),
                editedAt: latest.editedAt,
              };
              writeDraft(user, carried);
            }
            clearDraft(user, docId);
            dispatch({ type: 'save-as-new-done' });
            navigate(docRoute(created.doc.id));
          },
          onError: (error) => {
            if (error instanceof DuplicateTitleError) {
              dispatch({ type: 'save-as-new-refused', duplicate: { title, suggestion: suggestTitle(title) }, problem: null });
            } else {
              dispatch({ type: 'save-as-new-refused', duplicate: null, problem: toProblem(error) });
            }
          },
        },
      );
    },
    [state, create, docId, draftRef, queryClient, user],
  );

  return {
    state,
    saving: isSaving(state),
    canSave: canSave(state),
    save,
    reviewNow,
    reviewing: state.name === 'reviewing',
    conflict,
    dialogError: dialogProblem(state),
    resolve,
    discard,
    cancel,
    /** A version the event stream brought that is newer than the dialog's theirs (who, which). */
    newerForDialog: newerThanDialog(state, server)?.doc ?? null,
    /** Compares the open dialog against that newer version instead. */
    updateComparison: useCallback(() => {
      const latest = server && { doc: server.doc, etag: server.etag };
      if (latest) dispatch({ type: 'update-comparison', latest });
    }, [server]),
    problem: state.name === 'failed' ? state.problem : null,
    dismissProblem: useCallback(() => dispatch({ type: 'dismiss-problem' }), []),
    gone: state.name === 'gone',
    /** The document's GET answered 410 (it was deleted before or while it was open), with this problem. */
    markGone: useCallback((problem: Problem) => dispatch({ type: 'document-gone', problem }), []),
    /** Who deleted the document, when it is gone and the server said. */
    deletedBy: state.name === 'gone' ? state.deletedBy : null,
    /** Whether the demo reset deleted it (`deletedBy` pressed Reset). */
    deletedByReset: state.name === 'gone' && state.byReset,
    saveAsNew: state.name === 'gone' ? state.saveAsNew : null,
    saveAsNewDocument,
    overwrote: overwrites.overwrote,
    undoOverwrite,
    dismissOverwrote: overwrites.dismissOverwrote,
    overwritten: overwrites.overwritten,
    showReplaced: overwrites.showReplaced,
    dismissOverwritten: overwrites.dismissOverwritten,
    discarded: discarded.discarded,
    undoDiscard: discarded.undo,
    dismissDiscarded: discarded.dismiss,
  };
}

export type SaveFlow = ReturnType<typeof useSaveFlow>;
