// Attempts by outcome, per webhook and clock hour: what the dashboard's charts and success rates are drawn from.

export const HOUR_MS = 3_600_000;
/** Hours in a stats series: a day, the current hour last. */
export const SERIES_HOURS = 24;

export interface HourlyCount {
  webhookId: string;
  hourStart: Date;
  succeeded: number;
  failed: number;
}

/** The start of the clock hour (UTC) that `at` falls in. */
export function hourStartOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/** An attempt succeeded when the receiver answered 2xx (anything else, or no answer, is a failure). */
export function attemptSucceeded(attempt: { responseStatus: number | null; error: string | null }): boolean {
  return (
    attempt.error === null &&
    attempt.responseStatus !== null &&
    attempt.responseStatus >= 200 &&
    attempt.responseStatus < 300
  );
}

export interface OutcomeTotals {
  succeeded: number;
  failed: number;
  /** succeeded / (succeeded + failed); null when there were none. */
  successRate: number | null;
}

export interface WebhookStats {
  webhookId: string;
  /** The current clock hour so far. */
  lastHour: OutcomeTotals;
  /** The 24 clock hours of the series, the current one included. */
  lastDay: OutcomeTotals;
  series: { start: Date; succeeded: number; failed: number }[];
}

function totals(succeeded: number, failed: number): OutcomeTotals {
  return { succeeded, failed, successRate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed) };
}

/** One webhook's stats at `now` from its hourly counts (any order; counts outside the 24 hours are ignored). */
export function webhookStats(webhookId: string, counts: HourlyCount[], now: Date): WebhookStats {
  const currentHourMs = hourStartOf(now).getTime();
  const series = Array.from({ length: SERIES_HOURS }, (_, i) => ({
    start: new Date(currentHourMs - (SERIES_HOURS - 1 - i) * HOUR_MS),
    succeeded: 0,
    failed: 0,
  }));
  for (const count of counts) {
    const index = SERIES_HOURS - 1 - (currentHourMs - count.hourStart.getTime()) / HOUR_MS;
    const slot = series[index];
    if (!Number.isInteger(index) || !slot) continue;
    slot.succeeded += count.succeeded;
    slot.failed += count.failed;
  }
  const current = series[SERIES_HOURS - 1]!;
  const day = series.reduce((sum, slot) => ({ s: sum.s + slot.succeeded, f: sum.f + slot.failed }), { s: 0, f: 0 });
  return { webhookId, lastHour: totals(current.succeeded, current.failed), lastDay: totals(day.s, day.f), series };
}
