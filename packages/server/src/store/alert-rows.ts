// Alert outbox rows as both engines return them, and the ClaimedAlert each becomes.
import type { AlertChannel, AlertType, ClaimedAlert } from '../domain/alert.js';
import type { WebhookStatus } from '../domain/webhook.js';
import { asDate, type StoredTime } from './rows.js';

export interface AlertRow {
  seq: number;
  id: string;
  workspace_id: string;
  webhook_id: string;
  type: string;
  channel: string;
  target: string;
  webhook_url: string;
  webhook_description: string;
  webhook_status: string;
  event_type: string | null;
  last_error: string | null;
  attempts: number;
  lease_token: string;
  created_at: StoredTime;
  alert_secret: string | null;
}

export function toClaimedAlert(row: AlertRow): ClaimedAlert {
  return {
    seq: row.seq,
    id: row.id,
    leaseToken: row.lease_token,
    workspaceId: row.workspace_id,
    webhookId: row.webhook_id,
    type: row.type as AlertType,
    channel: row.channel as AlertChannel,
    target: row.target,
    webhookUrl: row.webhook_url,
    webhookDescription: row.webhook_description,
    webhookStatus: row.webhook_status as WebhookStatus,
    eventType: row.event_type,
    lastError: row.last_error,
    attempts: row.attempts,
    createdAt: asDate(row.created_at),
    alertSecret: row.alert_secret,
  };
}
