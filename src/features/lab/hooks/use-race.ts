import { useRef, useState } from 'react';
import { concurrencyModes, type ConcurrencyMode } from '../../../protocol/concurrency.ts';
import type { ModeRun } from '../race/record.ts';
import { newRaceDocumentId, sendThroughApiClient } from '../race/race-api.ts';
import { deleteRaceDocuments, runRace, type RaceRun } from '../race/run-race.ts';
import type { RaceScript } from '../race/script.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => window.setTimeout(resolve, ms));

export interface RaceState {
  /** The script of the race shown (the running one, or the last one run). */
  script: RaceScript | null;
  /** Each mode's record so far, filled as the answers come. */
  runs: ReadonlyMap<ConcurrencyMode, ModeRun>;
  /** The finished race (its label names its documents), or null while none has finished. */
  result: RaceRun | null;
  running: boolean;
  error: unknown;
  run: (script: RaceScript) => void;
  /** What became of the finished race's documents: kept, being deleted, deleted (how many of how many). */
  cleanup: { status: 'kept' } | { status: 'deleting' } | { status: 'done'; deleted: number; of: number } | { status: 'failed'; error: unknown };
  deleteDocuments: () => void;
}

/**
 * The modes page's race: it changes the server (five new documents), is never retried, and its
 * refusals are answers, not errors. Each mode's record shows while it grows. Plain state rather
 * than a query-library mutation: nothing here belongs in the documents cache (the event stream
 * brings the new documents to the list), and the page's chunk stays apart from the first load.
 */
export function useRace(): RaceState {
  const [script, setScript] = useState<RaceScript | null>(null);
  const [runs, setRuns] = useState<ReadonlyMap<ConcurrencyMode, ModeRun>>(new Map());
  const [result, setResult] = useState<RaceRun | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const [cleanup, setCleanup] = useState<RaceState['cleanup']>({ status: 'kept' });
  // One race at a time: the button says so, and a second press while one runs does nothing.
  const busy = useRef(false);

  async function run(race: RaceScript) {
    if (busy.current) return;
    busy.current = true;
    setRunning(true);
    setScript(race);
    setRuns(new Map());
    setResult(null);
    setError(null);
    setCleanup({ status: 'kept' });
    try {
      const finished = await runRace(race, concurrencyModes, {
        send: sendThroughApiClient,
        now: () => Date.now(),
        sleep,
        newId: newRaceDocumentId,
        onProgress: (progress) => setRuns((before) => new Map(before).set(progress.mode, progress)),
      });
      setRuns(new Map(finished.runs.map((r) => [r.mode, r])));
      setResult(finished);
    } catch (cause) {
      setError(cause);
    } finally {
      busy.current = false;
      setRunning(false);
    }
  }

  async function deleteDocuments() {
    if (!result || busy.current) return;
    busy.current = true;
    setCleanup({ status: 'deleting' });
    try {
      const outcomes = await deleteRaceDocuments(result.runs, sendThroughApiClient);
      setCleanup({ status: 'done', deleted: outcomes.filter((o) => o.deleted).length, of: outcomes.length });
    } catch (cause) {
      setCleanup({ status: 'failed', error: cause });
    } finally {
      busy.current = false;
    }
  }

  return { script, runs, result, running, error, run: (race) => void run(race), cleanup, deleteDocuments: () => void deleteDocuments() };
}
