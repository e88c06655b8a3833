import { useId } from 'react';
import { ErrorAlert } from '../../../lib/ErrorAlert.tsx';
import { useStats } from '../api/get-stats.ts';
import { formatDuration, headline, otherEvents, outcomeRows } from '../summary.ts';
import { CountsTable } from './CountsTable.tsx';
import { TimelineChart } from './TimelineChart.tsx';
import '../stats.css';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const formatTime = (iso: string) => timeFormat.format(new Date(iso));

/**
 * The Conflicts panel: what the server counted for everyone on it (docs/protocol.md §1.10), kept
 * up to date by the event stream's `event: stats` frames. Per document and per person, the
 * outcomes people chose and how long they took, and the last hour minute by minute.
 */
export default function StatsPanel() {
  const headingId = useId();
  const stats = useStats();
  const snapshot = stats.data;

  return (
    <section className="side-panel stats" aria-labelledby={headingId}>
      <div className="side-panel-heading">
        <h2 id={headingId}>Conflicts</h2>
      </div>
      <p className="hint">
        Counted by the server for everyone on it, and kept in its memory: the counts start again when it restarts.
      </p>
      {stats.error && !snapshot && <ErrorAlert error={stats.error} />}
      {!snapshot ? (
        !stats.error && <p role="status">Loading…</p>
      ) : (
        <>
          <p data-testid="stats-headline">{headline(snapshot, formatTime)}</p>
          {otherEvents(snapshot.totals).length > 0 && <p>Also: {otherEvents(snapshot.totals).join(', ')}.</p>}
          <TimelineChart timeline={snapshot.timeline} formatTime={formatTime} />
          <div className="stats-table-wrap">
            <table className="stats-table">
              <caption>Outcomes chosen</caption>
              <thead>
                <tr>
                  <th scope="col">Outcome</th>
                  <th scope="col">Times</th>
                  <th scope="col">Share</th>
                  <th scope="col">Median time from the 409</th>
                </tr>
              </thead>
              <tbody>
                {outcomeRows(snapshot.totals, snapshot.resolution.byOutcome).map((row) => (
                  <tr key={row.outcome}>
                    <th scope="row">{row.label}</th>
                    <td>{row.count}</td>
                    <td>{row.percent} %</td>
                    <td>{row.median}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            Time from a 409 to the save or discard that ended it: median {formatDuration(snapshot.resolution.medianMs)}, longest{' '}
            {formatDuration(snapshot.resolution.maxMs)} ({snapshot.resolution.count} resolved).
          </p>
          <CountsTable
            caption="Conflicts per document"
            nameHeader="Document"
            rows={snapshot.byDocument.map((d) => ({ key: d.id, name: d.title ?? d.id, counts: d.counts }))}
            more={snapshot.others.documents}
          />
          <CountsTable
            caption="Conflicts per person"
            nameHeader="Person"
            rows={snapshot.byUser.map((u) => ({ key: u.user, name: u.user, counts: u.counts }))}
            more={snapshot.others.users}
          />
          <CountsTable
            caption="Conflicts per mode"
            nameHeader="Mode"
            rows={snapshot.byMode.map((m) => ({ key: m.mode, name: m.mode, counts: m.counts }))}
            more={snapshot.others.modes}
          />
        </>
      )}
    </section>
  );
}
