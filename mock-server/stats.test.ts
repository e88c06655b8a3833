/**
 * The conflict statistics without HTTP: counting, windows and the timeline on a clock the test
 * moves, resolution times, the memory bound, and the coalescing of stream frames.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TIMELINE_MINUTES } from '../src/protocol/stats.ts';
import { coalesce, ConflictStats, median } from './stats.ts';

const MINUTE = 60_000;

function clock(start = Date.UTC(2026, 10, 30, 9, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const conflict = (docId: string, user: string, mode = 'etag', title: string | null = null) =>
  ({ kind: 'conflict', docId, user, mode, title }) as const;

describe('counting', () => {
  it('counts each event per document, per person and per mode, most conflicts first', () => {
    const stats = new ConflictStats();
    stats.recordConflictEvent(conflict('d_1', 'Ana', 'etag', 'Notes'));
    stats.recordConflictEvent(conflict('d_1', 'Bob'));
    stats.recordConflictEvent(conflict('d_2', 'Bob'));
    stats.recordConflictEvent({ kind: 'lock-refused', docId: 'd_2', user: 'Ana', mode: 'lock' });
    stats.recordConflictEvent({ kind: 'server-merge', docId: 'd_3', user: 'Cy', mode: 'server-merge' });
    stats.recordConflictEvent({ kind: 'lost-update', docId: 'd_3', user: 'Cy', mode: 'none' });

    const snapshot = stats.snapshot();
    expect(snapshot.totals).toMatchObject({ conflicts: 3, lockRefusals: 1, serverMerges: 1, lostUpdates: 1 });
    expect(snapshot.byDocument.map((d) => [d.id, d.title, d.counts.conflicts])).toEqual([
      ['d_1', 'Notes', 2],
      ['d_2', null, 1],
      ['d_3', null, 0],
    ]);
    // The title stays what it was last seen as, even when a later event does not know it.
    expect(snapshot.byUser.map((u) => [u.user, u.counts.conflicts, u.counts.lockRefusals])).toEqual([
      ['Ana', 1, 1],
      ['Bob', 2, 0],
      ['Cy', 0, 0],
    ]);
    expect(snapshot.byMode.map((m) => m.mode)).toEqual(['etag', 'lock', 'none', 'server-merge']);
    expect(snapshot.byMode[0]?.counts.conflicts).toBe(3);
  });

  it('counts outcomes, and a key it has seen once is not counted again', () => {
    const stats = new ConflictStats();
    expect(stats.recordOutcome({ outcome: 'merge', docId: 'd_1', user: 'Ana', mode: 'etag', key: 'k1' })).toBe(true);
    expect(stats.recordOutcome({ outcome: 'merge', docId: 'd_1', user: 'Ana', mode: 'etag', key: 'k1' })).toBe(false);
    expect(stats.recordOutcome({ outcome: 'cancel', docId: 'd_1', user: 'Ana', mode: 'etag' })).toBe(true);
    expect(stats.recordOutcome({ outcome: 'cancel', docId: 'd_1', user: 'Ana', mode: 'etag' })).toBe(true);
    expect(stats.snapshot().totals.outcomes).toEqual({ merge: 1, overwrite: 0, discard: 0, cancel: 2 });
  });

  it('calls onChange after every recorded event, and not for a repeated key', () => {
    const onChange = vi.fn();
    const stats = new ConflictStats({ onChange });
    stats.recordConflictEvent(conflict('d_1', 'Ana'));
    stats.recordOutcome({ outcome: 'overwrite', docId: 'd_1', user: 'Ana', mode: 'etag', key: 'k' });
    stats.recordOutcome({ outcome: 'overwrite', docId: 'd_1', user: 'Ana', mode: 'etag', key: 'k' });
    expect(onChange).toHaveBeenCalledTimes(2);
  });
});

describe('time', () => {
  it('times each conflict from the first refusal to the outcome that ends it; a cancel does not end it', () => {
    const time = clock();
    const stats = new ConflictStats({ now: time.now });
    stats.recordConflictEvent(conflict('d_1', 'Ana'));
    time.advance(2_000);
    // A further 409 while resolving does not restart the clock.
    stats.recordConflictEvent(conflict('d_1', 'Ana'));
    time.advance(1_000);
    stats.recordOutcome({ outcome: 'cancel', docId: 'd_1', user: 'Ana', mode: 'etag' });
    time.advance(3_000);
    stats.recordOutcome({ outcome: 'merge', docId: 'd_1', user: 'Ana', mode: 'etag' });

    stats.recordConflictEvent(conflict('d_1', 'Bob'));
    time.advance(10_000);
    stats.recordOutcome({ outcome: 'discard', docId: 'd_1', user: 'Bob', mode: 'etag' });
    // An outcome with no conflict seen (a review opened before any 409) is counted, not timed.
    stats.recordOutcome({ outcome: 'overwrite', docId: 'd_2', user: 'Bob', mode: 'etag' });

    const { resolution } = stats.snapshot();
    expect(resolution).toMatchObject({ count: 2, medianMs: 8_000, maxMs: 10_000 });
    expect(resolution.byOutcome.merge).toEqual({ count: 1, medianMs: 6_000, maxMs: 6_000 });
    expect(resolution.byOutcome.discard).toEqual({ count: 1, medianMs: 10_000, maxMs: 10_000 });
    expect(resolution.byOutcome.overwrite).toEqual({ count: 0, medianMs: null, maxMs: null });
    expect(resolution.byOutcome.cancel.count).toBe(0);
  });

  it('counts over the last 1, 10 and 60 minutes, and keeps a minute-by-minute timeline of the last hour', () => {
    const time = clock();
    const stats = new ConflictStats({ now: time.now });
    stats.recordConflictEvent(conflict('d_old', 'Ana'));
    time.advance(30 * MINUTE);
    stats.recordConflictEvent(conflict('d_mid', 'Bob'));
    time.advance(25 * MINUTE);
    stats.recordConflictEvent(conflict('d_new', 'Bob'));
    stats.recordConflictEvent(conflict('d_new', 'Cy'));

    const all = stats.snapshot();
    expect(all.windowMinutes).toBeNull();
    expect(all.windows.map((w) => [w.minutes, w.counts.conflicts])).toEqual([
      [1, 2],
      [10, 2],
      [60, 4],
    ]);
    expect(all.timeline).toHaveLength(TIMELINE_MINUTES);
    expect(all.timeline.map((b) => b.counts.conflicts).filter((n) => n > 0)).toEqual([1, 1, 2]);
    expect(all.timeline.at(-1)?.start).toBe(new Date(Math.floor(time.now() / MINUTE) * MINUTE).toISOString());

    // Per document and per person over a window: only what happened in it.
    const recent = stats.snapshot(10);
    expect(recent.windowMinutes).toBe(10);
    expect(recent.totals.conflicts).toBe(2);
    expect(recent.byDocument.map((d) => d.id)).toEqual(['d_new']);
    expect(recent.byUser.map((u) => [u.user, u.counts.conflicts])).toEqual([
      ['Bob', 1],
      ['Cy', 1],
    ]);

    // An hour on, the minutes are gone from the windows, and the counts since the start remain.
    time.advance(61 * MINUTE);
    const later = stats.snapshot();
    expect(later.windows.every((w) => w.counts.conflicts === 0)).toBe(true);
    expect(later.timeline.every((b) => b.counts.conflicts === 0)).toBe(true);
    expect(later.totals.conflicts).toBe(4);
    expect(later.byUser.find((u) => u.user === 'Bob')?.counts.conflicts).toBe(2);
  });
});

describe('memory bound', () => {
  it('tracks at most maxKeys documents, people and modes, and still counts every event in the totals', () => {
    const stats = new ConflictStats({ maxKeys: 3 });
    for (let i = 0; i < 5; i += 1) stats.recordConflictEvent(conflict(`d_${i}`, `user ${i}`));
    const snapshot = stats.snapshot();
    expect(snapshot.totals.conflicts).toBe(5);
    // The least recently active ones make way.
    expect(snapshot.byDocument.map((d) => d.id).sort()).toEqual(['d_2', 'd_3', 'd_4']);
    expect(snapshot.byUser).toHaveLength(3);
    expect(snapshot.others).toEqual({ documents: 2, users: 2, modes: 0 });
  });

  it('lists at most 50 rows and says how many more there are', () => {
    const stats = new ConflictStats();
    for (let i = 0; i < 60; i += 1) stats.recordConflictEvent(conflict(`d_${i}`, 'Ana'));
    const snapshot = stats.snapshot();
    expect(snapshot.byDocument).toHaveLength(50);
    expect(snapshot.others.documents).toBe(10);
  });
});

describe('prototype keys', () => {
  it('keeps names like __proto__ and constructor as ordinary documents and people', () => {
    const stats = new ConflictStats();
    for (const name of ['__proto__', 'constructor', 'hasOwnProperty', 'toString']) {
      stats.recordConflictEvent(conflict(name, name, name));
      stats.recordOutcome({ outcome: 'merge', docId: name, user: name, mode: name });
    }
    const snapshot = stats.snapshot();
    expect(snapshot.byDocument.map((d) => d.id).sort()).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
    expect(snapshot.byUser.every((u) => u.counts.conflicts === 1 && u.counts.outcomes.merge === 1)).toBe(true);
    expect(snapshot.resolution.count).toBe(4);
    expect(({} as Record<string, unknown>).conflicts).toBeUndefined();
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(3);
  });
});

describe('coalesce', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends once per wait, however many changes came in it', () => {
    vi.useFakeTimers();
    const send = vi.fn();
    const frame = coalesce(send, 500);
    frame.schedule();
    frame.schedule();
    vi.advanceTimersByTime(499);
    frame.schedule();
    expect(send).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(send).toHaveBeenCalledTimes(1);
    frame.schedule();
    vi.advanceTimersByTime(500);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('sends nothing after cancel', () => {
    vi.useFakeTimers();
    const send = vi.fn();
    const frame = coalesce(send, 100);
    frame.schedule();
    frame.cancel();
    vi.advanceTimersByTime(1_000);
    expect(send).not.toHaveBeenCalled();
  });
});
