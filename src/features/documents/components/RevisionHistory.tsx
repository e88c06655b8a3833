import { useId, useState } from 'react';
import { ErrorAlert } from '../../../lib/ErrorAlert.tsx';
import { dateTimeFormatter } from '../../../lib/clock.ts';
import type { Revision } from '../../../protocol/types.ts';
import { useRevision } from '../api/get-revision.ts';
import { useRevisions } from '../api/get-revisions.ts';
import { changeCount, revisionDiff } from '../revision-diff.ts';

/** Versions listed at a time; more on request, so an hour of saves does not grow the page without bound. */
const PAGE = 20;

const when = dateTimeFormatter();

function versions(n: number): string {
  return `${n} ${n === 1 ? 'version' : 'versions'}`;
}

interface RevisionHistoryProps {
  id: string;
  /** The newest version this tab knows of: the count shown before the list is loaded. */
  latestVersion: number;
  /**
   * Saves this version's title and text as a new version, through the editor's save (with
   * If-Match, so a save made meanwhile opens the conflict dialog). Absent while the editor holds
   * unsaved changes, which restoring would replace.
   */
  onRestore?: (version: { title: string; content: string }) => void;
}

/**
 * Who saved which version and when. The list loads only when opened and shows the newest versions
 * a page at a time; each version opens read-only, with what changed since the one before (or any
 * other) and a way to restore it.
 */
export function RevisionHistory({ id, latestVersion, onRestore }: RevisionHistoryProps) {
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState(PAGE);
  const [selected, setSelected] = useState<number | null>(null);
  const revisions = useRevisions(id, open);
  const total = revisions.data?.length ?? latestVersion;
  const newestFirst = revisions.data ? [...revisions.data].reverse() : [];
  const rest = newestFirst.length - shown;

  return (
    <details className="history" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>History ({versions(total)})</summary>
      {open && revisions.isPending ? <p role="status">Loading the history…</p> : null}
      <ErrorAlert error={revisions.error} prefix="The history could not be loaded: " />
      {newestFirst.length > 0 ? (
        <>
          <ol className="history-list">
            {newestFirst.slice(0, shown).map((r) => (
              <li key={r.version}>
                <button type="button" aria-pressed={selected === r.version} onClick={() => setSelected(selected === r.version ? null : r.version)}>
                  Version {r.version}
                </button>{' '}
                {r.updatedBy} · <time dateTime={r.updatedAt}>{when(r.updatedAt)}</time>
              </li>
            ))}
          </ol>
          {rest > 0 ? (
            <button type="button" onClick={() => setShown(shown + PAGE)}>
              Show {Math.min(PAGE, rest)} earlier {Math.min(PAGE, rest) === 1 ? 'version' : 'versions'}
            </button>
          ) : null}
        </>
      ) : null}
      {selected !== null && revisions.data ? (
        <RevisionView
          key={selected}
          id={id}
          revision={revisions.data.find((r) => r.version === selected) ?? null}
          all={revisions.data}
          latestVersion={Math.max(latestVersion, revisions.data[revisions.data.length - 1]?.version ?? 0)}
          onRestore={onRestore}
        />
      ) : null}
    </details>
  );
}

interface RevisionViewProps {
  id: string;
  revision: Revision | null;
  all: readonly Revision[];
  latestVersion: number;
  onRestore?: (version: { title: string; content: string }) => void;
}

/** One version, read-only: who saved it and when, its text, and its difference from another. */
function RevisionView({ id, revision, all, latestVersion, onRestore }: RevisionViewProps) {
  const headingId = useId();
  const compareId = useId();
  const version = revision?.version ?? null;
  const [against, setAgainst] = useState<number | null>(() => {
    const before = all.filter((r) => version !== null && r.version < version);
    return before.length > 0 ? before[before.length - 1].version : null;
  });
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
