/**
 * Builds what the conflict dialog shows from a 409 body. Pure, so the rules are tested on their own.
 */
import type { ConflictInput } from '../conflict/types.ts';
import type { EditConflictProblem } from '../../protocol/problems.ts';

type TextVersion = { title: string; content: string; version: number };
type Text = { title: string; content: string };

/** First 409 of a save: `base` from the body, or the draft's own base when the server no longer knows it. */
export function conflictFromProblem(problem: EditConflictProblem, draftBase: TextVersion, mine: Text): ConflictInput {
  const base = problem.base
    ? { title: problem.base.title, content: problem.base.content, version: problem.base.version }
    : { title: draftBase.title, content: draftBase.content, version: draftBase.version };
  return {
    docId: problem.current.id,
    base,
    mine: { title: mine.title, content: mine.content },
    theirs: problem.current,
    currentEtag: problem.currentEtag,
    changesSince: problem.changesSince,
    arrivedDuringResolution: 0,
  };
}

/**
 * A further 409 while resolving: someone saved again. The version just merged against becomes the
 * base, the resolution so far becomes mine, and the newest version becomes theirs.
 */
export function conflictAfterResolution(previous: ConflictInput, resolution: Text, problem: EditConflictProblem): ConflictInput {
  const theirs = previous.theirs;
  return {
    docId: problem.current.id,
    base: { title: theirs.title, content: theirs.content, version: theirs.version },
    mine: { title: resolution.title, content: resolution.content },
    theirs: problem.current,
    currentEtag: problem.currentEtag,
    changesSince: problem.changesSince,
    arrivedDuringResolution: Math.max(1, problem.current.version - theirs.version),
  };
}

/** "Notes" → "Notes (2)", "Notes (2)" → "Notes (3)": a title to offer after a duplicate-title answer. */
export function suggestTitle(title: string): string {
  const match = /^(.*) \((\d+)\)$/.exec(title.trim());
  if (match?.[1] !== undefined && match[2] !== undefined) return `${match[1]} (${Number(match[2]) + 1})`;
  return `${title.trim()} (2)`;
}
