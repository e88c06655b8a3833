import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { ErrorAlert } from '../../../lib/ErrorAlert.tsx';
import { concurrencyModes, type ConcurrencyMode } from '../../../protocol/concurrency.ts';
import type { SimulationState } from '../../../protocol/simulation.ts';
import { useDocumentList } from '../../documents/api/cache.ts';
import { useBot } from '../api/bot.ts';
import { useSimulation } from '../api/get-simulation.ts';
import { useResetDemo } from '../api/reset-demo.ts';
import { useUpdateSimulation } from '../api/update-simulation.ts';
import { ModeScenarios } from './ModeScenarios.tsx';
import '../simulation.css';

/**
 * Demo controls, the same as the server's CLI flags: latency and jitter, 409 or 412, a bot that
 * keeps editing a document, and a reset to the seed documents. They change the server for
 * everyone connected to it.
 */
export default function SimulationPanel({ currentDocId }: { currentDocId: string | null }) {
  const simulation = useSimulation();
  // Owned here, not by the form: the form is remounted with the server's new values after a
  // change, and its "Applied." (or the server's refusal) must survive that.
  const update = useUpdateSimulation();
  const headingId = useId();
  return (
    <section className="side-panel simulation" aria-labelledby={headingId}>
      <h2 id={headingId}>Simulation</h2>
      <p className="hint">These settings apply to the whole server, for everyone using it.</p>
      {simulation.isPending && <p role="status">Loading the settings…</p>}
      <ErrorAlert error={simulation.error} />
      {simulation.data && (
        <>
          {/* Keyed by the server's values: a change made elsewhere resets the form to them. */}
          <SettingsForm
            key={`${simulation.data.latencyMs}-${simulation.data.jitterMs}-${simulation.data.conflictStatus}-${simulation.data.concurrency}`}
            state={simulation.data}
            update={update}
          />
          <p className="hint" role="status" data-testid="lost-update-count">
            Lost updates: {simulation.data.lostUpdates}
            {simulation.data.lostUpdates > 0 && ' (saves that replaced a version their writer never saw)'}
          </p>
          <BotForm state={simulation.data} currentDocId={currentDocId} />
        </>
      )}
      <ModeScenarios />
      <ResetDemo />
    </section>
  );
}

function SettingsForm({ state, update }: { state: SimulationState; update: ReturnType<typeof useUpdateSimulation> }) {
  const [latency, setLatency] = useState(String(state.latencyMs));
  const [jitter, setJitter] = useState(String(state.jitterMs));
  const [conflictStatus, setConflictStatus] = useState<409 | 412>(state.conflictStatus);
  const [concurrency, setConcurrency] = useState<ConcurrencyMode>(state.concurrency);
  const id = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    // Sent as typed: the server is the one that says what is allowed, and says it in words.
    update.mutate({ latencyMs: toNumber(latency), jitterMs: toNumber(jitter), conflictStatus, concurrency });
  }

  return (
    <form className="sim-form" aria-label="Server settings" onSubmit={submit}>
      <div className="sim-row">
        <label htmlFor={`${id}-latency`}>Latency (ms)</label>
        <input id={`${id}-latency`} inputMode="numeric" value={latency} onChange={(e) => setLatency(e.target.value)} />
      </div>
      <div className="sim-row">
        <label htmlFor={`${id}-jitter`}>Jitter (ms)</label>
        <input id={`${id}-jitter`} inputMode="numeric" value={jitter} onChange={(e) => setJitter(e.target.value)} />
      </div>
      <fieldset className="sim-choice">
        <legend>A stale save is answered with</legend>
        {([409, 412] as const).map((status) => (
          <label key={status}>
            <input type="radio" name={`${id}-status`} checked={conflictStatus === status} onChange={() => setConflictStatus(status)} />
            {status === 409 ? '409 Conflict' : '412 Precondition Failed'}
          </label>
        ))}
      </fieldset>
      <fieldset className="sim-choice">
        <legend>Concurrency mode</legend>
        {concurrencyModes.map((mode) => (
          <label key={mode} title={MODE_HINTS[mode]}>
            <input type="radio" name={`${id}-concurrency`} checked={concurrency === mode} onChange={() => setConcurrency(mode)} />
            {MODE_LABELS[mode]}
          </label>
        ))}
        <p className="hint">{MODE_HINTS[concurrency]}</p>
      </fieldset>
      <button type="submit" disabled={update.isPending}>
        Apply settings
      </button>
      <ErrorAlert error={update.error} prefix="Settings not applied. " />
      {update.isSuccess && !update.isPending && (
        <p className="hint" role="status">
          Applied.
        </p>
      )}
    </form>
  );
}

