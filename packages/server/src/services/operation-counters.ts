// What the publish and delivery paths tell /metrics and traces as they go: plain in-memory notes of this process (the
// runtime backs them with prom-client, and with OpenTelemetry spans when HOOKD_OTEL_ENDPOINT is set). Optional
// everywhere, so tests and tools that build parts alone need not care; with neither on, the hot path pays one `?.`.
import type { AttemptRecord, ClaimedDelivery } from '../domain/delivery.js';
import type { EventRecord } from '../domain/envelope.js';

export interface OperationCounters {
  /** An event was stored, with `event.deliveryCount` deliveries made for it. */
  eventPublished(event: EventRecord): void;
  /** An attempt of `claim` and its delivery's new state were written (the attempt's status, duration and outcome). */
  attemptRecorded(claim: ClaimedDelivery, record: AttemptRecord): void;
}
