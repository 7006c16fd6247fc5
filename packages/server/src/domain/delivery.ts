// Deliveries (one event to one webhook: the queue entry and the log row) and their attempts.
import type { EventRecord } from './envelope.js';
import type { Webhook } from './webhook.js';

export const DELIVERY_STATUSES = ['pending', 'success', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** "test" deliveries come from "Send test": one attempt, outside any FIFO line. */
export type DeliveryKind = 'event' | 'test';

export interface Delivery {
  id: string;
  workspaceId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  /** True while a worker holds it (an attempt is under way). */
  inFlight: boolean;
  lastResponseStatus: number | null;
  lastResponseMs: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Attempt {
  deliveryId: string;
  attemptedAt: Date;
  durationMs: number;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  error: string | null;
}

/** A delivery a worker has claimed, with what it needs to send it. */
export interface ClaimedDelivery {
  seq: number;
  id: string;
  leaseToken: string;
  kind: DeliveryKind;
  roundFailures: number;
  /** Attempts made before this claim, in every round (the trace of this attempt numbers it one more). */
  attempts: number;
  webhook: Webhook;
  event: EventRecord;
}

/** What a worker writes back after one attempt. */
export interface AttemptRecord {
  /** Only what the write needs: a record may cross to the store's thread, and the event's data need not go along. */
  claim: Pick<ClaimedDelivery, 'seq' | 'leaseToken'> & { webhook: Pick<Webhook, 'id'> };
  attempt: Omit<Attempt, 'deliveryId'>;
  status: DeliveryStatus;
  roundFailures: number;
  nextAttemptAt: Date | null;
  /** The webhook's new status when this attempt changes it; "healthy" (a success) also stops its failing clock. */
  webhookStatus?: Webhook['status'];
  /** A failed attempt of real traffic (not "Send test"): starts the webhook's failing clock if it is not running. */
  webhookFailed?: boolean;
}
