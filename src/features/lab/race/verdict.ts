/**
 * Was an update lost? Each person's fate in one mode's race, worked out from what the server
 * answered their save and whether their change is in the final text; and the server's own report
 * (the versions its history marks lost) beside it. Pure.
 */
import { isSuccess, problemSlug, type ModeRun } from './record.ts';
import { containsEdit, type RaceScript, type Racer } from './script.ts';

export type Fate =
  /** Saved, and the change is in the final text. */
  | 'kept'
  /** Saved after the server merged it with a newer version; the change is in the final text. */
  | 'merged'
  /** Refused (a conflict or the lock) and told so: the change is not in, but its author knows. */
  | 'refused'
  /** Told "saved" (a 2xx), yet the change is not in the final text: a lost update. */
  | 'lost'
  /** No answer, or an answer that is neither: the race could not say. */
  | 'unknown';

export interface RacerVerdict {
  name: string;
  fate: Fate;
  /** One sentence. */
  says: string;
}

export interface RaceVerdict {
  /** Whether someone was told their change was saved and it is gone. */
  lostUpdate: boolean;
  /** One sentence for the column. */
  headline: string;
  racers: RacerVerdict[];
  /** The versions the server's history marks lost. */
  serverReported: number[];
}

function racerVerdict(run: ModeRun, racer: Racer): RacerVerdict {
  const save = run.exchanges.find((e) => e.step === 'save' && e.actor === racer.name);
  const name = racer.name;
  if (!save) return { name, fate: 'unknown', says: `${name} never saved.` };
  if (save.status === 0) return { name, fate: 'unknown', says: `${name}'s save got no answer.` };
  const inFinal = run.final !== null && containsEdit(run.final.content, racer);
  if (isSuccess(save)) {
    if (!run.final) return { name, fate: 'unknown', says: `${name} saved version ${save.version}, but the result could not be read.` };
    if (!inFinal) return { name, fate: 'lost', says: `${name} was told "saved" (version ${save.version}), but the change is not in the final text.` };
    if (save.mergedFrom) return { name, fate: 'merged', says: `${name}'s change was merged by the server and is in the final text.` };
    return { name, fate: 'kept', says: `${name}'s change is in the final text.` };
  }
  const slug = problemSlug(save.problem);
  if (slug === 'resource-locked') return { name, fate: 'refused', says: `${name} was refused by the lock and knows to wait.` };
  if (slug === 'edit-conflict') return { name, fate: 'refused', says: `${name} was refused with ${save.status} and would see the conflict to merge.` };
  return { name, fate: 'unknown', says: `${name}'s save failed with ${save.status}${slug ? ` ${slug}` : ''}.` };
}

const names = (verdicts: readonly RacerVerdict[]) =>
  verdicts.length === 1 ? (verdicts[0]?.name ?? '') : `${verdicts.slice(0, -1).map((v) => v.name).join(', ')} and ${verdicts.at(-1)?.name}`;

export function raceVerdict(run: ModeRun, script: RaceScript): RaceVerdict {
  const racers = script.racers.map((racer) => racerVerdict(run, racer));
  const of = (fate: Fate) => racers.filter((r) => r.fate === fate);
  const lost = of('lost');
  const serverReported = run.lostVersions;
  let headline: string;
  if (run.error) headline = `Not run to the end: ${run.error}`;
  else if (lost.length > 0)
    headline = `Lost update: ${names(lost)} ${lost.length === 1 ? 'was' : 'were'} told "saved", and the change is gone${serverReported.length > 0 ? '' : ' (the server did not notice)'}.`;
  else if (of('unknown').length > 0) headline = `Could not tell: ${names(of('unknown'))} got no usable answer.`;
  else {
    const parts: string[] = [];
    if (of('merged').length) parts.push(`${names(of('merged'))} merged by the server`);
    if (of('refused').length) parts.push(`${names(of('refused'))} refused and told`);
    headline = `No update lost${parts.length ? `: ${parts.join('; ')}` : ': every change is in'}.`;
  }
  return { lostUpdate: lost.length > 0, headline, racers, serverReported };
}
