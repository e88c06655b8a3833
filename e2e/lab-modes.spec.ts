import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures.ts';
import type { Page } from '@playwright/test';

/** The modes page: the race form, and one column per concurrency mode. */
function modesPage(page: Page) {
  const column = (mode: string) => page.getByRole('region', { name: mode, exact: true });
  return {
    heading: page.getByRole('heading', { level: 1, name: 'The same race, every concurrency mode' }),
    run: page.getByRole('button', { name: 'Run the race' }),
    timing: (name: string) => page.getByRole('group', { name: 'Timing of the saves' }).getByRole('radio', { name: new RegExp(`^${name}`) }),
    carol: page.getByRole('checkbox', { name: /Add Carol/ }),
    results: page.getByRole('heading', { level: 2, name: /^Race \d\d:\d\d:\d\d \w{4}: / }),
    column,
    verdict: (mode: string) => column(mode).getByTestId('race-verdict'),
    timeline: (mode: string) => column(mode).getByRole('list', { name: `Timeline of ${mode}` }),
    finalText: (mode: string) => column(mode).getByLabel(`Final text in ${mode}`),
  };
}

const ALICE_LINE = 'Meet at the main gate at 8:00.';
const BOB_LINE = 'Back at school by 16:00, after the planetarium.';

test.describe('the modes page', () => {
  test('one button races Alice and Bob in every mode; the inspector has the requests and another tab sees the documents live', async ({ alice, bob, api }) => {
    const lab = modesPage(alice.page);
    await bob.list.goto('Bob');
    await alice.page.goto('/?as=Alice');
    await alice.page.getByRole('link', { name: 'Modes' }).click();
    await expect(lab.heading).toBeVisible();
    await alice.inspector.open();
    await expect(lab.timing('Same second')).toBeChecked();

    await lab.run.click();
    await expect(alice.page.getByRole('status').filter({ hasText: /^Race .*: done\.$/ })).toBeVisible({ timeout: 15_000 });
    const label = /^Race (\d\d:\d\d:\d\d \w{4})/.exec((await lab.results.textContent()) ?? '')?.[1];
    expect(label).toBeDefined();

    // none: Bob's save passes over Alice's unseen, and the page says her update is lost.
    await expect(lab.verdict('none')).toHaveText('Lost update: Alice was told "saved", and the change is gone.');
    await expect(lab.timeline('none').getByRole('listitem').filter({ hasText: 'Bob saves version 3, replacing version 2 unseen: a lost update.' })).toContainText(
      'X-Based-On:',
    );
    await expect(lab.finalText('none')).toContainText(BOB_LINE);
    await expect(lab.finalText('none')).not.toContainText(ALICE_LINE);
    await expect(lab.column('none')).toContainText('The server’s history marks version 2 lost.');

    // etag: Bob's If-Match is stale and he is told.
    await expect(lab.verdict('etag')).toHaveText('No update lost: Bob refused and told.');
    const refused = lab.timeline('etag').getByRole('listitem').filter({ hasText: '409 edit-conflict' });
    await expect(refused).toContainText('Bob');
    await expect(refused).toContainText('If-Match: "');

    // lock: Alice holds it; Bob is refused the lock and then his save.
    await expect(lab.verdict('lock')).toHaveText('No update lost: Bob refused and told.');
    await expect(lab.timeline('lock')).toContainText('Bob is refused the lock: Alice holds the lock.');
    await expect(lab.timeline('lock')).toContainText("Bob's save is refused: Alice holds the lock.");

    // server-merge: Bob's stale save is merged with Alice's, and both lines are in.
    await expect(lab.verdict('server-merge')).toHaveText('No update lost: Bob merged by the server.');
    await expect(lab.finalText('server-merge')).toContainText(ALICE_LINE);
    await expect(lab.finalText('server-merge')).toContainText(BOB_LINE);

    // timestamp: within the second, Bob's If-Unmodified-Since still passes; past it, he is refused.
    await expect(lab.timeline('timestamp')).toContainText('If-Unmodified-Since:');
    await expect(lab.verdict('timestamp')).toHaveText(/^(Lost update: Alice was told "saved", and the change is gone\.|No update lost: Bob refused and told\.)$/);

    // What the page shows is what the server has.
    const docs = await api.list();
    for (const mode of ['none', 'timestamp', 'etag', 'lock', 'server-merge']) {
      const summary = docs.find((d) => d.title === `Race ${label} · ${mode}`);
      expect(summary, mode).toBeDefined();
      const { doc } = await api.current(summary?.id ?? '');
      await expect(lab.finalText(mode)).toHaveText(doc.content);
      // The other tab's list got each race document from the event stream, at its last version.
      await expect(bob.list.row(`Race ${label} · ${mode}`)).toBeVisible();
    }

    // Every request went through the app's client: the inspector lists the lock requests and the saves with their users.
    await expect(alice.inspector.requests('POST', '/lock')).toHaveCount(2);
    await expect(alice.inspector.requests('PUT', '/concurrency')).toHaveCount(5);

    // Each column opens its document in the editor.
    await lab.column('server-merge').getByRole('link', { name: `Open “Race ${label} · server-merge”` }).click();
    await expect(alice.editor.content).toHaveValue(/Back at school by 16:00/);
  });

  test('2 s apart with Carol: the timestamp catches Bob, the server merges Bob and refuses Carol; then the documents go', async ({ alice, api }) => {
    test.slow();
    const lab = modesPage(alice.page);
    await alice.page.goto('/lab/modes?as=Alice');
    await lab.timing('2 s apart').check();
    await lab.carol.check();
    await lab.run.click();
    // The columns fill while the race runs.
    await expect(lab.timeline('etag')).toContainText('Alice reads version 1');
    await expect(alice.page.getByRole('status').filter({ hasText: /: done\.$/ })).toBeVisible({ timeout: 30_000 });

    await expect(lab.verdict('timestamp')).toHaveText('No update lost: Bob and Carol refused and told.');
    await expect(lab.verdict('server-merge')).toHaveText('No update lost: Bob merged by the server; Carol refused and told.');
    await expect(lab.verdict('none')).toHaveText('Lost update: Alice and Bob were told "saved", and the change is gone.');
    await expect(lab.finalText('none')).toContainText('Meet at the main gate at 8:30.');
    await expect(lab.column('server-merge').getByRole('list', { name: 'Who got what in server-merge' })).toContainText(
      'Carol was refused with 409 and would see the conflict to merge.',
    );

    // The race's documents stay until deleted; then they are gone from the server, and the columns stay to read.
    const label = /^Race (\d\d:\d\d:\d\d \w{4})/.exec((await lab.results.textContent()) ?? '')?.[1];
    const raceTitles = async () => (await api.list()).filter((d) => d.title.startsWith(`Race ${label} · `)).map((d) => d.title);
    expect(await raceTitles()).toHaveLength(5);
    await alice.page.getByRole('button', { name: "Delete the race's documents" }).click();
    await expect(alice.page.getByRole('status').filter({ hasText: "The race's 5 documents are deleted." })).toBeVisible();
    expect(await raceTitles()).toEqual([]);
    await expect(lab.column('etag').getByRole('link')).toHaveCount(0);
    await expect(lab.verdict('etag')).toBeVisible();

    // Readable for everyone, light and dark, wide and narrow: on a phone the columns scroll inside the page.
    const violations = async () => {
      const results = await new AxeBuilder({ page: alice.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      return results.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
    };
    expect(await violations()).toEqual([]);
    await alice.page.emulateMedia({ colorScheme: 'dark' });
    expect(await violations()).toEqual([]);
    await alice.page.setViewportSize({ width: 360, height: 740 });
    const overflow = await alice.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await violations()).toEqual([]);
  });
});