function BotForm({ state, currentDocId }: { state: SimulationState; currentDocId: string | null }) {
  const docs = useDocumentList();
  const bot = useBot();
  const id = useId();
  const [docId, setDocId] = useState<string>(state.bot.docId ?? currentDocId ?? '');
  const [interval, setIntervalText] = useState(String(state.bot.intervalSeconds));
  const chosen = docId || currentDocId || docs.data?.[0]?.id || '';
  const running = state.bot.docId !== null;
  const runningTitle = docs.data?.find((d) => d.id === state.bot.docId)?.title ?? state.bot.docId;

  function submit(event: FormEvent) {
    event.preventDefault();
    bot.mutate({ docId: chosen, intervalSeconds: toNumber(interval) });
  }

  return (
    <form className="sim-form" aria-label="Bot" onSubmit={submit}>
      <h3>Bot</h3>
      <p className="hint" role="status">
        {running
          ? `${state.bot.user} edits “${runningTitle}” every ${state.bot.intervalSeconds} s · ${state.bot.saves} saves so far.`
          : 'Stopped. Start it to meet conflicts on your own.'}
      </p>
      <div className="sim-row">
        <label htmlFor={`${id}-doc`}>Document</label>
        <select id={`${id}-doc`} value={chosen} onChange={(e) => setDocId(e.target.value)}>
          {docs.data?.map((doc) => (
            <option key={doc.id} value={doc.id}>
              {doc.title}
            </option>
          ))}
        </select>
      </div>
      <div className="sim-row">
        <label htmlFor={`${id}-interval`}>Every (seconds)</label>
        <input id={`${id}-interval`} inputMode="numeric" value={interval} onChange={(e) => setIntervalText(e.target.value)} />
      </div>
      <div className="sim-actions">
        <button type="submit" disabled={bot.isPending || !chosen}>
          {running ? 'Re-aim bot' : 'Start bot'}
        </button>
        <button type="button" className="button-quiet" disabled={bot.isPending || !running} onClick={() => bot.mutate(null)}>
          Stop bot
        </button>
      </div>
      <ErrorAlert error={bot.error} />
    </form>
  );
}

function ResetDemo() {
  const reset = useResetDemo();
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="sim-form">
      <h3>Demo data</h3>
      {!confirming ? (
        <button type="button" className="button-quiet" onClick={() => setConfirming(true)}>
          Reset demo data
        </button>
      ) : (
        <div role="group" aria-label="Confirm reset">
          <p>Replace every document on the server with the demo set? Unsaved drafts stay on each device.</p>
          <div className="sim-actions">
            <button
              type="button"
              disabled={reset.isPending}
              onClick={() => reset.mutate(undefined, { onSuccess: () => setConfirming(false) })}
            >
              Reset for everyone
            </button>
            <button type="button" className="button-quiet" autoFocus onClick={() => setConfirming(false)}>
              Keep the documents
            </button>
          </div>
        </div>
      )}
      {reset.isSuccess && !confirming && (
        <p className="hint" role="status">
          Demo data restored ({reset.data.docs.length} documents).
        </p>
      )}
      <ErrorAlert error={reset.error} />
    </div>
  );
}

const MODE_LABELS: Record<ConcurrencyMode, string> = {
  none: 'None (last write wins)',
  timestamp: 'Timestamps (If-Unmodified-Since)',
  etag: 'ETags (If-Match)',
  lock: 'Locks',
  'server-merge': 'Server merges',
};

const MODE_HINTS: Record<ConcurrencyMode, string> = {
  none: 'Every save wins, even one made from an old version: the change it replaces is lost, and counted below.',
  timestamp: 'A save names the time of the version it edited; two saves within the same second both pass.',
  etag: 'A save names the exact version it edited; a stale one gets a conflict to merge.',
  lock: 'Whoever holds the lock edits; everyone else is refused until it is released, expires or is broken.',
  'server-merge': 'A stale save that merges cleanly is merged by the server; a real clash still gets a conflict.',
};

/** "" and non-numbers become NaN, which JSON sends as null: the server answers 422 and says why. */
function toNumber(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}
