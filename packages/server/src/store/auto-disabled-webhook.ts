// What the auto-disable sweep changed (see Store.disableLongFailingWebhooks): enough to log it and to raise an alert.

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
