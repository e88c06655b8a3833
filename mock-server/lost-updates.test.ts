/**
 * The lost update problem, head on: 50 concurrent writers each increment a counter 40 times by
 * read-modify-write, retrying on 409. A server that lets two writers save over the same version
 * ends below 2,000; this one must end at exactly 2,000 with versions 1..2,001 and no gaps.
 */
import { expect, it } from 'vitest';
import type { EditConflictProblem } from '../src/protocol/problems.ts';
import type { Document, RevisionList } from '../src/protocol/types.ts';
import { createDoc, saveDoc, useTestServer } from './test-server.ts';

const WRITERS = 50;
const INCREMENTS = 40;

const server = useTestServer();

it(`${WRITERS} writers × ${INCREMENTS} increments end at exactly ${WRITERS * INCREMENTS}, versions contiguous`, async () => {
  const { doc } = await createDoc(server.url, `Counter ${Date.now()}`, '0', 'setup');
  let conflicts = 0;
  const savedVersions: number[] = [];
  /** What each 409 said is current: checked against the history once the writers are done. */
  const conflictsSaw: Array<{ version: number; currentEtag: string }> = [];

  async function writer(name: string): Promise<void> {
    let current: Document | null = null;
    let etag = '';
    let streak = 0;
    for (let done = 0; done < INCREMENTS; ) {
      if (!current) {
        const response = await fetch(`${server.url}/api/docs/${doc.id}`);
        etag = response.headers.get('etag') ?? '';
        current = (await response.json()) as Document;
      }
      const next = String(Number(current.content) + 1);
      const response = await saveDoc(server.url, doc.id, { title: current.title, content: next }, etag, name);
      if (response.status === 200) {
        const saved = (await response.json()) as Document;
        // Every success must be this writer's own new version.
        expect(saved.updatedBy).toBe(name);
        expect(saved.content).toBe(next);
        savedVersions.push(saved.version);
        current = saved;
        etag = response.headers.get('etag') ?? '';
        done += 1;
        streak = 0;
      } else {
        expect(response.status).toBe(409);
        conflicts += 1;
        const problem = (await response.json()) as EditConflictProblem;
        expect(problem.currentEtag).not.toBe(etag);
        expect(problem.current.version).toBeGreaterThan(current.version);
        conflictsSaw.push({ version: problem.current.version, currentEtag: problem.currentEtag });
        // Back off a random while, growing with each conflict in a row, as a polite client
        // does (without it, 50 writers mostly collide with each other and little gets saved),
        // then read afresh: after the pause, the conflict's `current` is likely stale too.
        streak += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(10 * 2 ** streak, 400)));
        current = null;
      }
    }
  }

  await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(`writer-${i + 1}`)));

  const final = (await (await fetch(`${server.url}/api/docs/${doc.id}`)).json()) as Document;
  expect(final.content).toBe(String(WRITERS * INCREMENTS));
  expect(final.version).toBe(WRITERS * INCREMENTS + 1);

  const { revisions } = (await (await fetch(`${server.url}/api/docs/${doc.id}/revisions`)).json()) as RevisionList;
  expect(revisions.map((r) => r.version)).toEqual(Array.from({ length: WRITERS * INCREMENTS + 1 }, (_, i) => i + 1));
  expect(new Set(revisions.map((r) => r.etag)).size).toBe(revisions.length);
  expect(savedVersions.sort((a, b) => a - b)).toEqual(revisions.slice(1).map((r) => r.version));
  // Every 409's currentEtag was the tag of the version it reported as current.
  const tagOf = new Map(revisions.map((r) => [r.version, r.etag]));
  expect(conflictsSaw.filter(({ version, currentEtag }) => tagOf.get(version) !== currentEtag)).toEqual([]);
  // Each version holds the count of the saves before it: no increment was applied twice or skipped.
  for (const version of [2, 500, 1001, 1777, WRITERS * INCREMENTS + 1]) {
    const old = (await (await fetch(`${server.url}/api/docs/${doc.id}/revisions/${version}`)).json()) as Document;
    expect(old.content).toBe(String(version - 1));
  }
  // The test means something only if writers really collided.
  expect(conflicts).toBeGreaterThan(0);
}, 120_000);
