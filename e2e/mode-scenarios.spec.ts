import type { Page, Route } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import type { Actor } from './fixtures.ts';

/**
 * The one-click scenario of each concurrency mode (Simulation panel, "Scenarios per mode"): one
 * person plays it, and another, on the same document in another browser context, watches it
 * happen through the event stream. The scenario's own throwaway document is created by the
 * player's click; its mode is held back on the network until the watcher has it open, so the
 * watcher sees every step arrive live.
 */

/** Holds the player's `PUT /api/docs/{id}/concurrency` (the scenario's set-up) until `release` is called. */
async function holdSetUp(page: Page): Promise<{ docId: Promise<string>; release: () => void }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let found: (id: string) => void = () => {};
  const docId = new Promise<string>((resolve) => (found = resolve));
  await page.route('**/api/docs/*/concurrency', async (route: Route) => {
    if (route.request().method() !== 'PUT') return route.fallback();
    found(decodeURIComponent(new URL(route.request().url()).pathname.split('/')[3] ?? ''));
    await released;
    await route.fallback();
  });
  return { docId, release };
}

/** The watcher opens the document as Dana, and waits for the stream to be live. */
async function watch(watcher: Actor, docId: string): Promise<void> {
  await watcher.editor.goto(docId, 'Dana');
  await expect(watcher.awareness.connection).toHaveText('Live');
}

/** The player starts `title` from the Simulation panel; the watcher opens the document (`open`). */
async function play(player: Actor, watcher: Actor, title: string, open = watch): Promise<{ docId: string; scenario: ReturnType<Page['getByTestId']> }> {
  await player.page.goto('/?as=Teacher');
  await player.inspector.open();
  await player.simulation.open();
  const hold = await holdSetUp(player.page);
  const section = player.simulation.root.getByRole('region', { name: 'Scenarios per mode' });
  await section.getByRole('button', { name: title }).click();
  const docId = await hold.docId;
  // The watcher's stream is open before anything happens, so it sees each step arrive as it
  // happens (Bob holding the lock, then Alice), not only where the story ends, which is all a tab
  // that connects late catches up on.
  await open(watcher, docId);
  hold.release();
  await expect(player.page).toHaveURL(new RegExp(`/docs/${docId}`));
  const scenario = section.getByRole('listitem').filter({ has: player.page.getByRole('button', { name: title }) });
  return { docId, scenario };
}

const OUTCOME_WAIT = { timeout: 30_000 };

