import { memo, useId, useLayoutEffect } from 'react';
import type { RefObject } from 'react';
import { MAX_TITLE_LENGTH } from '../../../protocol/types.ts';
import { useDocumentPart } from '../api/get-document.ts';
import type { VersionedDocument } from '../api/get-document.ts';
import type { Draft } from '../drafts/draft-store.ts';
import { saveStatus } from '../hooks/use-save-flow.ts';
import type { SaveState } from '../hooks/use-save-flow.ts';
import { useTextareaText } from '../hooks/use-textarea-text.ts';
import { StatusLine } from './StatusLine.tsx';

const whole = (document: VersionedDocument) => document;

interface Props {
  id: string;
  /** The unsaved text, shown instead of the document's while there is one. */
  draft: Draft | null;
  readOnly: boolean;
  saveState: SaveState;
  canSave: boolean;
  /** Deleted: "Save as a new document" is the one way to save, so there is no Save button. */
  gone: boolean;
  onEdit: (field: 'title' | 'content', value: string) => void;
  onSave: () => void;
  contentRef: RefObject<HTMLTextAreaElement | null>;
  /** Set to the version this form shows as each render is committed: what an edit is based on. */
  shownRef: { current: VersionedDocument | undefined };
}

/**
 * The title, the text, Save and the save's status. Without a draft it shows the newest version,
 * which it reads itself: another person's save renders this form, not the editor page around it.
 */
export const EditorForm = memo(function EditorForm({ id, draft, readOnly, saveState, canSave, gone, onEdit, onSave, contentRef, shownRef }: Props) {
  const server = useDocumentPart(id, whole);
  const titleId = useId();
  const contentId = useId();
  const dirty = draft !== null;
  const typed = useTextareaText(contentRef, draft?.content ?? server?.doc.content ?? '');
  // Set before any input can reach what this render shows.
  useLayoutEffect(() => {
    shownRef.current = server;
  });

  return (
    <form
      className="editor"
      aria-label="Document editor"
      onSubmit={(event) => {
        event.preventDefault();
        onSave();
      }}
    >
      <div className="field">
        <label htmlFor={titleId}>
          Title {dirty && <span className="dirty-marker" title="Unsaved changes">● <span className="visually-hidden">(unsaved changes)</span></span>}
        </label>
        <input
          id={titleId}
          className="title-input"
          value={draft?.title ?? server?.doc.title ?? ''}
          maxLength={MAX_TITLE_LENGTH}
          readOnly={readOnly}
          required
          onChange={(e) => onEdit('title', e.target.value)}
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
          onChange={(e) => onEdit('content', typed(e.target.value))}
        />
      </div>
      <div className="editor-actions">
        {/* Once the document is deleted, "Save as a new document" above is the one way to save. */}
        {!gone && (
          <button type="submit" disabled={!canSave || !dirty} aria-keyshortcuts="Control+S Meta+S">
            Save <span className="shortcut" aria-hidden="true">Ctrl+S</span>
          </button>
        )}
        <StatusLine status={saveStatus(saveState, dirty, server?.doc.version)} />
      </div>
    </form>
  );
});
