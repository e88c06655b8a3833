import type { Document, DocumentSummary } from '../src/protocol/types.ts';
import { SAMPLE, expect, test } from './fixtures.ts';
import { OwnLab } from './support/own-server-actors.ts';

// A server of the test's own: the reset deletes every document on it.
test.describe('a document deleted by the demo reset', () => {
  let lab: OwnLab;
  test.beforeEach(async ({ browser }) => {
    lab = await OwnLab.start(browser);
  });
  test.afterEach(async () => {
    await lab.close();
  });

  test('says "the demo was reset", not that the person who pressed Reset deleted it; a person’s delete still names them', async ({
    uniqueTitle,
  }) => {
    const doc = (await lab.call<Document>('POST', '/api/docs', { body: { title: uniqueTitle, content: SAMPLE }, expect: 201 })).body;
    const alice = await lab.actor('Alice');
    const bob = await lab.actor('Bob');
    await alice.open(doc.id);
    const mine = `${SAMPLE}Alice's last thought.\n`;
    await alice.editor.write(mine);

    // Bob, in a browser of his own, resets the demo.
    await bob.list.goto('Bob');
    await bob.simulation.open();
    await bob.simulation.reset.click();
    await bob.simulation.confirmReset.click();
    await expect(bob.simulation.root).toContainText('Demo data restored');

    const panel = alice.page.getByRole('region', { name: 'This document was deleted' });
    await expect(panel).toContainText('The demo was reset while you were editing. Your text is still here');
    await expect(panel).not.toContainText('Bob');
    await expect(alice.editor.content).toHaveValue(mine);

    // Carol has a seed document open; Bob deletes it himself.
    const seed = (await lab.call<{ docs: DocumentSummary[] }>('GET', '/api/docs')).body.docs[0];
    if (!seed) throw new Error('the reset made no documents');
    const carol = await lab.actor('Carol');
    await carol.open(seed.id);
    await lab.call('DELETE', `/api/docs/${seed.id}`, { user: 'Bob', ifMatch: seed.etag, expect: 204 });
    const carolsPanel = carol.page.getByRole('region', { name: 'This document was deleted' });
    await expect(carolsPanel).toContainText('Bob deleted it.');
    await expect(carolsPanel).not.toContainText('reset');
  });
});
