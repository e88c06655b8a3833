import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import type { ComponentType, KeyboardEvent, ReactNode } from 'react';
import { GoneError, NotFoundError } from '../../../lib/api-errors.ts';
import { describeError, describeProblem } from '../../../lib/problem-text.ts';
import { Link } from '../../../lib/router.tsx';
import { asAnotherUser, docRoute } from '../../../protocol/paths.ts';
import type { ConflictDialogProps } from '../../conflict/types.ts';
import { useDocument } from '../api/get-document.ts';
import type { VersionedDocument } from '../api/get-document.ts';
import { baseOf, type Draft, type DraftBase } from '../drafts/draft-store.ts';
import { useDraft } from '../hooks/use-draft.ts';
import { useLockView } from '../hooks/use-lock-view.ts';
import { useSaveFlow } from '../hooks/use-save-flow.ts';
import { DeleteDocument } from './DeleteDocument.tsx';
import { EditorForm } from './EditorForm.tsx';
import { ArchivedBanner, LifecyclePanel } from './LifecyclePanel.tsx';
import { DocumentModePicker } from './DocumentModePicker.tsx';
import { OtherDraftNotice, RestoredDraftNotice } from './DraftNotices.tsx';
import { LostUpdateNotice } from './LostUpdateNotice.tsx';
import { RevisionHistory } from './RevisionHistory.tsx';
import { OverwrittenNotice } from './OverwrittenNotice.tsx';
import { SaveAsNewPanel } from './SaveAsNewPanel.tsx';
import { NewerThanDraftNotice, UnknownBaseNotice, VersionShownNotice } from './VersionNotices.tsx';

/**
 * What the page itself shows of the document: what another person's save (a new version, its
 * text) leaves alone, so such a save does not render the page. The parts that show the version
 * read the document themselves (the form, the notices, History, the lifecycle panel).
 */
const pageView = ({ doc }: VersionedDocument) => ({ title: doc.title, state: doc.state });

// Only a document in lock mode, or with a lease out, has a use for the lock panel: its code loads then.
const LockPanel = lazy(() => import('./LockPanel.tsx').then(({ LockPanel }) => ({ default: LockPanel })));

/** What the editor offers the tools placed under it (the guided scenarios). */
export interface EditorTools {
  docId: string;
  /** The content and the caret's offset in it, read when asked. */
  caret: () => { text: string; offset: number };
  /** There are unsaved changes and a save could start now. */
  canRace: boolean;
  /** Calls `rival` with the draft's base, then starts this tab's save at once: two saves from one version. */
  race: (rival: (base: DraftBase) => void) => void;
}

interface Props {
  id: string;
  /** The acting user: drafts are kept per user. */
  user: string;
  /** Placed under the heading: who else has the document open. */
  presence?: ReactNode;
  /** Placed under the editor while the document exists, with what the editor offers it. */
  Tools?: ComponentType<EditorTools>;
  /** The three-way dialog a conflict opens; the page that places the editor provides it. */
  ConflictDialog: ComponentType<ConflictDialogProps>;
  /** Called while there are unsaved changes: a chance to load the dialog before a conflict needs it. */
  onDirty?: () => void;
  /**
   * Called when the live stream brought a version newer than the draft's base (and again as the
   * draft changes): the three texts a save's 409 would merge, to prepare ahead.
   */
  onNewerVersion?: (texts: { base: string; mine: string; theirs: string }) => void;
}

