import type { SimulationState } from '../src/protocol/simulation.ts';
import type { Document, DocumentSummary } from '../src/protocol/types.ts';
import { SAMPLE, expect, test } from './fixtures.ts';
import { OwnLab } from './support/own-server-actors.ts';
import { withStatus } from './support/pages.ts';

// Each test runs its own server: these controls change the server for everyone on it.
test.describe('simulation controls', () => {
  let lab: OwnLab;
  test.beforeEach(async ({ browser }) => {
    lab = await OwnLab.start(browser);
  });
  test.afterEach(async () => {
    await lab.close();
  });

  async function createDoc(title: string): Promise<Document> {
    return (await lab.call<Document>('POST', '/api/docs', { body: { title, content: SAMPLE }, expect: 201 })).body;
  }

  test('the bot edits the chosen document every second, and a draft meets a conflict', async ({ uniqueTitle }) => {
    const doc = await createDoc(uniqueTitle);
    const alice = await lab.actor('Alice');
    await alice.open(doc.id);
    await alice.simulation.open();
    await alice.simulation.botDocument.selectOption({ label: uniqueTitle });
    await alice.simulation.botInterval.fill('1');
    await alice.simulation.startBot.click();
    await expect(alice.simulation.root).toContainText(`edits “${uniqueTitle}” every 1 s`);

    await alice.editor.write(SAMPLE.replace('# Plan', '# Plan, Alice'));
    await expect(alice.awareness.liveNotice).toBeVisible({ timeout: 10_000 });
    const edited = (await lab.call<Document>('GET', `/api/docs/${doc.id}`)).body;
    expect(edited.version).toBeGreaterThan(1);
    expect(edited.updatedBy).toBe('Bot');

    expect((await alice.editor.save()).status()).toBe(409);
    await alice.dialog.expectOpen();

    await alice.dialog.cancel.click();
    await alice.simulation.stopBot.click();
    await expect(alice.simulation.root).toContainText('Stopped');
    const state = (await lab.call<SimulationState>('GET', '/api/simulation')).body;
    expect(state.bot.docId).toBeNull();
    const stoppedAt = (await lab.call<Document>('GET', `/api/docs/${doc.id}`)).body.version;
    await alice.page.waitForTimeout(2_500);
    expect((await lab.call<Document>('GET', `/api/docs/${doc.id}`)).body.version).toBe(stoppedAt);
  });

  test('412 for failed preconditions and added latency, as the server reports them', async ({ uniqueTitle }) => {
    const doc = await createDoc(uniqueTitle);
    const alice = await lab.actor('Alice');
    await alice.open(doc.id);
    await alice.simulation.open();
    await alice.inspector.open();
    await alice.simulation.latency.fill('300');
    await alice.simulation.jitter.fill('0');
    await alice.simulation.conflictStatus(412).check();
    await alice.simulation.apply.click();
    await expect(alice.simulation.root.getByText('Applied.')).toBeVisible();
    await expect
      .poll(async () => (await lab.call<SimulationState>('GET', '/api/simulation')).body)
      .toMatchObject({ latencyMs: 300, jitterMs: 0, conflictStatus: 412 });

    await alice.editor.write(SAMPLE.replace('# Plan', '# Plan, Alice'));
    const { etag } = await lab.call('GET', `/api/docs/${doc.id}`);
    await lab.call('PUT', `/api/docs/${doc.id}`, { body: { title: doc.title, content: 'Bob.\n' }, user: 'Bob', ifMatch: etag ?? '', expect: 200 });
    expect((await alice.editor.save()).status()).toBe(412);
    await alice.dialog.expectOpen();
    const put = withStatus(alice.inspector.requests('PUT', `/api/docs/${doc.id}`), 412).first();
    await expect(put).toContainText('conflict');
    const duration = Number((await put.locator('.request-duration').textContent())?.replace(' ms', ''));
    expect(duration).toBeGreaterThanOrEqual(300);
  });

  test('bad values are refused with the server’s words and change nothing', async () => {
    const alice = await lab.actor('Alice');
    await alice.list.goto('Alice');
    await alice.simulation.open();
    await alice.simulation.latency.fill('-5');
    await alice.simulation.apply.click();
    await expect(alice.simulation.settingsError).toHaveText('Settings not applied. The latency (ms) must be a whole number from 0 to 10,000.');
    await alice.simulation.latency.fill('lots');
    await alice.simulation.apply.click();
    await expect(alice.simulation.settingsError).toContainText(/latency/i);
    expect((await lab.call<SimulationState>('GET', '/api/simulation')).body).toMatchObject({ latencyMs: 0, jitterMs: 0, conflictStatus: 409 });
  });

  test('Reset demo data restores the seed documents, after a confirmation', async ({ uniqueTitle }) => {
    const doc = await createDoc(uniqueTitle);
    const alice = await lab.actor('Alice');
    await alice.list.goto('Alice');
    await expect(alice.list.link(uniqueTitle)).toBeVisible();
    await alice.simulation.open();

    await alice.simulation.reset.click();
    await alice.page.getByRole('button', { name: 'Keep the documents' }).click();
    expect((await lab.call('GET', `/api/docs/${doc.id}`)).status).toBe(200);

    await alice.simulation.reset.click();
    await alice.simulation.confirmReset.click();
    await expect(alice.simulation.root).toContainText('Demo data restored');
    await expect(alice.list.link(uniqueTitle)).toHaveCount(0);
    const after = (await lab.call<{ docs: DocumentSummary[] }>('GET', '/api/docs')).body.docs;
    expect(after.length).toBeGreaterThan(0);
    expect(after.map((d) => d.id)).not.toContain(doc.id);
    expect(after.every((d) => d.version === 1)).toBe(true);
    for (const title of after.map((d) => d.title)) await expect(alice.list.link(title)).toBeVisible();
  });
});
