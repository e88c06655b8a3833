/**
 * The modes page's race against the real server: the runner and its transport through the app's
 * own API client (fetch only gets the server's address in front of the app's relative paths), in
 * every concurrency mode, with the verdict read from what came back.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requestLog } from '../src/lib/request-log.ts';
import { newRaceDocumentId, sendThroughApiClient } from '../src/features/lab/race/race-api.ts';
import { deleteRaceDocuments, runRace, type RaceDeps } from '../src/features/lab/race/run-race.ts';
import type { ModeRun } from '../src/features/lab/race/record.ts';
import { raceScript, type RaceOptions } from '../src/features/lab/race/script.ts';
import { raceVerdict } from '../src/features/lab/race/verdict.ts';
import { concurrencyModes, parseHttpDate } from '../src/protocol/concurrency.ts';
import { useTestServer } from './test-server.ts';

const server = useTestServer();
const realFetch = globalThis.fetch;

beforeEach(() => {
  // The app's client asks for relative paths, as a page does; here they go to the test server.
  vi.stubGlobal('fetch', (input: string, { cache: _cache, ...init }: RequestInit = {}) => realFetch(`${server.url}${input}`, init));
});
afterEach(() => {
  vi.unstubAllGlobals();
  requestLog.clear();
});

const deps: RaceDeps = {
  send: sendThroughApiClient,
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  newId: newRaceDocumentId,
};

async function race(options: RaceOptions) {
  const script = raceScript(options);
  const { runs } = await runRace(script, concurrencyModes, deps);
  const byMode = new Map(runs.map((run) => [run.mode, run]));
  const get = (mode: ModeRun['mode']) => {
    const run = byMode.get(mode);
    if (!run) throw new Error(`no run for ${mode}`);
    return { run, verdict: raceVerdict(run, script), save: (who: string) => run.exchanges.find((e) => e.step === 'save' && e.actor === who) };
  };
  return { script, runs, get };
}

/** Whether the save that made version 2 fell in the same second of Last-Modified as version 1. */
function sameSecondAsStart(run: ModeRun): boolean {
  const made = run.exchanges.find((e) => e.step === 'create')?.lastModified ?? null;
  const first = run.exchanges.find((e) => e.step === 'save' && e.version === 2)?.lastModified ?? null;
  if (!made || !first) throw new Error('no Last-Modified to compare');
  return parseHttpDate(made) === parseHttpDate(first);
}

