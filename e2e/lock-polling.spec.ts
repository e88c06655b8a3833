import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

/** Counts the page's reads of one document's lock (`GET …/lock`). */
function countLockReads(page: Page, docId: string): { readonly count: number } {
  const counter = { count: 0 };
  page.on('request', (request) => {
    if (request.method() === 'GET' && new URL(request.url()).pathname === `/api/docs/${docId}/lock`) counter.count += 1;
  });
  return counter;
}

/**
 * Every request the page sent before this call has been seen by the test: the browser reports
 * requests in order, so once a later one is seen, the earlier ones were too.
 */
async function requestsSeen(page: Page): Promise<void> {
  const marker = `/api/docs?seen=${Date.now()}`;
  const seen = page.waitForRequest((request) => request.url().endsWith(marker));
  await page.evaluate((url) => fetch(url).then(() => undefined), marker);
  await seen;
}

const asBob = { 'X-User': 'Bob', 'Content-Type': 'application/json' };

async function lockMode(request: APIRequestContext, docId: string): Promise<void> {
  const response = await request.put(`/api/docs/${docId}/concurrency`, { headers: asBob, data: { concurrency: 'lock' } });
  expect(response.status()).toBe(200);
}

test.describe('the lock panel’s reads', () => {
  test('a document nobody locks costs no lock reads while open; a lease out is looked at until it ends', async ({ doc, alice, request }) => {
    await alice.page.clock.install();
    const reads = countLockReads(alice.page, doc.id);
    await alice.open(doc.id);
    await expect(alice.page.getByTestId('connection-status')).toHaveText('Live');
    await expect.poll(() => reads.count).toBeGreaterThanOrEqual(1);
    await requestsSeen(alice.page);
    // Read on opening, and once more if the stream opened after that first read.
    const opened = reads.count;
    expect(opened).toBeLessThanOrEqual(2);

    // Two minutes with the document open and no lease: no reads (it used to be one every 15 s).
    await alice.page.clock.runFor(2 * 60_000);
    await requestsSeen(alice.page);
    expect(reads.count).toBe(opened);

    // The mode turns to `lock`: the event brings the panel at once, with one read.
    await lockMode(request, doc.id);
    const panel = alice.page.getByRole('group', { name: 'Document lock' });
    await expect(panel.getByRole('button', { name: 'Take the lock to edit' })).toBeVisible();
    await alice.page.clock.runFor(2 * 60_000);
    await requestsSeen(alice.page);
    expect(reads.count).toBe(opened + 1);

    // Bob takes the lock: Alice hears it from the stream, and from then on looks again now and then,
    // since a lease can run out with no event to say so.
    const taken = await request.post(`/api/docs/${doc.id}/lock`, { headers: asBob, data: { seconds: 600 } });
    expect(taken.status()).toBe(200);
    await expect(alice.page.getByTestId('lock-holder')).toContainText('Bob is editing');
    await requestsSeen(alice.page);
    const afterTaken = reads.count;
    for (let look = 1; look <= 3; look += 1) {
      // Each look is answered before the clock moves on: the next one is timed from the answer, and
      // a look due while the last is still on its way joins it rather than sending another.
      const answered = alice.page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === `/api/docs/${doc.id}/lock`);
      await alice.page.clock.runFor(15_000);
      await answered;
      await requestsSeen(alice.page);
      expect(reads.count).toBe(afterTaken + look);
    }

    // Bob lets it go: no lease out, no more looking.
    const released = await request.delete(`/api/docs/${doc.id}/lock`, { headers: asBob });
    expect(released.status()).toBe(204);
    await expect(panel.getByRole('button', { name: 'Take the lock to edit' })).toBeVisible();
    await requestsSeen(alice.page);
    const afterRelease = reads.count;
    await alice.page.clock.runFor(2 * 60_000);
    await requestsSeen(alice.page);
    expect(reads.count).toBe(afterRelease);
  });
});
