/**
 * A full disk over HTTP: a save that cannot be written is refused with the 507 problem and
 * Retry-After, changes nothing, reads keep working, and once there is space again saves succeed.
 */
import { afterAll, expect, it } from 'vitest';
import { startTestServer, createDoc, expectProblem, saveDoc } from '../test-server.ts';
import { removeTempFolders, tempFolder } from './engines-under-test.ts';
import { smallDisk } from './small-disk.ts';
import { SqliteStore } from './sqlite-store.ts';

afterAll(removeTempFolders);

it('refuses saves on a full disk with 507 and Retry-After, keeps serving reads, and saves again once there is space', async () => {
  const disk = smallDisk();
  const server = await startTestServer({ storage: { kind: 'folder', folder: disk?.folder ?? tempFolder(), seed: false } });
  const store = server.app.store;
  if (!(store instanceof SqliteStore)) throw new Error('expected the embedded store');
  try {
    const { doc } = await createDoc(server.url, 'On a small disk', 'x'.repeat(10_000));
    let etag = (await fetch(`${server.url}/api/docs/${doc.id}`)).headers.get('etag') ?? '';
    if (disk) disk.fill();
    else store.limitPagesForTesting(0);

    let refused: Response | null = null;
    for (let i = 0; i < 200 && refused === null; i++) {
      const response = await saveDoc(server.url, doc.id, { title: doc.title, content: `${i}`.repeat(10_000) }, etag);
      if (response.status === 200) etag = response.headers.get('etag') ?? '';
      else refused = response;
    }
    if (!refused) throw new Error('the disk never filled up');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    const problem = await expectProblem(refused, 507, 'storage-full');
    expect(problem.detail).toMatch(/Nothing was changed/);

    // Reads work, and show the last save that was acknowledged, not the refused one.
    const current = await fetch(`${server.url}/api/docs/${doc.id}`);
    expect(current.status).toBe(200);
    expect(current.headers.get('etag')).toBe(etag);
    expect((await fetch(`${server.url}/api/docs`)).status).toBe(200);

    if (disk) disk.free();
    else store.limitPagesForTesting(null);
    const after = await saveDoc(server.url, doc.id, { title: doc.title, content: 'after' }, etag);
    expect(after.status).toBe(200);
  } finally {
    await server.close();
    disk?.release();
  }
});
