import { useRevisions } from '../api/get-revisions.ts';

/** Who saved which version and when: the story a conflict dialog later tells in one line. */
export function RevisionHistory({ id }: { id: string }) {
  const revisions = useRevisions(id);
  if (!revisions.data || revisions.data.length === 0) return null;
  const newestFirst = [...revisions.data].reverse();
  return (
    <details className="history">
      <summary>History ({revisions.data.length} versions)</summary>
      <ol reversed>
        {newestFirst.map((r) => (
          <li key={r.version}>
            Version {r.version} · {r.updatedBy} · <time dateTime={r.updatedAt}>{new Date(r.updatedAt).toLocaleString()}</time>
            {r.lost && <strong> · lost: overwritten by a save that never saw it</strong>}
            {r.overwrote.length > 0 && <span> · replaced version {r.overwrote.join(', ')} unseen</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}
