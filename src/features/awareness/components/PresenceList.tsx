import type { PresenceEntry } from '../../../protocol/simulation.ts';

/** Who else has this document open, each in their colour. */
export function PresenceList({ others }: { others: PresenceEntry[] }) {
  if (others.length === 0) {
    return (
      <p className="presence" data-testid="presence">
        Only you have this document open.
      </p>
    );
  }
  return (
    <div className="presence" data-testid="presence">
      <span>Also here:</span>
      <ul className="presence-list" aria-label="Also editing this document">
        {/* One entry per event stream: a client id may appear twice (a tab's old connection not yet closed). */}
        {others.map((entry, index) => (
          <li key={`${entry.clientId}-${index}`} className="presence-chip" style={{ borderColor: entry.color }}>
            <span className="identity-dot" style={{ backgroundColor: entry.color }} aria-hidden="true" />
            {entry.user}
          </li>
        ))}
      </ul>
    </div>
  );
}
