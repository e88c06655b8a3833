import { Suspense, lazy, useState } from 'react';
import { ErrorAlert } from '../../../lib/ErrorAlert.tsx';
import { dateTimeFormatter } from '../../../lib/clock.ts';
import { useRevisions } from '../api/get-revisions.ts';

// A version and its diff load with the code that diffs (the merge engine's word diff) only when
// one is opened, so the editor's first load does not carry them.
const RevisionView = lazy(() => import('./RevisionView.tsx'));

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
    <details className="history" aria-label="History" onToggle={(event) => setOpen(event.currentTarget.open)}>
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
                {r.lost && <strong> · lost: overwritten by a save that never saw it</strong>}
                {r.overwrote.length > 0 && <span> · replaced version {r.overwrote.join(', ')} unseen</span>}
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
        <Suspense fallback={<p role="status">Loading version {selected}…</p>}>
          <RevisionView
            key={selected}
            id={id}
            revision={revisions.data.find((r) => r.version === selected) ?? null}
            all={revisions.data}
            latestVersion={Math.max(latestVersion, revisions.data[revisions.data.length - 1]?.version ?? 0)}
            onRestore={onRestore}
          />
        </Suspense>
      ) : null}
    </details>
  );
}

