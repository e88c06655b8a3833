import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyCounts } from '../../protocol/stats.ts';
import type { ConflictCounts, StatsSnapshot, TimelineBucket } from '../../protocol/stats.ts';
import { applyStatsFrame } from './api/cache.ts';
import { statsQueryOptions } from './api/get-stats.ts';
import { eventTotal, formatDuration, headline, otherEvents, outcomeRows, outcomeSummary, timelineChart, wholePercents } from './summary.ts';

const hhmm = (iso: string) => iso.slice(11, 16);

function counts(patch: Partial<Omit<ConflictCounts, 'outcomes'>> & { outcomes?: Partial<ConflictCounts['outcomes']> } = {}): ConflictCounts {
  const base = emptyCounts();
  return { ...base, ...patch, outcomes: { ...base.outcomes, ...patch.outcomes } };
}

const noTimes = { count: 0, medianMs: null, maxMs: null };

function snapshot(patch: Partial<StatsSnapshot> = {}): StatsSnapshot {
  return {
    since: '2026-11-30T09:00:00.000Z',
    at: '2026-11-30T09:30:00.000Z',
    windowMinutes: null,
    totals: counts(),
    windows: [1, 10, 60].map((minutes) => ({ minutes, counts: counts() })),
    byDocument: [],
    byUser: [],
    byMode: [],
    others: { documents: 0, users: 0, modes: 0 },
    resolution: { ...noTimes, byOutcome: { merge: noTimes, overwrite: noTimes, discard: noTimes, cancel: noTimes } },
    timeline: [],
    ...patch,
  };
}

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [-1, '—'],
    [Number.NaN, '—'],
    [0, '0 ms'],
    [850, '850 ms'],
    [1_000, '1.0 s'],
    [4_249, '4.2 s'],
    [12_400, '12 s'],
    [60_000, '1 min'],
    [185_000, '3 min 5 s'],
    [3_600_000, '1 h'],
    [3_720_000, '1 h 2 min'],
  ])('%s ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('wholePercents', () => {
  it('adds up to exactly 100, giving the rounding to the largest remainders', () => {
    expect(wholePercents([1, 1, 1], 3)).toEqual([34, 33, 33]);
    expect(wholePercents([2, 1, 0, 0], 3)).toEqual([67, 33, 0, 0]);
    expect(wholePercents([0, 0], 0)).toEqual([0, 0]);
    expect(wholePercents([5], 5)).toEqual([100]);
  });
});

describe('outcomeRows', () => {
  it('lists every outcome in the dialog’s order, with shares and median times; cancel has no time', () => {
    const rows = outcomeRows(counts({ outcomes: { merge: 3, discard: 1 } }), {
      merge: { count: 3, medianMs: 4_200, maxMs: 9_000 },
      overwrite: noTimes,
      discard: { count: 1, medianMs: 800, maxMs: 800 },
      cancel: noTimes,
    });
    expect(rows).toEqual([
      { outcome: 'merge', label: 'Merged', count: 3, percent: 75, median: '4.2 s' },
      { outcome: 'overwrite', label: 'Overwrote', count: 0, percent: 0, median: '—' },
      { outcome: 'discard', label: 'Discarded', count: 1, percent: 25, median: '800 ms' },
      { outcome: 'cancel', label: 'Cancelled', count: 0, percent: 0, median: '—' },
    ]);
  });
});

describe('outcomeSummary', () => {
  it('names the outcomes chosen in the dialog’s order, and says none when there are none', () => {
    expect(outcomeSummary(counts())).toBe('none');
    expect(outcomeSummary(counts({ conflicts: 3, outcomes: { cancel: 1, overwrite: 2 } }))).toBe('2\u00a0overwrote · 1\u00a0cancelled');
    expect(outcomeSummary(counts({ outcomes: { merge: 1, overwrite: 1, discard: 1, cancel: 1 } }))).toBe(
      '1\u00a0merged · 1\u00a0overwrote · 1\u00a0discarded · 1\u00a0cancelled',
    );
  });
});

describe('sentences', () => {
  it('says how many conflicts since when, and lately', () => {
    const s = snapshot({ totals: counts({ conflicts: 1 }), windows: [{ minutes: 10, counts: counts({ conflicts: 1 }) }] });
    expect(headline(s, hhmm)).toBe('1 edit conflict since 09:00, 1 in the last 10 minutes.');
    expect(headline(snapshot({ totals: counts({ conflicts: 7 }) }), hhmm)).toBe('7 edit conflicts since 09:00, 0 in the last 10 minutes.');
  });

  it('names the other events only when some happened', () => {
    expect(otherEvents(counts({ conflicts: 4 }))).toEqual([]);
    expect(otherEvents(counts({ lockRefusals: 1, serverMerges: 2, lostUpdates: 1 }))).toEqual(['1 lock refusal', '2 merges by the server', '1 lost update']);
    expect(eventTotal(counts({ conflicts: 1, lockRefusals: 1, serverMerges: 2, lostUpdates: 1, outcomes: { merge: 9 } }))).toBe(5);
  });
});