test.describe('scenarios per mode', () => {
  test('What goes wrong without If-Match: both saves pass, and the watcher is told Bob’s change is gone', async ({ alice: player, bob: watcher, api }) => {
    const { docId, scenario } = await play(player, watcher, 'What goes wrong without If-Match');
    const outcome = scenario.getByRole('status').filter({ hasText: 'Bob’s change is gone' });
    await expect(outcome).toContainText('Alice’s save replaced version 2 without seeing it: Bob’s change is gone.', OUTCOME_WAIT);
    await expect(outcome).toContainText('the server keeps whichever save arrives last');

    // The watcher's tab learnt it from the stream, without a reload.
    const notice = watcher.page.getByTestId('lost-update');
    await expect(notice).toContainText('Alice’s save replaced version 2 without seeing it');
    await expect(notice).toContainText('Bob’s change is gone');
    await expect(watcher.editor.content).toHaveValue(/then celebrate/);
    await expect(watcher.editor.content).not.toHaveValue(/room 4/);
    expect((await api.current(docId)).doc).toMatchObject({ version: 3, updatedBy: 'Alice' });

    // The player's inspector has the scripted people's requests, the lost update marked.
    const puts = player.inspector.requests('PUT', `/api/docs/${docId}`);
    await expect(puts.filter({ hasText: 'as Bob' })).toHaveCount(1);
    await expect(puts.filter({ hasText: 'as Alice' }).filter({ hasText: 'lost update' })).toHaveCount(1);
  });

  test('A watcher whose first read of the mode was answered before the change, and arrived after it, still learns the mode', async ({ alice: player, bob: watcher }) => {
    // The watcher's stream opens before its editor reads anything (its first read of the document
    // waits for it), so the mode's first read starts after the opening, which reads again only
    // what was read before it. That read is answered at once (the server's mode, the change still
    // held back) and handed to the tab only once the scenario is over: long after the stream told
    // it of the change.
    let deliver = () => {};
    const delivered = new Promise<void>((resolve) => (deliver = resolve));
    const openLate = async (watcher: Actor, docId: string) => {
      let live = () => {};
      const isLive = new Promise<void>((resolve) => (live = resolve));
      let firstRead = true;
      await watcher.page.route(`**/api/docs/${docId}`, async (route: Route) => {
        if (route.request().method() === 'GET') await isLive;
        await route.fallback();
      });
      let answered = () => {};
      const modeAnswered = new Promise<void>((resolve) => (answered = resolve));
      await watcher.page.route(`**/api/docs/${docId}/concurrency`, async (route: Route) => {
        if (route.request().method() !== 'GET' || !firstRead) return route.fallback();
        firstRead = false;
        const response = await route.fetch();
        answered();
        await delivered;
        await route.fulfill({ response });
      });
      const opened = watcher.editor.goto(docId, 'Dana');
      await expect(watcher.awareness.connection).toHaveText('Live');
      live();
      await opened;
      await modeAnswered;
    };
    const { scenario } = await play(player, watcher, 'What goes wrong without If-Match', openLate);
    await expect(scenario.getByRole('status').filter({ hasText: 'Bob’s change is gone' })).toContainText('Alice’s save replaced version 2', OUTCOME_WAIT);
    deliver();

    await expect(watcher.page.getByRole('combobox', { name: 'Concurrency mode of this document' })).toHaveValue('none');
    await expect(watcher.page.getByTestId('lost-update')).toContainText('Alice’s save replaced version 2 without seeing it');
  });

  test('Two saves in the same second: sent with If-Unmodified-Since, and the outcome told as it went', async ({ alice: player, bob: watcher, api }) => {
    const { docId, scenario } = await play(player, watcher, 'Two saves in the same second');
    const outcome = scenario.locator('.mode-scenario-outcome');
    await expect(outcome).toBeVisible(OUTCOME_WAIT);

    // Carol's, Bob's and Alice's saves all went by date, none with If-Match.
    const puts = player.inspector.requests('PUT', `/api/docs/${docId}`).filter({ hasText: 'If-Unmodified-Since' });
    await expect(puts).toHaveCount(3);
    await expect(puts.filter({ hasText: 'If-Match' })).toHaveCount(0);
    await expect(puts.filter({ hasText: 'X-Based-On' })).toHaveCount(3);

    const revisions = (await (await player.page.request.get(`/api/docs/${docId}/revisions`)).json()) as { revisions: Array<{ version: number; lost: boolean }> };
    if ((await outcome.textContent())?.includes('Bob’s change is gone')) {
      // The race fell within one second: the lost update timestamps allow, seen by the watcher too.
      await expect(outcome).toContainText('Alice’s save replaced version 3 without seeing it');
      await expect(watcher.page.getByTestId('lost-update')).toContainText('Alice’s save replaced version 3 without seeing it');
      expect(revisions.revisions.filter((r) => r.lost).map((r) => r.version)).toEqual([3]);
    } else {
      // A slow machine crossed a second: the date caught Bob's save, and nothing was lost.
      await expect(outcome).toContainText('Alice’s save was refused');
      expect(revisions.revisions.filter((r) => r.lost)).toEqual([]);
      await expect(watcher.page.getByTestId('lost-update')).toHaveCount(0);
    }

    // The watcher's own save from the editor goes by date too, in this mode.
    await expect(watcher.editor.content).toHaveValue((await api.current(docId)).doc.content);
    await watcher.editor.write('Dana rewrote it all.\n');
    const response = await watcher.editor.save();
    expect(response.status()).toBe(200);
    const headers = response.request().headers();
    expect(headers['if-unmodified-since']).toMatch(/GMT$/);
    expect(headers['x-based-on']).toMatch(/^"/);
    expect(headers['if-match']).toBeUndefined();
  });

  test('Bob holds the lock: the watcher sees Bob, then Alice, hold it; Alice is refused until Bob hands it over', async ({ alice: player, bob: watcher }) => {
    const { scenario } = await play(player, watcher, 'Bob holds the lock');
    const holder = watcher.page.getByTestId('lock-holder');
    await expect(holder).toContainText(/Bob is editing — until \d{1,2}:\d\d/);
    await expect(watcher.editor.content).not.toBeEditable();
    await expect(holder).toContainText(/Alice is editing — until/, OUTCOME_WAIT);
    await expect(scenario.getByRole('status').filter({ hasText: 'resource-locked' })).toContainText(
      'Alice was refused with 409 resource-locked while Bob held the lock; once he handed it over, her save made version 2.',
    );
    await expect(watcher.editor.content).toHaveValue(/then celebrate/);
    await expect(player.inspector.rows.filter({ hasText: 'lock conflict' })).toHaveCount(1);
  });

  test('The server merges for you: both changes arrive in the watcher’s editor, and no dialog opens', async ({ alice: player, bob: watcher, api }) => {
    const { docId, scenario } = await play(player, watcher, 'The server merges for you');
    await expect(scenario.getByRole('status').filter({ hasText: 'merged' })).toContainText(
      'The server merged Alice’s save from version 1 into Bob’s version 2: both changes are in version 3',
      OUTCOME_WAIT,
    );
    await expect(watcher.editor.content).toHaveValue(/room 4[\s\S]*then celebrate/);
    expect((await api.current(docId)).doc.version).toBe(3);
    await expect(player.inspector.rows.filter({ hasText: 'merged by the server' })).toHaveCount(1);
    await expect(watcher.dialog.root).toHaveCount(0);
  });

  test('Edit an archived document: the watcher’s editor turns read-only, and Alice gets resource-state', async ({ alice: player, bob: watcher }) => {
    const { scenario } = await play(player, watcher, 'Edit an archived document');
    await expect(watcher.page.getByTestId('archived-banner')).toBeVisible(OUTCOME_WAIT);
    await expect(watcher.editor.content).not.toBeEditable();
    await expect(scenario.getByRole('status').filter({ hasText: 'resource-state' })).toContainText(
      'Alice’s save was refused with 409 resource-state: the document is archived, and from there it may only become draft.',
      OUTCOME_WAIT,
    );
    await expect(player.inspector.rows.filter({ hasText: 'state conflict' })).toHaveCount(1);
  });
});
