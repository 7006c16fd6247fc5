// What the auto-disable sweep changed (see Store.disableLongFailingWebhooks): enough to log it and to raise an alert.
import type { WebhookStatusChange } from '../domain/alert.js';

export interface AutoDisabledWebhook {
  workspaceId: string;
  webhookId: string;
  /** Its status before: "healthy" or "failing". */
  previousStatus: 'healthy' | 'failing';
  /** When its failing clock started: the first failed attempt since its last success. */
  failingSince: Date;
  /** The limit that applied ("5d"): the webhook's own autoDisableAfter, else its workspace's. */
  autoDisableAfter: string;
  /** When it was disabled: the sweep's now, also written as its updatedAt. */
  disabledAt: Date;
}

/** The alerts' view of the sweep's changes: each a `webhook.disabled`, saying why in place of a receiver's error. */
export function statusChangesOf(disabled: AutoDisabledWebhook[]): WebhookStatusChange[] {
  return disabled.map((webhook) => ({
    webhookId: webhook.webhookId,
    status: 'disabled',
    eventType: null,
    lastError: `disabled automatically: no successful delivery since ${webhook.failingSince.toISOString()} (autoDisableAfter ${webhook.autoDisableAfter})`,
  }));
}
