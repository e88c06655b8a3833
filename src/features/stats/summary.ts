/**
 * What the Conflicts panel shows, worked out from a stats snapshot without React: the sentences,
 * the rows of its tables and the bars of its chart. Pure, so each is tested on its own.
 */
import { conflictOutcomes } from '../../protocol/stats.ts';
import type { ConflictCounts, ConflictOutcome, ResolutionTimes, StatsSnapshot, TimelineBucket } from '../../protocol/stats.ts';

export const OUTCOME_LABELS: Record<ConflictOutcome, string> = {
  merge: 'Merged',
  overwrite: 'Overwrote',
  discard: 'Discarded',
  cancel: 'Cancelled',
};

/** Refusals and merges: a 409/412, a lock refusal, a merge the server made, a lost update it saw. */
export function eventTotal(counts: ConflictCounts): number {
  return counts.conflicts + counts.lockRefusals + counts.serverMerges + counts.lostUpdates;
}

export function outcomeTotal(counts: ConflictCounts): number {
  return conflictOutcomes.reduce((total, outcome) => total + counts.outcomes[outcome], 0);
}

const OUTCOME_WORDS: Record<ConflictOutcome, string> = {
  merge: 'merged',
  overwrite: 'overwrote',
  discard: 'discarded',
  cancel: 'cancelled',
};

/**
 * The outcomes chosen, in a few words: "2 merged · 1 cancelled", or "none" when none were. A
 * number and its word are joined by a no-break space, so a narrow column never parts them.
 */
export function outcomeSummary(counts: ConflictCounts): string {
  const parts = conflictOutcomes
    .filter((outcome) => counts.outcomes[outcome] > 0)
    .map((outcome) => `${counts.outcomes[outcome]}\u00a0${OUTCOME_WORDS[outcome]}`);
  return parts.length > 0 ? parts.join(' · ') : 'none';
}

/** A duration a person reads: "—" for none, "850 ms", "4.2 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) {
    const seconds = ms / 1_000;
    return seconds < 10 ? `${(Math.round(seconds * 10) / 10).toFixed(1)} s` : `${Math.round(seconds)} s`;
  }
  const totalSeconds = Math.round(ms / 1_000);
  if (totalSeconds < 3_600) {
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
  }
  const totalMinutes = Math.round(totalSeconds / 60);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** "1 conflict", "3 conflicts". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export interface OutcomeRow {
  outcome: ConflictOutcome;
  label: string;
  count: number;
  /** Share of all outcomes chosen, in whole percent (0 when none were chosen). */
  percent: number;
  /** Median time from the 409 to this outcome; cancel does not end a conflict, so it has none. */
  median: string;
}

/** One row per outcome, in the dialog's order; shares that add up to 100 when any were chosen. */
export function outcomeRows(counts: ConflictCounts, byOutcome: Record<ConflictOutcome, ResolutionTimes>): OutcomeRow[] {
  const total = outcomeTotal(counts);
  const percents = wholePercents(conflictOutcomes.map((outcome) => counts.outcomes[outcome]), total);
  return conflictOutcomes.map((outcome, index) => ({
    outcome,
    label: OUTCOME_LABELS[outcome],
    count: counts.outcomes[outcome],
    percent: percents[index] ?? 0,
    median: outcome === 'cancel' ? '—' : formatDuration(byOutcome[outcome].medianMs),
  }));
}

/** Whole percentages that sum to exactly 100 (largest remainder), or all 0 when the total is 0. */
export function wholePercents(values: readonly number[], total: number): number[] {
  if (total <= 0) return values.map(() => 0);
  const exact = values.map((value) => (value * 100) / total);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    floors[index] = (floors[index] ?? 0) + 1;
    left -= 1;
  }
  return floors;
}

/** The headline: how many conflicts, since when, and how many lately. */
export function headline(snapshot: StatsSnapshot, formatTime: (iso: string) => string): string {
  const total = plural(snapshot.totals.conflicts, 'edit conflict');
  const recent = snapshot.windows.find((w) => w.minutes === 10)?.counts.conflicts ?? 0;
  return `${total} since ${formatTime(snapshot.since)}, ${recent} in the last 10 minutes.`;
}

/** The other events, named only when some happened (a mode other than ETags made them). */
export function otherEvents(counts: ConflictCounts): string[] {
  const lines: string[] = [];
  if (counts.lockRefusals > 0) lines.push(plural(counts.lockRefusals, 'lock refusal'));
  if (counts.serverMerges > 0) lines.push(plural(counts.serverMerges, 'merge by the server', 'merges by the server'));
  if (counts.lostUpdates > 0) lines.push(plural(counts.lostUpdates, 'lost update'));
  return lines;
}

export interface ChartBar {
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
  /** E.g. "09:41: 3 conflicts". */
  label: string;
}

export interface Chart {
  bars: ChartBar[];
  /** The largest count in one minute (the top of the scale; at least 1). */
  max: number;
  /** The chart in one sentence, for people who do not see it. */
  description: string;
}

/** Bars of events per minute, scaled into `width` × `height`; a minute with none has no height. */
export function timelineChart(
  timeline: readonly TimelineBucket[],
  { width, height, gap = 1 }: { width: number; height: number; gap?: number },
  formatTime: (iso: string) => string,
): Chart {
  const counts = timeline.map((bucket) => eventTotal(bucket.counts));
  const max = Math.max(1, ...counts);
  const step = timeline.length > 0 ? width / timeline.length : width;
  const bars = timeline.map((bucket, index) => {
    const count = counts[index] ?? 0;
    const barHeight = (count / max) * height;
    return {
      x: index * step,
      y: height - barHeight,
      width: Math.max(0, step - gap),
      height: barHeight,
      count,
      label: `${formatTime(bucket.start)}: ${plural(count, 'conflict')}`,
    };
  });
  const total = counts.reduce((a, b) => a + b, 0);
  const busiest = bars.reduce<ChartBar | null>((best, bar) => (bar.count > 0 && (!best || bar.count > best.count) ? bar : best), null);
  const minutes = timeline.length;
  const description =
    total === 0
      ? `No conflicts in the last ${minutes} minutes.`
      : `${plural(total, 'conflict')} in the last ${minutes} minutes; the most in one minute: ${busiest?.label ?? ''}.`;
  return { bars, max, description };
}
