/**
 * A full disk under PostgreSQL, over HTTP: a cluster of its own whose processes may not make a
 * file larger than a little over 16 MiB (pg-cluster.ts, `fileSizeLimit`), so a save that needs
 * more finds the disk full. The save that does not fit is refused with the 507 problem and
 * Retry-After and changes nothing; reads keep working, and a save that fits in the space there is
 * succeeds. Needs only PostgreSQL and util-linux's `prlimit`, as any user; runs where the global
 * setup has PostgreSQL (always in CI).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEntityTagCondition } from '../../src/protocol/etag.ts';
import { createDoc, expectProblem, saveDoc, startTestServer } from '../test-server.ts';
import { postgresEngine } from './engines-under-test.ts';
import { startLocalCluster, type LocalCluster } from './pg-cluster.ts';
import { StorageError } from './types.ts';

/** 16 MiB, and 100 bytes of the next 8 KiB block. */
const LIMIT = 16 * 1024 * 1024 + 100;

describe.runIf(postgresEngine())('PostgreSQL on a full disk', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    cluster = await startLocalCluster({ durable: false, fileSizeLimit: LIMIT });
  }, 60_000);
  afterAll(() => cluster.stop());

  it('refuses a save the disk cannot hold with 507 and Retry-After, changes nothing, and keeps serving', async () => {
    const server = await startTestServer({ storage: { kind: 'postgres', url: cluster.url, seed: false } });
    try {
      const created = await createDoc(server.url, 'On a small disk', 'small');
      const id = created.doc.id;
      let etag = created.etag;
      let saved = 'small';
      // Saves of text that does not compress, each well under the body limit, until one does not fit.
      let refused: Response | null = null;
      for (let i = 0; i < 100 && refused === null; i++) {
        const content = randomBytes(600_000).toString('base64');
        const response = await saveDoc(server.url, id, { title: 'On a small disk', content }, etag);
        if (response.status === 200) {
          etag = response.headers.get('etag') ?? '';
          saved = content;
        } else {
          refused = response;
        }
      }
      if (!refused) throw new Error('the disk never filled up');
      expect(refused.headers.get('retry-after')).toBe('30');
      const problem = await expectProblem(refused, 507, 'storage-full');
      expect(problem.detail).toBe('The database is out of disk space: the change was not stored. Nothing was changed; try again later.');
      // The store's error keeps PostgreSQL's own, for the log.
      const content = randomBytes(3_000_000).toString('base64');
      const direct = await server.app.store.update(id, { title: 'On a small disk', content }, parseEntityTagCondition(etag), 'Ana').then(
        () => null,
        (error: unknown) => error,
      );
      expect(direct).toBeInstanceOf(StorageError);
      expect(direct).toMatchObject({ status: 507, retryAfter: 30, cause: { code: '53100', message: expect.stringMatching(/^could not extend file/) } });

      // Reads work, and show the last save that was acknowledged, not the refused one.
      const current = await fetch(`${server.url}/api/docs/${id}`);
      expect(current.status).toBe(200);
      expect(current.headers.get('etag')).toBe(etag);
      expect(((await current.json()) as { content: string }).content).toBe(saved);
      // A save that fits in the space there is is stored.
      const after = await saveDoc(server.url, id, { title: 'On a small disk', content: 'small again' }, etag);
      expect(after.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
