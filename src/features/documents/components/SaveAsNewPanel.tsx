import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { describeProblem } from '../../../lib/problem-text.ts';
import { MAX_TITLE_LENGTH } from '../../../protocol/types.ts';
import type { SaveAsNewState } from '../hooks/use-save-flow.ts';

interface Props {
  initialTitle: string;
  state: SaveAsNewState;
  /** Who deleted it, when the server said. */
  deletedBy: string | null;
  /** The demo reset deleted it, not a person. */
  byReset: boolean;
  /** There is text the user typed and has not saved. */
  hasUnsavedText: boolean;
  onSave: (title: string) => void;
}

/** Shown when the document was deleted: the text is still here and can live on as a new document. */
export function SaveAsNewPanel({ initialTitle, state, deletedBy, byReset, hasUnsavedText, onSave }: Props) {
  const [title, setTitle] = useState(initialTitle);
  const titleId = useId();
  const errorId = useId();
  const [suggested, setSuggested] = useState<string | null>(null);

  // Offer the suggestion once per duplicate answer, without overwriting what the user types after.
  if (state.duplicate && suggested !== state.duplicate.suggestion) {
    setSuggested(state.duplicate.suggestion);
    setTitle(state.duplicate.suggestion);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    onSave(title);
  }

  const error = state.duplicate
    ? `A document titled “${state.duplicate.title}” already exists. How about “${state.duplicate.suggestion}”?`
    : state.problem
      ? describeProblem(state.problem)
      : null;

  return (
    <section className="banner banner-warning" aria-labelledby={`${titleId}-heading`}>
      <h2 id={`${titleId}-heading`}>This document was deleted</h2>
      <p>
        {byReset ? 'The demo was reset' : deletedBy ? `${deletedBy} deleted it` : 'Someone deleted it'}
        {hasUnsavedText
          ? ' while you were editing. Your text is still here and kept on this device.'
          : '. The last version you saw is still shown below, and can live on as a new document.'}
      </p>
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor={titleId}>Title of the new document</label>
        <input
          id={titleId}
          value={title}
          maxLength={MAX_TITLE_LENGTH}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => setTitle(e.target.value)}
        />
        <button type="submit" disabled={state.saving}>
          Save as a new document
        </button>
      </form>
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
