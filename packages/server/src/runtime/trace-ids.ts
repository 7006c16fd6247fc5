// The trace of an event, derived from its identity: every process that publishes or delivers it computes the same ids
// without storing or passing anything, so a publish and attempts made days later, elsewhere, land in one trace.
import { hash } from 'node:crypto';

export interface EventTraceIds {
  /** 32 hex digits: the trace every span of the event belongs to. */
  traceId: string;
  /** 16 hex digits: the publish span's id, the parent of each attempt's span. */
  spanId: string;
}

/**
 * Hashed from workspace and event id (an event id is unique within a workspace only). An id of all zeros is invalid
 * in W3C trace context; SHA-256 gives one with odds of 2^-64, and the last digit is bumped if it ever does.
 */
export function eventTraceIds(workspaceId: string, eventId: string): EventTraceIds {
  // The one-shot hash (Node 20.12+): 0.7 µs against 1.7 µs for createHash() (300,000 ids), which showed in the profile.
  const digest = hash('sha256', `${workspaceId}\u0000${eventId}`, 'hex');
  return { traceId: nonZero(digest.slice(0, 32)), spanId: nonZero(digest.slice(32, 48)) };
}

function nonZero(hex: string): string {
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}
