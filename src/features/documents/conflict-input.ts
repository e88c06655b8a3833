/**
 * Builds what the conflict dialog shows from a 409 body. Pure, so the rules are tested on their own.
 */
import type { ConflictInput } from '../conflict/types.ts';
import type { ChangeSince, EditConflictProblem } from '../../protocol/problems.ts';
import type { Document, Revision } from '../../protocol/types.ts';

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
 * "Review and merge now", before any save: the same three-way input a 409 would give, built from
 * the draft and the version just fetched. The draft's own base is the base, so nothing the user
 * typed is compared against a version they never saw. A draft on no known base (null) is compared
 * against nothing: an empty base of no version, so every difference from the latest shows as one
 * the user chooses, and no save in between is named as one they missed.
 */
export function conflictFromLatest(
  draftBase: TextVersion | null,
  mine: Text,
  latest: { doc: Document; etag: string },
  revisions: Revision[] | null,
): ConflictInput {
  return {
    docId: latest.doc.id,
    base: draftBase ? { title: draftBase.title, content: draftBase.content, version: draftBase.version } : { title: '', content: '', version: null },
    mine: { title: mine.title, content: mine.content },
    theirs: latest.doc,
    currentEtag: latest.etag,
    changesSince: draftBase ? changesBetween(draftBase.version, latest.doc, revisions) : [],
    arrivedDuringResolution: 0,
  };
}

/** The saves after `from` up to `latest`, from the revision list when there is one, else just `latest`. */
function changesBetween(from: number, latest: Document, revisions: Revision[] | null): ChangeSince[] {
  const listed = (revisions ?? [])
    .filter((r) => r.version > from && r.version <= latest.version)
    .map(({ version, updatedBy, updatedAt }) => ({ version, updatedBy, updatedAt }));
  if (listed.some((r) => r.version === latest.version)) return listed;
  return [...listed, { version: latest.version, updatedBy: latest.updatedBy, updatedAt: latest.updatedAt }];
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

/**
 * A newer version arrived on the event stream while the dialog is open, and the user asked to
 * compare against it: the base and mine stay (nothing the user typed is rebased behind their
 * back), theirs becomes the newest version and its ETag the next If-Match. The dialog keeps every
 * choice whose conflict text did not change, as after a further 409.
 */
export function conflictWithNewer(previous: ConflictInput, latest: { doc: Document; etag: string }): ConflictInput {
  const { doc } = latest;
  if (doc.version <= previous.theirs.version) return previous;
  const known = previous.changesSince.filter((c) => c.version < doc.version);
  return {
    ...previous,
    theirs: doc,
    currentEtag: latest.etag,
    changesSince: [...known, { version: doc.version, updatedBy: doc.updatedBy, updatedAt: doc.updatedAt }],
    arrivedDuringResolution: previous.arrivedDuringResolution + (doc.version - previous.theirs.version),
  };
}

/** "Notes" → "Notes (2)", "Notes (2)" → "Notes (3)": a title to offer after a duplicate-title answer. */
export function suggestTitle(title: string): string {
  const match = /^(.*) \((\d+)\)$/.exec(title.trim());
  if (match?.[1] !== undefined && match[2] !== undefined) return `${match[1]} (${Number(match[2]) + 1})`;
  return `${title.trim()} (2)`;
}
