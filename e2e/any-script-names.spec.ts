import type { Browser } from '@playwright/test';
import { Actor, SAMPLE, expect, test } from './fixtures.ts';
import { HistoryPage } from './support/pages.ts';
import { otherSavesFirst } from './support/scenarios.ts';

const POLISH = 'Łukasz Żółć';
const CHINESE = '张伟';
const ARABIC = 'مريم';

async function person(browser: Browser, baseURL: string | undefined, name: string): Promise<Actor> {
  const context = await browser.newContext({ baseURL });
  return new Actor(name, context, await context.newPage());
}

test('names in Polish, Chinese and Arabic work end to end: presence, conflict, inspector, history, list', async ({
  browser,
  baseURL,
  api,
  doc,
}) => {
  const lukasz = await person(browser, baseURL, POLISH);
  const zhang = await person(browser, baseURL, CHINESE);
  const maryam = await person(browser, baseURL, ARABIC);
  try {
    await maryam.open(doc.id);
    const mine = SAMPLE.replace('Monday: write the outline.', 'Monday: Łukasz writes the outline.');
    const theirs = SAMPLE.replace('Monday: write the outline.', 'Monday: 张伟 writes the outline.');
    await otherSavesFirst(doc.id, lukasz, zhang, mine, theirs);

    // The conflict names who saved first, as they typed it; the server stored it so.
    await expect(lukasz.dialog.root).toContainText(CHINESE);
    await expect.poll(async () => (await api.current(doc.id)).doc.updatedBy).toBe(CHINESE);
    await lukasz.dialog.cancel.click();

    // Presence: each sees the others by name.
    await expect(maryam.awareness.presence).toContainText(POLISH);
    await expect(maryam.awareness.presence).toContainText(CHINESE);
    await expect(lukasz.awareness.presence).toContainText(ARABIC);

    // The inspector says who sent each request.
    await lukasz.inspector.open();
    await expect(lukasz.inspector.requests('PUT', `/api/docs/${doc.id}`).first()).toContainText(`as ${POLISH}`);

    // History: who saved each version.
    await maryam.page.reload();
    const history = new HistoryPage(maryam.page);
    await expect(history.summary).toHaveText('History (2 versions)');
    await history.open();
    await expect(history.items.filter({ has: maryam.page.getByRole('button', { name: 'Version 2', exact: true }) })).toContainText(`${CHINESE} · `);

    // The list: the last saver of the document.
    await maryam.list.goto(ARABIC);
    await expect(maryam.list.row(doc.title)).toContainText(CHINESE);
    // And a save of her own is hers, by name.
    await maryam.open(doc.id);
    await maryam.editor.write(`${theirs}مريم كتبت هذا\n`);
    expect((await maryam.editor.save()).status()).toBe(200);
    await expect.poll(async () => (await api.current(doc.id)).doc.updatedBy).toBe(ARABIC);
  } finally {
    for (const actor of [lukasz, zhang, maryam]) await actor.context.close();
  }
});
