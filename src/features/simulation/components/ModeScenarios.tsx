import { useId, useState } from 'react';
import { ErrorAlert } from '../../../lib/ErrorAlert.tsx';
import { navigate } from '../../../lib/router.tsx';
import { docRoute } from '../../../protocol/paths.ts';
import { MODE_SCENARIO_TITLES, modeScenarioNames, runModeScenario, type ModeScenarioName, type ScenarioOutcome } from '../mode-scenarios.ts';

/** Time between two steps of a scenario: long enough to follow each one in the editor and the inspector. */
export const STEP_PAUSE_MS = 900;

interface Run {
  name: ModeScenarioName;
  steps: string[];
  docId: string | null;
  outcome: ScenarioOutcome | null;
  error: unknown;
}

/**
 * One click per concurrency mode: a clean throwaway document in that mode, opened in this tab,
 * and scripted people acting on it through the real API, step by step; then what happened, in
 * one sentence, and why, in another. Another tab on the same document watches it live.
 */
export function ModeScenarios() {
  const headingId = useId();
  const [runs, setRuns] = useState<Partial<Record<ModeScenarioName, Run>>>({});
  const [running, setRunning] = useState<ModeScenarioName | null>(null);

  async function start(name: ModeScenarioName) {
    setRunning(name);
    const update = (change: Partial<Run>) => setRuns((all) => ({ ...all, [name]: { ...(all[name] as Run), ...change } }));
    setRuns((all) => ({ ...all, [name]: { name, steps: [], docId: null, outcome: null, error: null } }));
    try {
      const outcome = await runModeScenario(name, {
        pause: () => new Promise((resolve) => setTimeout(resolve, STEP_PAUSE_MS)),
        onReady: (docId) => {
          update({ docId });
          navigate(docRoute(docId));
        },
        onStep: (line) => setRuns((all) => ({ ...all, [name]: { ...(all[name] as Run), steps: [...(all[name]?.steps ?? []), line] } })),
      });
      update({ outcome });
    } catch (error) {
      update({ error });
    } finally {
      setRunning(null);
    }
  }

  return (
    <section className="sim-form mode-scenarios" aria-labelledby={headingId}>
      <h3 id={headingId}>Scenarios per mode</h3>
      <p className="hint">
        Each makes a clean document in its mode and opens it here, then Alice, Bob and Carol act on it through the API (their requests are in
        the inspector). Open the document in another tab to watch it happen there too.
      </p>
      <ul className="mode-scenario-list">
        {modeScenarioNames.map((name) => {
          const run = runs[name];
          return (
            <li key={name} className="mode-scenario" data-testid={`mode-scenario-${name}`}>
              <button type="button" className="button-quiet" disabled={running !== null} onClick={() => void start(name)}>
                {MODE_SCENARIO_TITLES[name]}
              </button>
              {run && (
                <div className="mode-scenario-run">
                  {run.steps.length > 0 && (
                    <ol className="mode-scenario-steps" aria-label={`Steps of “${MODE_SCENARIO_TITLES[name]}”`}>
                      {run.steps.map((step, i) => (
                        <li key={i}>{step}</li>
                      ))}
                    </ol>
                  )}
                  {running === name && <p role="status">Playing…</p>}
                  {run.outcome && (
                    <div role="status" className="mode-scenario-outcome">
                      <p>
                        <strong>{run.outcome.outcome}</strong>
                      </p>
                      <p className="hint">{run.outcome.explanation}</p>
                    </div>
                  )}
                  <ErrorAlert error={run.error} prefix="The scenario stopped: " />
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
