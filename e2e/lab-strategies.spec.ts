import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { StrategiesPage } from './support/strategies-page.ts';

const CRDT = 'CRDT (Yjs)';
const WORD = 'Word three-way merge';
const LINE = 'Line three-way merge';
const PATCH = 'diff-match-patch patches';
const MINE_WINS = 'Last writer wins (mine saved last)';

test.describe('the strategies page', () => {
  test('a gallery case: every strategy with its result and what it did to each side', async ({ page }) => {
    const lab = new StrategiesPage(page);
    await page.goto('/');
    await page.getByRole('link', { name: 'Strategies' }).click();
    await expect(lab.heading).toBeVisible();

    await lab.galleryCase('The same fix on both sides').click();
    await expect(lab.galleryCase('The same fix on both sides')).toHaveAttribute('aria-pressed', 'true');
    // The CRDT is loaded on demand, then applies the same edit twice.
    await expect(lab.result(CRDT)).toHaveText('"engines": { "node": ">= 1818" }\n');
    await expect(lab.strategy(CRDT)).toContainText('Clean, but duplicated 1 edit of mine; duplicated 1 edit of theirs');
    await expect(lab.strategy(WORD)).toContainText('Clean: every edit of both sides kept');
    await expect(lab.result(WORD)).toHaveText('"engines": { "node": ">= 18" }\n');

    await lab.galleryCase('The lost update').click();
    await expect(lab.strategy(MINE_WINS)).toContainText('Clean, but lost 1 edit of theirs');
    await expect(lab.strategy(MINE_WINS).getByRole('listitem').filter({ hasText: 'added “ and a raincoat”' })).toContainText('lost');

    await lab.galleryCase('The same insertion on both sides').click();
    await expect(lab.strategy(PATCH)).toContainText('Reported its patch applied.');
    await expect(lab.strategy(PATCH)).toContainText('Clean (reported as applied), but duplicated 1 edit of mine');
    await expect(lab.result(PATCH)).toHaveText('Apples\nPears\nPlums\nPlums\n');

    await lab.galleryCase('An edit of a deleted paragraph').click();
    await expect(lab.strategy(PATCH)).toContainText("Not applied: 2 of theirs' patches could not be placed");
    await expect(lab.strategy(PATCH)).toContainText('Reported 2 of 2 patches as not applied.');
    await expect(lab.result(CRDT)).toHaveText('Trip notes.\n\nback foBack by four.\n');

    await lab.galleryCase('Two rewrites of one sentence').click();
    await expect(lab.strategy(LINE)).toContainText('Conflict: 1 place');
    await expect(lab.result(LINE)).toContainText('<<<<<<< mine');
    await expect(lab.result(CRDT)).toHaveText('We meetmoves to Wednhursday instead.\n');
    // Both rewrites end up interleaved in one sentence: mine's and theirs'.
    await expect(lab.strategy(CRDT).getByText('interleaved', { exact: true })).toHaveCount(2);
  });

  test('a pasted triple is merged by every strategy, shown as text, and kept over a reload', async ({ page }) => {
    const lab = new StrategiesPage(page);
    await lab.goto();
    // An unchanged line between the two edits: every three-way merge keeps both.
    await lab.base.fill('<b>Zoë</b> meets at 10 🕙\nin the hall,\nthen lunch\n');
    await lab.mine.fill('<b>Zoë</b> meets at 11 🕚\nin the hall,\nthen lunch\n');
    await lab.theirs.fill('<b>Zoë</b> meets at 10 🕙\nin the hall,\nthen a long lunch\n');
    await expect(page.getByText('The texts above have changed')).toBeVisible();
    await lab.compare.click();

    const merged = '<b>Zoë</b> meets at 11 🕚\nin the hall,\nthen a long lunch\n';
    await expect(lab.result(WORD)).toHaveText(merged);
    await expect(lab.result(CRDT)).toHaveText(merged);
    await expect(lab.result(PATCH)).toHaveText(merged);
    await expect(lab.strategy(WORD)).toContainText('Clean: every edit of both sides kept');
    await expect(lab.strategy(MINE_WINS)).toContainText('Clean, but lost 1 edit of theirs');
    // Markup in a document is text, never HTML.
    await expect(lab.result(WORD).locator('b')).toHaveCount(0);
    await expect(lab.galleryCase('The lost update')).toHaveAttribute('aria-pressed', 'false');

    await page.reload();
    await expect(lab.mine).toHaveValue('<b>Zoë</b> meets at 11 🕚\nin the hall,\nthen lunch\n');
    await expect(lab.result(CRDT)).toHaveText(merged);
  });

  test('opens on a conflict another page handed over', async ({ page }) => {
    const lab = new StrategiesPage(page);
    await page.goto('/');
    // What the public entry compareStrategies() does before navigating here.
    await page.evaluate(() =>
      sessionStorage.setItem('conflict-lab:strategies-triple', JSON.stringify({ base: 'a\n', mine: 'a mine\n', theirs: 'a theirs\n' })),
    );
    await lab.goto();
    await expect(lab.base).toHaveValue('a\n');
    await expect(lab.strategy(WORD)).toContainText('Conflict: 1 place');
    await expect(lab.result(CRDT)).toHaveText('a mine theirs\n');
    // Never a conflict: both insertions kept, one after the other.
    await expect(lab.strategy(CRDT)).toContainText('Clean: every edit of both sides kept');
  });

  test('has no accessibility violations, light and dark, wide and narrow', async ({ page }) => {
    const lab = new StrategiesPage(page);
    await lab.goto();
    await lab.galleryCase('Interleaving').click();
    await expect(lab.result(CRDT)).toHaveText('Meet at 11:345 in room B5.\n');
    const violations = async () => {
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      return results.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
    };
    expect(await violations()).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await violations()).toEqual([]);
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await violations()).toEqual([]);
  });
});
