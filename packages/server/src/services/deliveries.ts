// The delivery log and its operator actions: read, redeliver one now, redeliver every failed one, send a test.
import type { Attempt, Delivery, DeliveryStatus } from '../domain/delivery.js';
import { envelopeBody } from '../domain/envelope.js';
import { HookdError } from '../domain/errors.js';
import { newEventId } from '../domain/ids.js';
import { testEvent } from '../domain/test-event.js';
import type { Page, PageRequest } from '../store/store.js';
import type { ServiceDeps } from './deps.js';
import { getWebhook } from './webhooks.js';

export async function listDeliveries(
  deps: ServiceDeps,
  workspaceId: string,
  filter: {
    webhookId: string;
    status?: DeliveryStatus | undefined;
    eventType?: string | undefined;
    eventId?: string | undefined;
  },
  page: PageRequest,
): Promise<Page<Delivery>> {
  await getWebhook(deps, workspaceId, filter.webhookId);
  return deps.store.listDeliveries(workspaceId, filter, page);
}

export async function getDelivery(deps: ServiceDeps, workspaceId: string, id: string): Promise<Delivery> {
  const delivery = await deps.store.getDelivery(workspaceId, id);
  if (!delivery) throw new HookdError('HOOKD_ERR_NOT_FOUND', `no delivery ${id}`);
  return delivery;
}

/** The delivery and the exact body its attempts POST (rebuilt from its event as the sender builds it). */
export async function getDeliveryWithBody(
  deps: ServiceDeps,
  workspaceId: string,
  id: string,
): Promise<{ delivery: Delivery; body: string | null }> {
  const delivery = await getDelivery(deps, workspaceId, id);
  const event = await deps.store.findEvent(workspaceId, delivery.eventId);
  return { delivery, body: event ? envelopeBody(event, delivery.webhookId) : null };
}

export async function listAttempts(
  deps: ServiceDeps,
  workspaceId: string,
  deliveryId: string,
  page: PageRequest,
): Promise<Page<Attempt>> {
  await getDelivery(deps, workspaceId, deliveryId);
  return deps.store.listAttempts(workspaceId, deliveryId, page);
}

/** "Redeliver": the delivery is due at once with a fresh retry schedule, whatever its status. */
export async function retryDelivery(deps: ServiceDeps, workspaceId: string, id: string): Promise<Delivery> {
  if ((await deps.store.restartDeliveries(workspaceId, { deliveryId: id }, deps.clock())) === 0) {
    await getDelivery(deps, workspaceId, id); // 404 when there is no such delivery
    throw new HookdError('HOOKD_ERR_CONFLICT', `delivery ${id} has an attempt under way; redeliver it once that ends`);
  }
  deps.delivery.wake();
  return getDelivery(deps, workspaceId, id);
}

/** Every failed delivery of a webhook (created since `since`, when given) is started over. */
export async function redeliverFailed(
  deps: ServiceDeps,
  workspaceId: string,
  webhookId: string,
  since: Date | undefined,
): Promise<number> {
  await getWebhook(deps, workspaceId, webhookId);
  const restarted = await deps.store.restartDeliveries(workspaceId, { webhookId, failedSince: since }, deps.clock());
  if (restarted > 0) deps.delivery.wake();
  return restarted;
}

/**
 * "Send test": a synthetic event to this webhook alone, attempted once, now (even when paused), outside any FIFO
 * line, and logged like any other delivery. Answers once the attempt is recorded.
 */
export async function sendTestEvent(
  deps: ServiceDeps,
  workspaceId: string,
  webhookId: string,
): Promise<{ delivery: Delivery; attempt: Attempt | undefined }> {
  const webhook = await getWebhook(deps, workspaceId, webhookId);
  const now = deps.clock();
  const event = testEvent({ id: newEventId(now.getTime()), workspaceId, webhookId: webhook.id, now });
  const deliveryId = await deps.delivery.sendTest(event, webhook);
  // Deleted since it was read: nothing was made.
  if (deliveryId === undefined) throw new HookdError('HOOKD_ERR_WEBHOOK_NOT_FOUND', `no webhook ${webhookId}`);
  const attempts = await deps.store.listAttempts(workspaceId, deliveryId, { limit: 1 });
  return { delivery: await getDelivery(deps, workspaceId, deliveryId), attempt: attempts.data[0] };
}
