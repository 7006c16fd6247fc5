// The last 24 hours of attempts as stacked bars in plain SVG (succeeded below, failed above), one bar an hour.
import type { WebhookStats } from '../api/stats';
import { percent } from '../format';

interface ChartProps {
  stats: WebhookStats | undefined;
  width?: number;
  height?: number;
}

export function DeliveryChart({ stats, width = 120, height = 28 }: ChartProps) {
  const series = stats?.series ?? [];
  const peak = Math.max(1, ...series.map((hour) => hour.succeeded + hour.failed));
  const slot = width / 24;
  const day = stats?.lastDay;
  const label = day
    ? `Last 24 hours: ${day.succeeded} succeeded, ${day.failed} failed (${percent(day.successRate)} success)`
    : 'No deliveries in the last 24 hours';
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={label}>
      <title>{label}</title>
      <line class="chart-base" x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} />
      {series.map((hour, index) => {
        const okHeight = (hour.succeeded / peak) * (height - 1);
        const failHeight = (hour.failed / peak) * (height - 1);
        const x = index * slot + 0.5;
        return (
          <g key={hour.start}>
            <rect class="chart-ok" x={x} y={height - 1 - okHeight} width={slot - 1} height={okHeight} />
            <rect
              class="chart-failed"
              x={x}
              y={height - 1 - okHeight - failHeight}
              width={slot - 1}
              height={failHeight}
            />
          </g>
        );
      })}
    </svg>
  );
}
