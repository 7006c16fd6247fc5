// The shape of the event hookd delivers (PRODUCT.md §3), the default type verify() returns.

/** A hookd delivery body. Optional fields appear when they were published; other senders' bodies differ. */
export interface HookdEvent {
  id: string;
  /** The event name; `event` carries the same, for receivers of either convention. */
  type: string;
  event: string;
  /** ISO 8601 time the event was published. */
  timestamp: string;
  workspaceId: string;
  webhookId: string;
  data: unknown;
  source?: unknown;
  resourceType?: string;
  resourceId?: string;
  changes?: unknown;
  metadata?: unknown;
  apiVersion?: string;
  [field: string]: unknown;
}
