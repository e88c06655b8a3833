import { useState } from 'react';
import type { FormEvent } from 'react';
import { ErrorAlert } from '../../../lib/ErrorAlert.tsx';
import { Link } from '../../../lib/router.tsx';
import { concurrencyModes, type ConcurrencyMode } from '../../../protocol/concurrency.ts';
import { docRoute } from '../../../protocol/paths.ts';
import { useRace, type RaceState } from '../hooks/use-race.ts';
import type { ModeRun } from '../race/record.ts';
import { MODE_NEEDS, TIMING_HINTS, TIMING_LABELS, raceScript, raceTimings, type RaceScript, type RaceTiming } from '../race/script.ts';
import { timelineRows } from '../race/timeline.ts';
import { raceVerdict } from '../race/verdict.ts';
import '../lab.css';

/** `/lab/modes`: the same race, every concurrency mode, side by side. */
export default function ModesPage() {
  const [timing, setTiming] = useState<RaceTiming>('same-second');
  const [thirdUser, setThirdUser] = useState(false);
  const race = useRace();

  function run(event: FormEvent) {
    event.preventDefault();
    race.run(raceScript({ timing, thirdUser }));
  }

  const [alice, bob, carol] = raceScript({ timing, thirdUser: true }).racers;
  const shown = race.script;
  return (
    <main id="main" className="page lab-page lab-modes-page">
      <h1>The same race, every concurrency mode</h1>
      <p>
        Alice and Bob open the same document at version 1 and both save a change. The race runs once per mode, each on a new
        document of its own on this server, through the same client as the editor (the Inspector lists every request). Alice
        changes “{alice?.line}” to “{alice?.edited}”; Bob changes “{bob?.line}” to “{bob?.edited}”.
      </p>
      <form className="lab-race-form" aria-label="Race" onSubmit={run}>
        <fieldset>
          <legend>Timing of the saves</legend>
          {raceTimings.map((option) => (
            <label key={option} className="lab-race-timing">
              <input type="radio" name="race-timing" value={option} checked={timing === option} onChange={() => setTiming(option)} />{' '}
              {TIMING_LABELS[option]} <span className="hint">{TIMING_HINTS[option]}</span>
            </label>
          ))}
        </fieldset>
        <label>
          <input type="checkbox" checked={thirdUser} onChange={(e) => setThirdUser(e.target.checked)} /> Add Carol, who changes Alice’s
          line to “{carol?.edited}”
        </label>
        <p>
          <button type="submit" aria-disabled={race.running || undefined}>
            Run the race
          </button>
        </p>
      </form>
      <p role="status" className="hint">
        {race.running ? `Racing in ${concurrencyModes.length} modes…` : race.result ? `Race ${race.result.label}: done.` : ''}
      </p>
      <ErrorAlert error={race.error} prefix="The race could not be run: " />
      {race.result && !race.running && <Cleanup race={race} />}
      {shown && (
        <section aria-labelledby="lab-race-heading" className="lab-results">
          <h2 id="lab-race-heading">
            {race.result && !race.running ? `Race ${race.result.label}` : 'Race'}: {TIMING_LABELS[shown.options.timing].toLowerCase()}
          </h2>
          {/* Focusable: on a narrow screen the columns scroll sideways, and a keyboard must reach them all. */}
          <div className="lab-modes" role="region" aria-label="The race in each mode" tabIndex={0}>
            {concurrencyModes.map((mode) => (
              <ModeColumn
                key={mode}
                mode={mode}
                run={race.runs.get(mode) ?? null}
                script={shown}
                done={!race.running}
                deleted={race.cleanup.status === 'done' || race.cleanup.status === 'deleting'}
              />
            ))}
          </div>
        </section>
      )}
    </main>
  );
}

/** `PUT` on the document itself, or on one of its sub-resources (`/lock`). */
function requestLabel(run: ModeRun, request: string): string {
  const [method = '', path = ''] = request.split(' ');
  const own = `/api/docs/${encodeURIComponent(run.docId)}`;
  const rest = path.startsWith(own) ? path.slice(own.length) : path;
  return rest ? `${method} …${rest}` : method;
}

