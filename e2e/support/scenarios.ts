import { expect } from '@playwright/test';
import type { Actor } from '../fixtures.ts';

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

/** Resolves with the PUT the dialog sends, so a test can check its If-Match and status. */
export function nextPut(actor: Actor) {
  return actor.page.waitForResponse((r) => r.request().method() === 'PUT');
}