describe('timelineChart', () => {
  const minute = (m: number, c: ConflictCounts): TimelineBucket => ({ start: `2026-11-30T09:${String(m).padStart(2, '0')}:00.000Z`, counts: c });

  it('scales bars to the busiest minute and describes the chart in words', () => {
    const timeline = [minute(0, counts()), minute(1, counts({ conflicts: 2 })), minute(2, counts({ conflicts: 4 })), minute(3, counts({ lockRefusals: 1 }))];
    const chart = timelineChart(timeline, { width: 40, height: 20, gap: 2 }, hhmm);
    expect(chart.max).toBe(4);
    expect(chart.bars.map((b) => [b.x, b.width, b.height, b.y])).toEqual([
      [0, 8, 0, 20],
      [10, 8, 10, 10],
      [20, 8, 20, 0],
      [30, 8, 5, 15],
    ]);
    expect(chart.bars[2]?.label).toBe('09:02: 4 conflicts');
    expect(chart.description).toBe('7 conflicts in the last 4 minutes; the most in one minute: 09:02: 4 conflicts.');
  });

  it('keeps a scale of at least 1 and says when nothing happened', () => {
    const chart = timelineChart([minute(0, counts()), minute(1, counts())], { width: 10, height: 10 }, hhmm);
    expect(chart.max).toBe(1);
    expect(chart.bars.every((b) => b.height === 0)).toBe(true);
    expect(chart.description).toBe('No conflicts in the last 2 minutes.');
  });
});

describe('applyStatsFrame', () => {
  const key = statsQueryOptions().queryKey;

  it('writes a frame only once the panel has asked for the counts, and never an older one over a newer', () => {
    const client = new QueryClient();
    const frame = snapshot({ totals: counts({ conflicts: 2 }) });
    applyStatsFrame(client, JSON.stringify(frame));
    expect(client.getQueryData(key)).toBeUndefined();

    client.setQueryData(key, snapshot());
    applyStatsFrame(client, JSON.stringify(frame));
    expect(client.getQueryData(key)?.totals.conflicts).toBe(2);

    applyStatsFrame(client, JSON.stringify(snapshot({ at: '2026-11-30T09:29:00.000Z', totals: counts({ conflicts: 1 }) })));
    expect(client.getQueryData(key)?.totals.conflicts).toBe(2);
  });

  it('skips a malformed frame', () => {
    const client = new QueryClient();
    const before = snapshot();
    client.setQueryData(key, before);
    for (const data of ['not json', 'null', '{"at":"2027-01-01T00:00:00.000Z"}', '[]']) applyStatsFrame(client, data);
    expect(client.getQueryData(key)).toBe(before);
  });
});

describe('a frame while the counts are being read', () => {
  const key = statsQueryOptions().queryKey;
  let client: QueryClient;
  let unsubscribe: () => void;
  /** The reads sent, in order; each is answered by the test with the snapshot the server made. */
  let reads: Array<(made: StatsSnapshot) => void>;

  beforeEach(() => {
    reads = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(
        () =>
          new Promise<Response>((resolve) =>
            reads.push((made) => resolve(new Response(JSON.stringify(made), { status: 200, headers: { 'Content-Type': 'application/json' } }))),
          ),
      ),
    );
    client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    // The Conflicts panel asks for the counts.
    unsubscribe = new QueryObserver(client, statsQueryOptions()).subscribe(() => {});
  });

  afterEach(() => {
    unsubscribe();
    client.clear();
    vi.unstubAllGlobals();
  });

  /** Answers read `n` with `made`, and waits until the cache has taken the answer. */
  async function answer(n: number, made: StatsSnapshot) {
    const read = client.getQueryCache().find({ queryKey: key })?.promise;
    reads[n]?.(made);
    await read;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(client.getQueryState(key)?.fetchStatus).toBe('idle');
  }

  const madeAt = (time: string, conflicts: number) => snapshot({ at: `2026-11-30T09:${time}.000Z`, totals: counts({ conflicts }) });

  it('keeps a frame that came during the first read when the read’s answer was made before it', async () => {
    expect(reads).toHaveLength(1);
    applyStatsFrame(client, JSON.stringify(madeAt('30:02', 3)));
    expect(client.getQueryData(key)?.totals.conflicts).toBe(3);

    await answer(0, madeAt('30:01', 2));
    expect(client.getQueryData(key)?.totals.conflicts).toBe(3);
  });

  it('keeps it too over an answer made in the same millisecond, for a later event would bring another frame', async () => {
    applyStatsFrame(client, JSON.stringify(madeAt('30:02', 3)));
    await answer(0, madeAt('30:02', 2));
    expect(client.getQueryData(key)?.totals.conflicts).toBe(3);
  });

  it('takes the answer when it was made after the frame', async () => {
    applyStatsFrame(client, JSON.stringify(madeAt('30:02', 3)));
    await answer(0, madeAt('30:03', 4));
    expect(client.getQueryData(key)?.totals.conflicts).toBe(4);
  });

  it('keeps a frame that came during a refetch over that refetch’s older answer, and a later refetch replaces both', async () => {
    await answer(0, madeAt('30:00', 1));
    void client.refetchQueries({ queryKey: key });
    expect(reads).toHaveLength(2);
    applyStatsFrame(client, JSON.stringify(madeAt('30:02', 3)));
    await answer(1, madeAt('30:01', 2));
    expect(client.getQueryData(key)?.totals.conflicts).toBe(3);

    void client.refetchQueries({ queryKey: key });
    await answer(2, madeAt('31:00', 5));
    expect(client.getQueryData(key)?.totals.conflicts).toBe(5);
  });
});
