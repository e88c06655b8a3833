import { useId, useState } from 'react';
import { ErrorAlert } from '../../../lib/ErrorAlert.tsx';
import type { ScenarioName } from '../../../protocol/simulation.ts';
import { useRunScenario } from '../api/run-scenario.ts';

export const SCENARIO_USER = 'Bob';

interface Props {
  docId: string;
  /** The 0-based line of the caret in the content, read when a button is pressed. */
  caretLine: () => number;
  /** "Two saves race" needs unsaved changes to race with. */
  canRace: boolean;
  onRace: () => void;
}

const LABELS: Record<ScenarioName, string> = {
  'same-line': `${SCENARIO_USER} edits the same line`,
  'other-paragraph': `${SCENARIO_USER} edits another paragraph`,
  delete: `${SCENARIO_USER} deletes the document`,
};

/**
 * One-click set-ups on this document, so each path of the conflict dialog can be shown on demand:
 * the server saves as Bob, then the person's next save meets what Bob did.
 */
export function ScenarioBar({ docId, caretLine, canRace, onRace }: Props) {
  const run = useRunScenario();
  const headingId = useId();
  const raceHintId = useId();
  const [note, setNote] = useState<string | null>(null);

  function start(scenario: ScenarioName) {
    setNote(null);
    const line = caretLine();
    run.mutate(
      { docId, scenario, user: SCENARIO_USER, line },
      {
        onSuccess: (result) =>
          setNote(
            result.document
              ? `${result.document.updatedBy} saved version ${result.document.version}.`
              : `${SCENARIO_USER} deleted the document.`,
          ),
      },
    );
  }

  return (
    <section className="scenarios" aria-labelledby={headingId}>
      <h2 id={headingId}>Guided scenarios</h2>
      <div className="scenario-buttons">
        {(Object.keys(LABELS) as ScenarioName[]).map((scenario) => (
          <button key={scenario} type="button" className="button-quiet" disabled={run.isPending} onClick={() => start(scenario)}>
            {LABELS[scenario]}
          </button>
        ))}
        <button
          type="button"
          className="button-quiet"
          disabled={!canRace}
          aria-describedby={raceHintId}
          onClick={() => {
            setNote(null);
            onRace();
          }}
        >
          Two saves race
        </button>
      </div>
      <p id={raceHintId} className="hint">
        {canRace
          ? `Two saves race: your changes and a small edit by ${SCENARIO_USER}, sent at once from the same version.`
          : 'Type something first to race your save against one by ' + SCENARIO_USER + '.'}
      </p>
      {note && (
        <p className="hint" role="status">
          {note}
        </p>
      )}
      <ErrorAlert error={run.error} />
    </section>
  );
}

/** The 0-based line a caret offset falls on. */
export function lineAt(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
