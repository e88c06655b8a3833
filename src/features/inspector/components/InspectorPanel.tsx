import { useId, useState } from 'react';
import { REQUEST_LOG_CAPACITY, isConflictStatus, requestLog } from '../../../lib/request-log.ts';
import type { LoggedRequest, RequestMark } from '../../../lib/request-log.ts';
import { useRequestLog } from '../hooks/use-request-log.ts';
import '../inspector.css';

/**
 * The protocol inspector: this tab's API requests as they happen, newest first. A failed
 * precondition (409/412) stands out; a row opens to its headers and, for an error, the problem
 * body, shown as text.
 */
export default function InspectorPanel() {
  const entries = useRequestLog();
  const [selected, setSelected] = useState<number | null>(null);
  const headingId = useId();
  const newestFirst = [...entries].reverse();
  const retries = retriedRequests(entries);

  return (
    <section className="side-panel inspector" aria-labelledby={headingId}>
      <div className="side-panel-heading">
        <h2 id={headingId}>Protocol inspector</h2>
        <button type="button" className="button-quiet" onClick={() => requestLog.clear()} disabled={entries.length === 0}>
          Clear
        </button>
      </div>
      <p className="hint">
        This tab’s requests, newest first (the last {REQUEST_LOG_CAPACITY} at most; the same read answered alike again and
        again is one row that counts them). A save sends the ETag it started from as
        If-Match (in a document of the timestamp mode, the version’s date as If-Unmodified-Since); 409 or 412 means
        someone saved first. Each save attempt has its own Idempotency-Key, sent again unchanged when the attempt is
        retried.
      </p>
      {newestFirst.length === 0 ? (
        <p className="hint">No requests yet.</p>
      ) : (
        <ol className="request-list" aria-label="Requests">
          {newestFirst.map((entry) => (
            <RequestRow
              key={entry.seq}
              entry={entry}
              retry={retries.has(entry.seq)}
              open={selected === entry.seq}
              onToggle={() => setSelected((current) => (current === entry.seq ? null : entry.seq))}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function RequestRow({ entry, retry, open, onToggle }: { entry: LoggedRequest; retry: boolean; open: boolean; onToggle: () => void }) {
  const detailsId = useId();
  const conflict = isConflictStatus(entry.status);
  const failed = entry.status !== null && (entry.status === 0 || entry.status >= 400);
  return (
    <li className={`request${conflict ? ' request-conflict' : failed ? ' request-failed' : ''}`} data-testid="request">
      <button type="button" className="request-summary" aria-expanded={open} aria-controls={detailsId} onClick={onToggle}>
        <span className="request-method">{entry.method}</span>
        <span className="request-path">{entry.path}</span>
        <span className="request-status">
          {statusText(entry)}
          {conflict && !entry.mark && <span className="request-badge">conflict</span>}
          {entry.mark && <span className="request-badge">{MARKS[entry.mark]}</span>}
        </span>
        <span className="request-duration">{entry.durationMs === null ? '…' : `${entry.durationMs} ms`}</span>
        {entry.ifMatch !== null && (
          <span className="request-tag">
            If-Match <code>{entry.ifMatch}</code>
          </span>
        )}
        {CONDITIONAL_REQUEST_HEADERS.map((name) => {
          const value = header(entry.requestHeaders, name);
          return value === null ? null : (
            <span key={name} className="request-tag">
              {name} <code>{value}</code>
            </span>
          );
        })}
        {entry.etag !== null && (
          <span className="request-tag">
            ETag <code>{entry.etag}</code>
          </span>
        )}
        {entry.idempotencyKey !== null && (
          <span className="request-tag">
            Idempotency-Key <code>{entry.idempotencyKey}</code>
            {retry && <span className="request-badge">retry</span>}
          </span>
        )}
        {['Last-Modified', 'Lock-Token'].map((name) => {
          const value = header(entry.responseHeaders, name);
          return value === null ? null : (
            <span key={name} className="request-tag">
              {name} <code>{value}</code>
            </span>
          );
        })}
        {entry.user && <span className="request-user">as {entry.user}</span>}
        {entry.repeats > 0 && <span className="request-tag">Read {entry.repeats + 1} times in a row, each a success; the last is shown</span>}
      </button>
      {open && (
        <div id={detailsId} className="request-details">
          <h3>Request headers</h3>
          <HeaderList headers={entry.requestHeaders} />
          {entry.requestBody !== null && (
            <>
              <h3>Request body</h3>
              <pre className="request-body">{entry.requestBody}</pre>
              <CutNote characters={entry.requestBodyCut} />
            </>
          )}
          <h3>Response headers</h3>
          {entry.responseHeaders.length > 0 ? <HeaderList headers={entry.responseHeaders} /> : <p className="hint">{entry.failure ?? 'None yet.'}</p>}
          {entry.responseBody !== null && entry.responseBody !== '' && (
            <>
              <h3>Problem</h3>
              {/* Text, never markup: a body may hold anything a user typed. */}
              <pre className="request-body">{entry.responseBodyCut > 0 ? entry.responseBody : prettyJson(entry.responseBody)}</pre>
              <CutNote characters={entry.responseBodyCut} />
            </>
          )}
        </div>
      )}
    </li>
  );
}

/** Says how much of a long body the log did not keep. */
function CutNote({ characters }: { characters: number }) {
  if (characters === 0) return null;
  return <p className="hint">… and {characters.toLocaleString()} more characters, not kept here.</p>;
}

function HeaderList({ headers }: { headers: Array<[string, string]> }) {
  return (
    <dl className="header-list">
      {headers.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The requests that repeat an earlier one's Idempotency-Key: the same save attempt sent again
 * after a network failure or a 5xx (the server answers it as the first one, not as a conflict).
 */
function retriedRequests(entries: readonly LoggedRequest[]): Set<number> {
  const seen = new Set<string>();
  const retries = new Set<number>();
  for (const entry of entries) {
    if (entry.idempotencyKey === null) continue;
    if (seen.has(entry.idempotencyKey)) retries.add(entry.seq);
    seen.add(entry.idempotencyKey);
  }
  return retries;
}

/** The conditions a request may carry besides If-Match (shown above), as docs/protocol.md §1.2 names them. */
const CONDITIONAL_REQUEST_HEADERS = ['If-Unmodified-Since', 'If-None-Match', 'X-Based-On'] as const;

const MARKS: Record<RequestMark, string> = {
  'lost-update': 'lost update',
  'server-merge': 'merged by the server',
  locked: 'lock conflict',
  state: 'state conflict',
};

function header(headers: Array<[string, string]>, name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find(([key]) => key.toLowerCase() === lower)?.[1] ?? null;
}

function statusText(entry: LoggedRequest): string {
  if (entry.status === null) return 'pending';
  if (entry.status === 0) return entry.failure ?? 'no answer';
  return String(entry.status);
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