export function EditorPage({ id, user, presence, Tools, ConflictDialog, onDirty, onNewerVersion }: Props) {
  const query = useDocument(id, pageView);
  const drafts = useDraft(id, user);
  const flow = useSaveFlow(id, user, drafts);
  const { draft, setDraft, draftRef } = drafts;
  // The title and state, once loaded.
  const view = query.data;
  const dirty = draft !== null;
  const contentRef = useRef<HTMLTextAreaElement>(null);
  const lockView = useLockView(id, user);
  // Once placed, the lock panel stays (as long as the editor does): it keeps renewing, and releases
  // on leaving, a lease this tab holds, whatever the document's mode turns to.
  const [lockInUse, setLockInUse] = useState(false);
  if (!lockInUse && (lockView.enforced || lockView.lease !== null)) setLockInUse(true);

  // The browser's tab says who this tab is and what it has open: with three users in three tabs,
  // the tab strip is how one finds Alice's.
  const shownTitle = draft?.title ?? view?.title;
  useEffect(() => {
    document.title = shownTitle ? `${user} · ${shownTitle}` : `${user} · Conflict Lab`;
  }, [user, shownTitle]);

  // Fetch the dialog while the user types, so a conflict opens it without a network round trip.
  useEffect(() => {
    if (dirty) onDirty?.();
  }, [dirty, onDirty]);

  // When the dialog closes, give the editor focus back rather than leaving it on the page itself
  // (the Save button that opened it was disabled while saving, so the dialog had nothing to return to).
  const dialogOpen = flow.conflict !== null;
  const dialogWasOpen = useRef(false);
  useEffect(() => {
    if (dialogWasOpen.current && !dialogOpen) {
      const active = document.activeElement;
      if (!active || active === document.body) contentRef.current?.focus({ preventScroll: true });
    }
    dialogWasOpen.current = dialogOpen;
  }, [dialogOpen]);

  const goneProblem = query.error instanceof GoneError ? query.error.problem : null;
  const queryGone = goneProblem !== null;
  const { markGone } = flow;
  useEffect(() => {
    if (goneProblem) markGone(goneProblem);
  }, [goneProblem, markGone]);

  // The version on screen, for the handlers below and the panels that act on it: a save by
  // someone else renders only the parts that show the version, so the handlers read it here
  // rather than keep the version of the render that made them. The form sets it as each of its
  // renders is committed, before any input can reach what it shows.
  const shown = useRef<VersionedDocument | undefined>(undefined);
  const onScreen = useCallback(() => shown.current, []);

  const edit = useCallback(
    (field: 'title' | 'content', value: string) => {
      const current = draftRef.current;
      const onScreen = shown.current;
      // A draft keeps its own base, one not known included: typing never places it on a version.
      const from = current ?? (onScreen && { docId: id, title: onScreen.doc.title, content: onScreen.doc.content, base: baseOf(onScreen) });
      if (!from) return;
      const next: Draft = { ...from, editedAt: Date.now() };
      next[field] = value;
      setDraft(next);
    },
    [id, draftRef, setDraft],
  );

  /** A lost change brought back: replayed onto the text on screen, as a draft. */
  const restoreLost = useCallback(
    (replay: (currentContent: string) => string) => {
      edit('content', replay(draftRef.current?.content ?? shown.current?.doc.content ?? ''));
    },
    [edit, draftRef],
  );

  const { canSave, save, reviewNow } = flow;
  const caret = useCallback(() => {
    const textarea = contentRef.current;
    return textarea ? { text: textarea.value, offset: textarea.selectionStart } : { text: '', offset: 0 };
  }, []);
  const race = useCallback(
    (rival: (base: DraftBase) => void) => {
      const current = draftRef.current;
      // Text on no known base is never sent as it is: there is no version for a rival to start from.
      if (!current?.base || !canSave) return;
      rival(current.base);
      save();
    },
    [draftRef, canSave, save],
  );

  /**
   * An old version saved as a new one: it becomes the draft (on the version this tab has) and goes
   * through the ordinary save, so a save made meanwhile opens the conflict dialog.
   */
  const restore = useCallback(
    (version: { title: string; content: string }) => {
      const onScreen = shown.current;
      if (!onScreen || draftRef.current || !canSave) return;
      setDraft({ docId: id, title: version.title, content: version.content, base: baseOf(onScreen), editedAt: Date.now() });
      save();
    },
    [id, draftRef, setDraft, canSave, save],
  );

  function onKeyDown(event: KeyboardEvent) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      save();
    }
  }

  if (!draft && !view) {
    if (query.isPending) {
      return (
        <main id="main" className="page">
          <p role="status">Loading the document…</p>
        </main>
      );
    }
    const notFound = query.error instanceof NotFoundError;
    return (
      <main id="main" className="page">
        <h1>{queryGone ? 'This document was deleted' : notFound ? 'No such document' : 'Could not open the document'}</h1>
        <p role="alert">{describeError(query.error)}</p>
        <p>
          <Link href="/">Back to all documents</Link>
        </p>
      </main>
    );
  }

  const title = draft?.title ?? view?.title ?? '';
  const archived = view?.state === 'archived';
  // Read-only while nothing is typed; text typed before the document became so stays editable.
  const readOnly = (archived || lockView.heldByOther) && !dirty;

  return (
    <main id="main" className="page editor-page" onKeyDown={onKeyDown}>
      <div className="editor-heading">
        <Link href="/" className="back-link">
          ← All documents
        </Link>
        <h1 className="visually-hidden">Edit “{title}”</h1>
        <a className="button button-quiet" href={asAnotherUser(docRoute(id), user)} target="_blank" rel="noopener">
          Open as another user
        </a>
      </div>
      {presence}

      {drafts.restored && <RestoredDraftNotice editedAt={drafts.restored.editedAt} onDismiss={drafts.dismissRestored} />}

      {!draft && drafts.otherDrafts[0] && (
        <OtherDraftNotice
          other={drafts.otherDrafts[0]}
          onAdopt={() => drafts.otherDrafts[0] && drafts.adoptOther(drafts.otherDrafts[0])}
          onDismiss={drafts.dismissOthers}
        />
      )}

      {flow.discarded && (
        <div className="banner banner-info" role="status">
          <p>Your changes were discarded; the editor shows the latest version.</p>
          <button type="button" onClick={flow.undoDiscard}>
            Undo discard
          </button>
          <button type="button" className="button-quiet" onClick={flow.dismissDiscarded}>
            Dismiss
          </button>
        </div>
      )}

      {flow.overwrote && (
        <div className="banner banner-info" role="status">
          <p>
            You overwrote {flow.overwrote.replaced.updatedBy}’s version {flow.overwrote.replaced.version} with version{' '}
            {flow.overwrote.saved.doc.version}.
          </p>
          <button type="button" disabled={!flow.canSave} onClick={flow.undoOverwrite}>
            Undo overwrite
          </button>
          <button type="button" className="button-quiet" onClick={flow.dismissOverwrote}>
            Dismiss
          </button>
        </div>
      )}

      {flow.overwritten && <OverwrittenNotice notice={flow.overwritten} onShow={flow.showReplaced} onDismiss={flow.dismissOverwritten} />}

      {draft?.base === null && <UnknownBaseNotice canSave={flow.canSave} onCompare={reviewNow} />}
      {draft?.base && <NewerThanDraftNotice id={id} draft={{ ...draft, base: draft.base }} canSave={flow.canSave} onReview={reviewNow} onNewerVersion={onNewerVersion} />}

      <VersionShownNotice id={id} user={user} dirty={dirty} />

      {flow.problem && (
        <div className="banner banner-error" role="alert">
          <p>{describeProblem(flow.problem)}</p>
          <button type="button" className="button-quiet" onClick={flow.dismissProblem}>
            Dismiss
          </button>
        </div>
      )}

      {query.isError && !queryGone && (
        <p className="banner banner-error" role="alert">
          Could not load the latest version: {describeError(query.error)}
        </p>
      )}

      {drafts.storageFailed && (
        <p className="banner banner-error" role="alert">
          This browser would not keep a copy of your text. Save soon, or copy it somewhere safe.
        </p>
      )}

      {archived && <ArchivedBanner />}
      {view && !flow.gone && lockInUse && (
        <Suspense fallback={null}>
          <LockPanel id={id} user={user} view={lockView} />
        </Suspense>
      )}
      {view && !flow.gone && <LostUpdateNotice id={id} onRestore={restoreLost} />}

      {flow.saveAsNew && (
        <SaveAsNewPanel
          initialTitle={title}
          state={flow.saveAsNew}
          deletedBy={flow.deletedBy}
          byReset={flow.deletedByReset}
          hasUnsavedText={dirty}
          onSave={flow.saveAsNewDocument}
        />
      )}

      <EditorForm
        id={id}
        draft={draft}
        readOnly={readOnly}
        saveState={flow.state}
        canSave={flow.canSave}
        gone={flow.gone}
        onEdit={edit}
        onSave={save}
        contentRef={contentRef}
        shownRef={shown}
      />

      {!flow.gone && Tools && <Tools docId={id} caret={caret} canRace={dirty && draft.base !== null && canSave} race={race} />}

      {view && !flow.gone && <LifecyclePanel id={id} state={view.state} dirty={dirty} onScreen={onScreen} />}
      {view && !flow.gone && <DocumentModePicker id={id} />}
      <RevisionHistory id={id} onRestore={dirty || !flow.canSave || archived || lockView.heldByOther ? undefined : restore} />
      {view && !flow.gone && <DeleteDocument dirty={dirty} onScreen={onScreen} />}

      {flow.conflict && (
        <ConflictDialog
          conflict={flow.conflict}
          saving={flow.saving}
          error={flow.dialogError}
          onResolve={flow.resolve}
          onDiscard={flow.discard}
          onCancel={flow.cancel}
          newer={flow.newerForDialog}
          onUpdateComparison={flow.updateComparison}
          onSaveAsNew={(document) => flow.saveAsNewDocument(document.title, document.content)}
        />
      )}
    </main>
  );
}
