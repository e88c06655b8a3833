import { Suspense, lazy, memo, useCallback, useMemo, useState } from 'react';
import { ErrorAlert } from '../../../lib/ErrorAlert.tsx';
import type { Revision } from '../../../protocol/types.ts';
import { dateTimeFormatter } from '../../../lib/clock.ts';
import { useDocumentPart } from '../api/get-document.ts';
import type { VersionedDocument } from '../api/get-document.ts';
import { REVISION_PAGE, useRevisionPages } from '../api/get-revisions.ts';

// A version and its diff load with the code that diffs (the merge engine's word diff) only when
// one is opened, so the editor's first load does not carry them.
const RevisionView = lazy(() => import('./RevisionView.tsx'));

const when = dateTimeFormatter();

const versionOf = ({ doc }: VersionedDocument) => doc.version;

function versions(n: number): string {
  return `${n} ${n === 1 ? 'version' : 'versions'}`;
}

interface RevisionHistoryProps {
  id: string;
  /**
   * Saves this version's title and text as a new version, through the editor's save (with
   * If-Match, so a save made meanwhile opens the conflict dialog). Absent while the editor holds
   * unsaved changes, which restoring would replace.
   */
  onRestore?: (version: { title: string; content: string }) => void;
}

/**
 * Who saved which version and when. The list loads only when opened, and the server sends it a
 * page at a time, newest first, further pages on request: an hour of saves is neither read nor
 * shown at once. Each version opens read-only, with what changed since the one before (or any
 * other loaded) and a way to restore it.
 *
 * It reads the newest version this tab knows of itself (the count shown before the list is
 * loaded), so a save renders the History and not the editor around it.
 */
export const RevisionHistory = memo(function RevisionHistory({ id, onRestore }: RevisionHistoryProps) {
  const latestVersion = useDocumentPart(id, versionOf) ?? 0;
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const select = useCallback((version: number) => setSelected((current) => (current === version ? null : version)), []);
  const pages = useRevisionPages(id, open);
  const firstPage = pages.data?.pages[0];
  const total = firstPage?.total ?? latestVersion;
  // Oldest first, as the server sends each page; the list shows them newest first.
  const loaded = useMemo(() => (pages.data ? pages.data.pages.toReversed().flatMap((page) => page.revisions) : []), [pages.data]);
  // Pages shown: with earlier pages loaded, versions that arrive since push the oldest shown out of
  // view rather than lengthen the list.
  const [shownPages, setShownPages] = useState(1);
  const shown = shownPages * REVISION_PAGE;
  const newestFirst = useMemo(() => loaded.toReversed().slice(0, shown), [loaded, shown]);
  const rest = Math.min(REVISION_PAGE, total - newestFirst.length);
  const showEarlier = () => {
    if (pages.isFetchingNextPage) return;
    setShownPages(shownPages + 1);
    if (loaded.length < shown + REVISION_PAGE && pages.hasNextPage) void pages.fetchNextPage();
  };

  return (
    <details className="history" aria-label="History" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>History ({versions(total)})</summary>
      {open && pages.isPending ? <p role="status">Loading the history…</p> : null}
      <ErrorAlert error={pages.error} prefix="The history could not be loaded: " />
      {newestFirst.length > 0 ? (
        <>
          <ol className="history-list">
            {newestFirst.map((r) => (
              <RevisionRow key={r.version} revision={r} selected={selected === r.version} onSelect={select} />
            ))}
          </ol>
          {rest > 0 && (pages.hasNextPage || loaded.length > newestFirst.length) ? (
            <button type="button" aria-disabled={pages.isFetchingNextPage || undefined} onClick={showEarlier}>
              Show {rest} earlier {rest === 1 ? 'version' : 'versions'}
            </button>
          ) : null}
          {pages.isFetchingNextPage ? <p role="status">Loading earlier versions…</p> : null}
        </>
      ) : null}
      {selected !== null && loaded.length > 0 ? (
        <Suspense fallback={<p role="status">Loading version {selected}…</p>}>
          <RevisionView
            key={selected}
            id={id}
            revision={loaded.find((r) => r.version === selected) ?? null}
            all={loaded}
            latestVersion={Math.max(latestVersion, loaded[loaded.length - 1]?.version ?? 0)}
            onRestore={onRestore}
          />
        </Suspense>
      ) : null}
    </details>
  );
});

/**
 * One version in the list. A save adds a row and leaves the others as they were (the same
 * objects, see applyDocumentEvent), so with the list open for an hour a save renders one row, not
 * a page of them with their times formatted again.
 */
const RevisionRow = memo(function RevisionRow({ revision: r, selected, onSelect }: { revision: Revision; selected: boolean; onSelect: (version: number) => void }) {
  return (
    <li>
      <button type="button" aria-pressed={selected} onClick={() => onSelect(r.version)}>
        Version {r.version}
      </button>{' '}
      {r.updatedBy} · <time dateTime={r.updatedAt}>{when(r.updatedAt)}</time>
      {r.lost && <strong> · lost: overwritten by a save that never saw it</strong>}
      {r.overwrote.length > 0 && <span> · replaced version {r.overwrote.join(', ')} unseen</span>}
    </li>
  );
});
