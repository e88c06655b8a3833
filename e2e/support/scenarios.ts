import { expect } from '@playwright/test';
import { SAMPLE } from '../fixtures.ts';
import type { Actor } from '../fixtures.ts';

/**
 * The two-conflict story on the sample text: Alice and Bob both rewrite Monday's and Wednesday's
 * lines, differently. `resolved` is the text with Bob's Monday and Alice's Wednesday, what taking
 * theirs on the first conflict and mine on the second gives.
 */
export const TWO_CONFLICTS = {
  mine: SAMPLE.replace('Monday: write the outline.', 'Monday: draft the outline with Alice.').replace(
    'Wednesday: ship it.',
    'Wednesday: ship it to everyone.',
  ),
  theirs: SAMPLE.replace('Monday: write the outline.', 'Monday: Bob drafts the outline alone.').replace(
    'Wednesday: ship it.',
    'Wednesday: ship it to the beta group.',
  ),
  resolved: SAMPLE.replace('Monday: write the outline.', 'Monday: Bob drafts the outline alone.').replace(
    'Wednesday: ship it.',
    'Wednesday: ship it to everyone.',
  ),
};

/**
 * Changes far apart, nothing in conflict: Alice retitles the plan in its heading, Bob adds to
 * Wednesday's line. `merged` has both, what Merge saves.
 */
export const NO_CONFLICT = {
  mine: SAMPLE.replace('# Plan', '# Plan for the launch'),
  theirs: SAMPLE.replace('Wednesday: ship it.', 'Wednesday: ship it, then rest.'),
  merged: SAMPLE.replace('# Plan', '# Plan for the launch').replace('Wednesday: ship it.', 'Wednesday: ship it, then rest.'),
};

/** The two-conflict story up to the open dialog (see otherSavesFirst), Alice's save refused. */
export async function twoConflictsOpen(docId: string, alice: Actor, bob: Actor): Promise<void> {
  await otherSavesFirst(docId, alice, bob, TWO_CONFLICTS.mine, TWO_CONFLICTS.theirs);
}

/** One conflict on the sample text: Alice and Bob rewrite Tuesday's line differently; up to the open dialog. */
export async function oneConflictOpen(docId: string, alice: Actor, bob: Actor): Promise<void> {
  await otherSavesFirst(
    docId,
    alice,
    bob,
    SAMPLE.replace('Tuesday: review it with the team.', 'Tuesday: Alice reviews.'),
    SAMPLE.replace('Tuesday: review it with the team.', 'Tuesday: Bob reviews.'),
  );
}

/**
 * The story every conflict test starts from: both users open version 1, each edits it, the other
 * saves first, and the first user's save is refused with a 409 that opens the dialog.
 */
export async function otherSavesFirst(docId: string, me: Actor, other: Actor, mine: string, theirs: string): Promise<void> {
  await me.open(docId);
  await other.open(docId);
  await me.editor.write(mine);
  await other.editor.write(theirs);
  expect((await other.editor.save()).status()).toBe(200);
  await other.editor.expectSaved(2);

  expect((await me.editor.save()).status()).toBe(409);
  await me.dialog.expectOpen();
}

/**
 * A save of a document (a PUT under /api/docs/), not the presence announcements a tab also sends
 * with PUT while someone types.
 */
export function isDocumentPut(request: { method(): string; url(): string }): boolean {
  return request.method() === 'PUT' && new URL(request.url()).pathname.startsWith('/api/docs/');
}

/** Resolves with the PUT the dialog sends, so a test can check its If-Match and status. */
export function nextPut(actor: Actor) {
  return actor.page.waitForResponse((r) => isDocumentPut(r.request()));
}