describe('the race of the modes page, on the real server', () => {
  it('Alice and Bob in the same second: lost in none, refused in etag and lock, merged in server-merge', async () => {
    const { runs, get } = await race({ timing: 'same-second', thirdUser: false });
    expect(runs.map((r) => r.error)).toEqual([null, null, null, null, null]);

    const none = get('none');
    expect(none.save('Alice')?.status).toBe(200);
    expect(none.save('Bob')).toMatchObject({ status: 200, version: 3, overwrote: [2], conditions: [['X-Based-On', expect.any(String)]] });
    expect(none.run.final?.content).toContain('Back at school by 16:00');
    expect(none.run.final?.content).not.toContain('8:00');
    expect(none.verdict.lostUpdate).toBe(true);
    expect(none.verdict.racers.map((r) => r.fate)).toEqual(['lost', 'kept']);
    expect(none.run.lostVersions).toEqual([2]);

    const etag = get('etag');
    expect(etag.save('Bob')).toMatchObject({ status: 409, problem: { type: '/problems/edit-conflict' } });
    expect(etag.save('Bob')?.conditions.map(([name]) => name)).toEqual(['If-Match']);
    expect(etag.verdict).toMatchObject({ lostUpdate: false, racers: [{ fate: 'kept' }, { fate: 'refused' }] });
    expect(etag.run.final).toMatchObject({ version: 2 });

    const lock = get('lock');
    const lockSteps = lock.run.exchanges.filter((e) => e.step === 'lock').map((e) => [e.actor, e.status, e.problem?.holder ?? null]);
    expect(lockSteps).toEqual([
      ['Alice', 200, null],
      ['Bob', 409, 'Alice'],
    ]);
    expect(lock.save('Bob')).toMatchObject({ status: 409, problem: { type: '/problems/resource-locked', holder: 'Alice' } });
    expect(lock.run.exchanges.some((e) => e.step === 'unlock' && e.actor === 'Alice' && e.status === 204)).toBe(true);
    expect(lock.verdict).toMatchObject({ lostUpdate: false, racers: [{ fate: 'kept' }, { fate: 'refused' }] });

    const merged = get('server-merge');
    expect(merged.save('Bob')).toMatchObject({ status: 200, version: 3, mergedFrom: [1, 2] });
    expect(merged.run.final?.content).toBe(
      'Field trip: Thursday 4 December\nMeet at the main gate at 8:00.\nBring a packed lunch.\nBack at school by 16:00, after the planetarium.\n',
    );
    expect(merged.verdict).toMatchObject({ lostUpdate: false, racers: [{ fate: 'kept' }, { fate: 'merged' }] });

    // A timestamp has one-second resolution: within the second Bob's stale save passes and Alice's change is lost.
    const timestamp = get('timestamp');
    expect(timestamp.save('Bob')?.conditions.map(([name]) => name)).toEqual(['If-Unmodified-Since', 'X-Based-On']);
    if (sameSecondAsStart(timestamp.run)) {
      expect(timestamp.save('Bob')).toMatchObject({ status: 200, overwrote: [2] });
      expect(timestamp.verdict.lostUpdate).toBe(true);
    } else {
      expect(timestamp.save('Bob')).toMatchObject({ status: 409 });
      expect(timestamp.verdict.lostUpdate).toBe(false);
    }

    // Every request went through the app's client, so the inspector has them all, each named by its user.
    const users = new Set(requestLog.snapshot().map((entry) => entry.user));
    expect(users).toEqual(new Set(['Lab', 'Alice', 'Bob']));
  });

  it('2 s apart: the timestamp refuses Bob as the tag does', async () => {
    const { get } = await race({ timing: 'two-seconds', thirdUser: false });
    const timestamp = get('timestamp');
    const made = timestamp.run.exchanges.find((e) => e.step === 'create');
    const alice = timestamp.save('Alice');
    expect(alice?.status).toBe(200);
    // Alice saved at least a second of Last-Modified after the version Bob read.
    expect(parseHttpDate(alice?.lastModified ?? '')).toBeGreaterThan(parseHttpDate(made?.lastModified ?? '') ?? Infinity);
    expect(timestamp.save('Bob')).toMatchObject({ status: 409, problem: { type: '/problems/edit-conflict' } });
    expect(timestamp.verdict.lostUpdate).toBe(false);
    expect(get('none').verdict.lostUpdate).toBe(true);
  });

  it('with Carol, who rewrites Alice’s line: the server merges Bob and refuses Carol; in none two updates are lost', async () => {
    const { get } = await race({ timing: 'same-second', thirdUser: true });
    const merged = get('server-merge');
    expect(merged.verdict.racers.map((r) => r.fate)).toEqual(['kept', 'merged', 'refused']);
    expect(merged.save('Carol')).toMatchObject({ status: 409, problem: { type: '/problems/edit-conflict' } });

    const none = get('none');
    expect(none.verdict.racers.map((r) => r.fate)).toEqual(['lost', 'lost', 'kept']);
    expect(none.run.final?.content).toContain('8:30');
    expect(none.verdict.headline).toBe('Lost update: Alice and Bob were told "saved", and the change is gone.');
  });

  it('overlapping saves: in etag exactly one of three wins, whichever the server took first; then the documents go', async () => {
    const { get, runs } = await race({ timing: 'overlapping', thirdUser: true });
    const etag = get('etag');
    const statuses = ['Alice', 'Bob', 'Carol'].map((who) => etag.save(who)?.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);
    expect(etag.verdict.lostUpdate).toBe(false);
    // In none all three pass, however close together; the last one the server took is the text, and the other two are lost.
    const none = get('none');
    expect(['Alice', 'Bob', 'Carol'].map((who) => none.save(who)?.status)).toEqual([200, 200, 200]);
    const saved = ['Alice', 'Bob', 'Carol'].map((who) => none.save(who)).filter((e) => e?.status === 200);
    const last = saved.reduce((a, b) => ((b?.version ?? 0) > (a?.version ?? 0) ? b : a));
    for (const racer of none.verdict.racers) {
      const fate = racer.name === last?.actor ? 'kept' : saved.some((e) => e?.actor === racer.name) ? 'lost' : 'refused';
      expect(racer.fate).toBe(fate);
    }

    // Deleting the race's documents: each with If-Match on the version the race ended with.
    const outcomes = await deleteRaceDocuments(runs, sendThroughApiClient);
    expect(outcomes).toEqual(runs.map((run) => ({ docId: run.docId, deleted: true })));
    for (const run of runs) expect((await realFetch(`${server.url}/api/docs/${run.docId}`)).status).toBe(410);
  });
});
