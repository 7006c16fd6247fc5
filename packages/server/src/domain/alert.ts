// Alerts: what is sent to a workspace's alertEmail and alertUrl when one of its webhooks changes state by itself (a
// delivery failing for good, a 410, a success after failures). Changes made by people (pause, resume, re-enable)
// send none.
import type { WebhookStatus } from './webhook.js';

export const ALERT_TYPES = ['webhook.failing', 'webhook.disabled', 'webhook.recovered'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
export type AlertChannel = 'email' | 'url';
export const ALERT_CHANNELS: readonly AlertChannel[] = ['email', 'url'];

/** A webhook's status as written by a delivery's outcome (or a sweep): one alert per channel configured. */
export interface WebhookStatusChange {
  webhookId: string;
  status: WebhookStatus;
  /** The type of the event whose delivery changed it; null when no delivery did (a sweep). */
  eventType: string | null;
  lastError: string | null;
}

export function alertTypeOf(status: WebhookStatus): AlertType {
  return status === 'healthy' ? 'webhook.recovered' : `webhook.${status}`;
}

/** One alert on one channel, as stored in the outbox, claimed by a sender under a lease. */
export interface ClaimedAlert {
  seq: number;
  id: string;
  leaseToken: string;
  workspaceId: string;
  webhookId: string;
  type: AlertType;
  channel: AlertChannel;
  /** The email address or URL the workspace had when the alert was made. */
  target: string;
  webhookUrl: string;
  webhookDescription: string;
  webhookStatus: WebhookStatus;
  eventType: string | null;
  lastError: string | null;
  /** Sends tried before this one. */
  attempts: number;
  createdAt: Date;
  /** The workspace's secret that signs alert POSTs, as stored (perhaps encrypted); null when it has none. */
  alertSecret: string | null;
}

/** What a sender writes back for one claimed alert. */
export interface AlertOutcome {
  seq: number;
  leaseToken: string;
  status: 'sent' | 'pending' | 'failed';
  /** When a pending alert is due again. */
  nextAttemptAt: Date | null;
  error: string | null;
}
