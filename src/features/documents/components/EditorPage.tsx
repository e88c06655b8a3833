import { Suspense, lazy, useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { ComponentType, KeyboardEvent, ReactNode } from 'react';
import { clockFormatter } from '../../../lib/clock.ts';
import { GoneError, NotFoundError } from '../../../lib/api-errors.ts';
import { describeError, describeProblem } from '../../../lib/problem-text.ts';
import { Link } from '../../../lib/router.tsx';
import { asAnotherUser, docRoute } from '../../../protocol/paths.ts';
import { MAX_TITLE_LENGTH } from '../../../protocol/types.ts';
import type { ConflictDialogProps } from '../../conflict/types.ts';
import { useDocument } from '../api/get-document.ts';
import { baseOf, type Draft, type DraftBase } from '../drafts/draft-store.ts';
import { useDraft } from '../hooks/use-draft.ts';
import { useLockView } from '../hooks/use-lock-view.ts';
import { useSaveFlow } from '../hooks/use-save-flow.ts';
import { useTextareaText } from '../hooks/use-textarea-text.ts';
import { DeleteDocument } from './DeleteDocument.tsx';
import { ArchivedBanner, LifecyclePanel } from './LifecyclePanel.tsx';
import { DocumentModePicker } from './DocumentModePicker.tsx';
import { LostUpdateNotice } from './LostUpdateNotice.tsx';
import { RevisionHistory } from './RevisionHistory.tsx';
import { OverwrittenNotice } from './OverwrittenNotice.tsx';
import { SaveAsNewPanel } from './SaveAsNewPanel.tsx';
import { StatusLine } from './StatusLine.tsx';

const formatTime = clockFormatter();

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
  const query = useDocument(id);
  const drafts = useDraft(id, user);
  const flow = useSaveFlow(id, user, drafts, query.data);
  const { draft, setDraft, draftRef } = drafts;
  const server = query.data;
  const titleId = useId();
  const contentId = useId();
  const dirty = draft !== null;
  const contentRef = useRef<HTMLTextAreaElement>(null);
  const shownContent = draft?.content ?? server?.doc.content ?? '';
  const typed = useTextareaText(contentRef, shownContent);
  const lockView = useLockView(id, user);
  // Once placed, the lock panel stays (as long as the editor does): it keeps renewing, and releases
  // on leaving, a lease this tab holds, whatever the document's mode turns to.
  const [lockInUse, setLockInUse] = useState(false);
  if (!lockInUse && (lockView.enforced || lockView.lease !== null)) setLockInUse(true);

  // Without a draft the editor simply shows the newest version; when someone else made it, say so.
  // Not of the version the editor opened on, one that came while there were unsaved changes, or
  // one dismissed: those are `quietThrough`. Worked out from the version on each render rather than
  // kept as state, so that another person's save renders the editor once, not twice.
  const [quietThrough, setQuietThrough] = useState<number | null>(server?.doc.version ?? null);
  if (server && (quietThrough === null || (dirty && server.doc.version !== quietThrough))) setQuietThrough(server.doc.version);
  const takenFrom =
    server && !dirty && quietThrough !== null && server.doc.version > quietThrough && server.doc.updatedBy !== user
      ? { version: server.doc.version, by: server.doc.updatedBy }
      : null;

  // The browser's tab says who this tab is and what it has open: with three users in three tabs,
  // the tab strip is how one finds Alice's.
  const shownTitle = draft?.title ?? server?.doc.title;
  useEffect(() => {
    document.title = shownTitle ? `${user} · ${shownTitle}` : `${user} · Conflict Lab`;
  }, [user, shownTitle]);

  // Fetch the dialog while the user types, so a conflict opens it without a network round trip.
  useEffect(() => {
    if (dirty) onDirty?.();
  }, [dirty, onDirty]);

  const newerContent = draft && server && server.doc.version > draft.base.version ? server.doc.content : null;
  const draftBaseContent = draft?.base.content;
  const draftContent = draft?.content;
  useEffect(() => {
    if (newerContent !== null && draftBaseContent !== undefined && draftContent !== undefined && flow.canSave) {
      onNewerVersion?.({ base: draftBaseContent, mine: draftContent, theirs: newerContent });
    }
  }, [newerContent, draftBaseContent, draftContent, onNewerVersion, flow.canSave]);

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

  // The version on screen, for the handlers below: the panels that call them are not rendered
  // again for another person's save (their props stay the same), so the handlers read it here
  // rather than keep the version of the render that made them. Set as the render is committed,
  // before any input can reach what it shows.
  const shown = useRef(server);
  useLayoutEffect(() => {
    shown.current = server;
  });

  const edit = useCallback(
    (field: 'title' | 'content', value: string) => {
      const current = draftRef.current;
      const onScreen = shown.current;
      const base = current?.base ?? (onScreen && baseOf(onScreen));
      if (!base) return;
      const next: Draft = {
        docId: id,
        title: current?.title ?? base.title,
        content: current?.content ?? base.content,
        base,
        editedAt: Date.now(),
      };
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

  const { canSave, save } = flow;
  const caret = useCallback(() => {
    const textarea = contentRef.current;
    return textarea ? { text: textarea.value, offset: textarea.selectionStart } : { text: '', offset: 0 };
  }, []);
  const race = useCallback(
    (rival: (base: DraftBase) => void) => {
      const current = draftRef.current;
      if (!current || !canSave) return;
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

  if (!draft && !server) {
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

  const title = draft?.title ?? server?.doc.title ?? '';
  const newerOnServer = draft && server && server.doc.version > draft.base.version ? server.doc : null;
  const archived = server?.doc.state === 'archived';
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

      {drafts.restoredFrom !== null && (
        <div className="banner banner-info" role="status">
          <p>Restored your unsaved changes from {formatTime(drafts.restoredFrom)}.</p>
          <button type="button" className="button-quiet" onClick={drafts.dismissRestored}>
            Dismiss
          </button>
        </div>
      )}

      {!draft && drafts.otherDrafts[0] && (
        <div className="banner banner-info" role="status">
          <p>
            Unsaved changes to this document by {drafts.otherDrafts[0].author} from{' '}
            {formatTime(drafts.otherDrafts[0].draft.editedAt)} are kept on this device.
          </p>
          <button type="button" onClick={() => drafts.otherDrafts[0] && drafts.adoptOther(drafts.otherDrafts[0])}>
            Continue those changes
          </button>
          <button type="button" className="button-quiet" onClick={drafts.dismissOthers}>
            Not now
          </button>
        </div>
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

      {/* Stays while the dialog is open: the page behind a modal must not move. */}
      {newerOnServer && draft && (
        <div className="banner banner-live" role="status" data-testid="live-notice">
          <p>
            <strong>
              {newerOnServer.updatedBy} saved version {newerOnServer.version}
            </strong>{' '}
            · you started from version {draft.base.version}
          </p>
          <button type="button" disabled={!flow.canSave} onClick={() => void flow.reviewNow()}>
            Review and merge now
          </button>
        </div>
      )}

      {takenFrom && (
        <div className="banner banner-info" role="status">
          <p>
            {takenFrom.by} saved version {takenFrom.version}; you had no unsaved changes, so the editor now shows it.
          </p>
          <button type="button" className="button-quiet" onClick={() => setQuietThrough(takenFrom.version)}>
            Dismiss
          </button>
        </div>
      )}

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
      {server && !flow.gone && lockInUse && (
        <Suspense fallback={null}>
          <LockPanel id={id} user={user} view={lockView} />
        </Suspense>
      )}
      {server && !flow.gone && <LostUpdateNotice id={id} onRestore={restoreLost} />}

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

      <form
        className="editor"
        aria-label="Document editor"
        onSubmit={(event) => {
          event.preventDefault();
          flow.save();
        }}
      >
        <div className="field">
          <label htmlFor={titleId}>
            Title {dirty && <span className="dirty-marker" title="Unsaved changes">● <span className="visually-hidden">(unsaved changes)</span></span>}
          </label>
          <input
            id={titleId}
            className="title-input"
            value={title}
            maxLength={MAX_TITLE_LENGTH}
            readOnly={readOnly}
            required
            onChange={(e) => edit('title', e.target.value)}
          />
        </div>
        <div className="field field-grow">
          <label htmlFor={contentId}>Content</label>
          <textarea
            ref={contentRef}
            id={contentId}
            className="content-input"
            readOnly={readOnly}
            spellCheck
            onChange={(e) => edit('content', typed(e.target.value))}
          />
        </div>
        <div className="editor-actions">
          {/* Once the document is deleted, "Save as a new document" above is the one way to save. */}
          {!flow.gone && (
            <button type="submit" disabled={!flow.canSave || !dirty} aria-keyshortcuts="Control+S Meta+S">
              Save <span className="shortcut" aria-hidden="true">Ctrl+S</span>
            </button>
          )}
          <StatusLine status={flow.status} />
        </div>
      </form>

      {!flow.gone && Tools && <Tools docId={id} caret={caret} canRace={dirty && canSave} race={race} />}

      {server && !flow.gone && <LifecyclePanel server={server} dirty={dirty} />}
      {server && !flow.gone && <DocumentModePicker id={id} />}
      <RevisionHistory id={id} latestVersion={server?.doc.version ?? 0} onRestore={dirty || !flow.canSave || archived || lockView.heldByOther ? undefined : restore} />
      {server && !flow.gone && <DeleteDocument server={server} dirty={dirty} />}

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