/** A long entity tag with its middle left out (`"66f991…fe.8"`): the ends tell tags apart, the Inspector has them whole. */
function shortTag(value: string): string {
  return value.startsWith('"') && value.length > 14 ? `${value.slice(0, 7)}…${value.slice(-5)}` : value;
}

/** The race's documents stay for study (each column opens its own) until someone deletes them. */
function Cleanup({ race }: { race: RaceState }) {
  const { cleanup } = race;
  if (cleanup.status === 'done')
    return (
      <p role="status" className="hint">
        {cleanup.deleted === cleanup.of
          ? `The race's ${cleanup.of} documents are deleted.`
          : `${cleanup.deleted} of the race's ${cleanup.of} documents are deleted; someone changed the others since.`}
      </p>
    );
  return (
    <p className="lab-cleanup">
      <button type="button" className="button-quiet" aria-disabled={cleanup.status === 'deleting' || undefined} onClick={race.deleteDocuments}>
        Delete the race's documents
      </button>{' '}
      <span className="hint">They stay on the server, in everyone's list, until then.</span>
      {cleanup.status === 'failed' && <ErrorAlert error={cleanup.error} prefix="They could not be deleted: " />}
    </p>
  );
}

function ModeColumn({
  mode,
  run,
  script,
  done,
  deleted,
}: {
  mode: ConcurrencyMode;
  run: ModeRun | null;
  script: RaceScript;
  done: boolean;
  deleted: boolean;
}) {
  const finished = run !== null && (run.final !== null || run.error !== null || done);
  const verdict = run && finished ? raceVerdict(run, script) : null;
  const rows = run ? timelineRows(run.exchanges, mode) : [];
  const headingId = `lab-mode-${mode}`;
  return (
    <section className="lab-mode" aria-labelledby={headingId} data-tone={verdict ? (verdict.lostUpdate ? 'damaged' : 'clean') : undefined}>
      <h3 id={headingId}>{mode}</h3>
      <p className="hint">{MODE_NEEDS[mode]}</p>
      {verdict ? (
        <p className={`lab-verdict ${verdict.lostUpdate ? 'lab-verdict-damaged' : 'lab-verdict-clean'}`} data-testid="race-verdict">
          {verdict.headline}
        </p>
      ) : (
        <p className="hint">{done ? 'Not run.' : 'Running…'}</p>
      )}
      <ol className="lab-timeline" aria-label={`Timeline of ${mode}`}>
        {rows.map((row, i) => (
          <li key={i} className={`lab-row lab-row-${row.tone}`}>
            <span className="lab-row-head">
              <span className="lab-row-at">{row.at}</span> <strong>{row.actor}</strong> <code>{requestLabel(run as ModeRun, row.request)}</code>{' '}
              <span className="lab-row-status">{row.status}</span>
            </span>
            {row.conditions.length > 0 && (
              <span className="lab-row-conditions">
                {row.conditions.map(([name, value]) => (
                  <code key={name} title={value}>
                    {name}: {shortTag(value)}
                  </code>
                ))}
              </span>
            )}
            <span className="lab-row-says">{row.says}</span>
          </li>
        ))}
      </ol>
      {verdict && (
        <ul className="lab-racers" aria-label={`Who got what in ${mode}`}>
          {verdict.racers.map((racer) => (
            <li key={racer.name}>
              <span className={`lab-fate lab-fate-${racer.fate}`}>{racer.fate}</span> {racer.says}
            </li>
          ))}
        </ul>
      )}
      {verdict && verdict.serverReported.length > 0 && (
        <p className="hint">The server’s history marks version{verdict.serverReported.length === 1 ? '' : 's'} {verdict.serverReported.join(', ')} lost.</p>
      )}
      {run?.final && (
        <>
          <h4 className="lab-final-heading">Final text, version {run.final.version}</h4>
          <pre className="lab-result-text" aria-label={`Final text in ${mode}`}>
            {run.final.content}
          </pre>
          {!deleted && (
            <p>
              <Link href={docRoute(run.docId)}>Open “{run.title}”</Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}
