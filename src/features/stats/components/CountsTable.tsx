import type { ConflictCounts } from '../../../protocol/stats.ts';
import { eventTotal, outcomeSummary } from '../summary.ts';

export interface CountsRow {
  key: string;
  /** Shown as text, never as HTML: a title or a name is whatever someone typed. */
  name: string;
  counts: ConflictCounts;
}

/** One row per document, person or mode: its conflicts, and the outcomes chosen in a few words. */
export function CountsTable({ caption, nameHeader, rows, more }: { caption: string; nameHeader: string; rows: CountsRow[]; more: number }) {
  if (rows.length === 0) return null;
  return (
    <div className="stats-table-wrap">
      <table className="stats-table stats-counts">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{nameHeader}</th>
            <th scope="col">Conflicts</th>
            <th scope="col">Outcomes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.name}</th>
              <td>{eventTotal(row.counts)}</td>
              <td>{outcomeSummary(row.counts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more > 0 && <p className="hint">and {more} more not listed.</p>}
    </div>
  );
}
