import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { DuplicateTitleError } from '../../../lib/api-errors.ts';
import { describeError } from '../../../lib/problem-text.ts';
import { Link, navigate } from '../../../lib/router.tsx';
import { docRoute } from '../../../protocol/paths.ts';
import type { DuplicateTitleProblem } from '../../../protocol/problems.ts';
import { MAX_TITLE_LENGTH } from '../../../protocol/types.ts';
import { useCreateDocument } from '../api/create-document.ts';

export function CreateDocumentForm() {
  const create = useCreateDocument();
  const [title, setTitle] = useState('');
  const titleId = useId();
  const errorId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ title, content: '' }, { onSuccess: ({ doc }) => navigate(docRoute(doc.id)) });
  }

  const duplicate: DuplicateTitleProblem | null = create.error instanceof DuplicateTitleError ? create.error.problem : null;

  return (
    <form className="inline-form" onSubmit={submit} aria-label="New document">
      <label htmlFor={titleId}>New document title</label>
      <input
        id={titleId}
        value={title}
        maxLength={MAX_TITLE_LENGTH}
        required
        aria-invalid={create.isError || undefined}
        aria-describedby={create.isError ? errorId : undefined}
        onChange={(e) => {
          setTitle(e.target.value);
          if (create.isError) create.reset();
        }}
      />
      <button type="submit" disabled={create.isPending}>
        Create
      </button>
      {create.isError && (
        <p id={errorId} className="field-error" role="alert">
          {duplicate ? (
            <>
              A document titled “{duplicate.existing.title}” already exists.{' '}
              <Link href={docRoute(duplicate.existing.id)}>Open it</Link> or choose another title.
            </>
          ) : (
            describeError(create.error)
          )}
        </p>
      )}
    </form>
  );
}
