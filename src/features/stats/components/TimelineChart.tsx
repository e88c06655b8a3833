import type { TimelineBucket } from '../../../protocol/stats.ts';
import { timelineChart } from '../summary.ts';

const WIDTH = 300;
const HEIGHT = 60;

/**
 * Conflicts per minute over the last hour, as plain SVG bars: sixty rectangles need no chart
 * library. The figure's caption says the same in words; each bar's <title> names its minute.
 */
export function TimelineChart({ timeline, formatTime }: { timeline: readonly TimelineBucket[]; formatTime: (iso: string) => string }) {
  const chart = timelineChart(timeline, { width: WIDTH, height: HEIGHT }, formatTime);
  const first = timeline[0];
  const last = timeline.at(-1);
  return (
    <figure className="stats-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={chart.description} preserveAspectRatio="none">
        <line x1={0} y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} className="stats-chart-axis" />
        {chart.bars.map((bar) =>
          bar.count === 0 ? null : (
            <rect key={bar.x} x={bar.x} y={bar.y} width={bar.width} height={bar.height} className="stats-chart-bar">
              <title>{bar.label}</title>
            </rect>
          ),
        )}
      </svg>
      <div className="stats-chart-scale" aria-hidden="true">
        <span>{first ? formatTime(first.start) : ''}</span>
        <span>top: {chart.max} a minute</span>
        <span>{last ? formatTime(last.start) : ''}</span>
      </div>
      <figcaption>{chart.description}</figcaption>
    </figure>
  );
}
