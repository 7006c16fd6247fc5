// What the publish and delivery paths tell /metrics as they go: plain in-memory counts of this process (the runtime
// backs them with prom-client). Optional everywhere, so tests and tools that build parts alone need not care.
import type { AttemptRecord } from '../domain/delivery.js';

export interface OperationCounters {
  /** An event was stored, with `deliveries` deliveries made for it. */
  eventPublished(deliveries: number): void;
  /** An attempt and its delivery's new state were written (the attempt's status, duration and the outcome). */
  attemptRecorded(record: AttemptRecord): void;
}
