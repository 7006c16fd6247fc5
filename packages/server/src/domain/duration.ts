// Durations as people write them in config and API bodies ("100ms", "5s", "30m", "2h", "1d").

const DURATION = /^(\d{1,9})(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** A problem message when `text` is not a duration within [minMs, maxMs], else undefined. */
export function durationProblem(text: string, minMs: number, maxMs: number): string | undefined {
  const ms = parseDuration(text);
  if (ms === undefined)
    return `"${text}" is not a duration; write a whole number and a unit: ms, s, m, h or d (e.g. "30s")`;
  if (ms < minMs || ms > maxMs) return `must be between ${formatDuration(minMs)} and ${formatDuration(maxMs)}`;
  return undefined;
}

export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
