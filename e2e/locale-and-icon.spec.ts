import { expect, test } from './fixtures.ts';
import { EditorPage, HistoryPage } from './support/pages.ts';

test('times follow the reader’s locale, and the page has an icon without a 404', async ({ browser, baseURL, api, uniqueTitle }) => {
  const { doc } = await api.create(uniqueTitle, 'one\n');
  await api.save(doc.id, { content: 'two\n' }, 'Bob');
  // A reader whose browser prefers British English: a 24-hour clock, day before month.
  const context = await browser.newContext({ baseURL, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  const notFound: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 404) notFound.push(response.url());
  });
  await new EditorPage(page).goto(doc.id, 'Alice');

  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', /^data:image\/svg\+xml,/);
  const history = new HistoryPage(page);
  await history.open();
  const { doc: current } = await api.current(doc.id);
  const saved = new Date(current.updatedAt);
  const expected = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(saved);
  await expect(history.items.first().locator('time')).toHaveText(expected);
  await expect(history.items.first().locator('time')).not.toHaveText(/[AP]M/);
  expect(notFound).toEqual([]);
  await context.close();
});
