import { useId, useState } from 'react';
import { ErrorAlert } from '../../../lib/ErrorAlert.tsx';
import { dateTimeFormatter } from '../../../lib/clock.ts';
import type { Revision } from '../../../protocol/types.ts';
import { useRevision } from '../api/get-revision.ts';
import { changeCount, revisionDiff } from '../revision-diff.ts';

const when = dateTimeFormatter();

export interface RevisionViewProps {
  id: string;
  revision: Revision | null;
  all: readonly Revision[];
  latestVersion: number;
  onRestore?: (version: { title: string; content: string }) => void;
}

/** One version, read-only: who saved it and when, its text, and its difference from another. */
export default function RevisionView({ id, revision, all, latestVersion, onRestore }: RevisionViewProps) {
  const headingId = useId();
  const compareId = useId();
  const version = revision?.version ?? null;
  // Versions are numbered one by one, so the one before is there to compare with even when its
  // page of the history is not loaded yet.
  const [against, setAgainst] = useState<number | null>(() => (version !== null && version > 1 ? version - 1 : null));
  const beforeUnlisted = version !== null && version > 1 && !all.some((r) => r.version === version - 1);
  const shown = useRevision(id, version);
  const other = useRevision(id, against);
  if (!revision) return null;
  const doc = shown.data;
  const latest = revision.version === latestVersion;

  return (
    <section className="revision-view" aria-labelledby={headingId}>
      <h3 id={headingId}>
        Version {revision.version}, saved by {revision.updatedBy} on <time dateTime={revision.updatedAt}>{when(revision.updatedAt)}</time>
      </h3>
      <ErrorAlert error={shown.error} prefix="This version could not be loaded: " />
      {doc ? (
        <>
          <p>
            Title: “{doc.title}”
          </p>
          <label htmlFor={`${headingId}-text`}>Text of version {revision.version}</label>
          <textarea id={`${headingId}-text`} className="revision-text" value={doc.content} readOnly rows={8} spellCheck={false} />

          <div className="revision-compare">
            <label htmlFor={compareId}>Compare with</label>{' '}
            <select
              id={compareId}
              value={against ?? ''}
              onChange={(event) => setAgainst(event.target.value === '' ? null : Number(event.target.value))}
            >
              <option value="">nothing</option>
              {[...all].reverse().map((r) =>
                r.version === revision.version ? null : (
                  <option key={r.version} value={r.version}>
                    version {r.version}
                    {r.version === revision.version - 1 ? ' (the one before)' : ''} · {r.updatedBy}
                  </option>
                ),
              )}
              {beforeUnlisted ? <option value={revision.version - 1}>version {revision.version - 1} (the one before)</option> : null}
            </select>
          </div>
          {against !== null ? (
            other.data ? (
              <RevisionDiff from={against} to={revision.version} before={other.data.content} after={doc.content} />
            ) : (
              <ErrorAlert error={other.error} prefix="That version could not be loaded: " />
            )
          ) : null}

          {latest ? (
            <p className="history-note">This is the newest version.</p>
          ) : onRestore ? (
            <button type="button" onClick={() => onRestore({ title: doc.title, content: doc.content })}>
              Restore this version
            </button>
          ) : (
            <p className="history-note">Save or undo your unsaved changes to restore this version.</p>
          )}
        </>
      ) : shown.isPending ? (
        <p role="status">Loading version {revision.version}…</p>
      ) : null}
    </section>
  );
}

function RevisionDiff({ from, to, before, after }: { from: number; to: number; before: string; after: string }) {
  const parts = revisionDiff(before, after);
  const headingId = useId();
  return (
    <div className="revision-diff" role="region" aria-labelledby={headingId}>
      <h4 id={headingId}>
        From version {from} to version {to}: {changeCount(parts).toLowerCase()}
      </h4>
      <pre className="revision-diff-text">
        {parts.map((part, i) => {
          if (part.kind === 'insert') return <ins key={i}>{part.text}</ins>;
          if (part.kind === 'delete') return <del key={i}>{part.text}</del>;
          if (part.kind === 'folded')
            return (
              <span key={i} className="revision-folded">
                ⋯ {part.lines} unchanged {part.lines === 1 ? 'line' : 'lines'}
                {'\n'}
              </span>
            );
          return <span key={i}>{part.text}</span>;
        })}
      </pre>
    </div>
  );
}
