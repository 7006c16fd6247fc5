// Auto-disable: a webhook whose attempts have failed without a single success for its limit is disabled.
import { durationProblem, parseDuration } from './duration.js';

/** At least a minute (the sweep runs about once a minute), at most 90 days (retention keeps about that much log). */
const MIN_AUTO_DISABLE_MS = 60_000;
const MAX_AUTO_DISABLE_MS = 90 * 86_400_000;

/** The problem with an `autoDisableAfter` value ("5d"), for the workspace's and the webhook's alike. */
export function autoDisableAfterProblem(text: string): string | undefined {
  return durationProblem(text, MIN_AUTO_DISABLE_MS, MAX_AUTO_DISABLE_MS);
}

/** A webhook's autoDisableAfter that keeps it from its workspace's: never disabled for failing. */
export const NEVER_AUTO_DISABLE = 'never';

/** A webhook's value: a duration as for the workspace, or "never". */
export function webhookAutoDisableAfterProblem(text: string): string | undefined {
  return text === NEVER_AUTO_DISABLE ? undefined : autoDisableAfterProblem(text);
}

/** The limit that applies to a webhook in ms: its own, else its workspace's; undefined: never disabled. */
export function autoDisableLimitMs(webhookValue: string | null, workspaceValue: string | null): number | undefined {
  const text = webhookValue ?? workspaceValue;
  return text === null || text === NEVER_AUTO_DISABLE ? undefined : parseDuration(text);
}

/** Whether a webhook failing since `failingSince` is past its limit at `now`. */
export function isPastAutoDisableLimit(failingSince: Date, limitMs: number | undefined, now: Date): boolean {
  return limitMs !== undefined && now.getTime() - failingSince.getTime() >= limitMs;
}
