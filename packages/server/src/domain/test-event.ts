// The synthetic event of "Send test" and of `verify: true`.
import type { EventRecord } from './envelope.js';

export const TEST_EVENT_TYPE = 'webhook.test';

export function testEvent(input: { id: string; workspaceId: string; webhookId: string; now: Date }): EventRecord {
  const data = { message: 'This is a test event sent from hookd.', webhookId: input.webhookId };
  return {
    id: input.id,
    workspaceId: input.workspaceId,
    type: TEST_EVENT_TYPE,
    timestamp: input.now,
    dataJson: JSON.stringify(data),
    extras: {},
    idempotencyKey: null,
    deliveryCount: 1,
    createdAt: input.now,
  };
}
