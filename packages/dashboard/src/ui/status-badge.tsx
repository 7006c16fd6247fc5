// A webhook's state in one word: paused (active false) first, then the server's healthy / failing / disabled.
import type { Webhook } from '../api/client';

export function webhookState(webhook: Pick<Webhook, 'active' | 'status'>): string {
  return webhook.active ? webhook.status : 'paused';
}

export function StatusBadge({ webhook }: { webhook: Pick<Webhook, 'active' | 'status'> }) {
  const state = webhookState(webhook);
  return <span class={`badge badge-${state}`}>{state}</span>;
}

const DELIVERY_LABELS: Record<string, string> = { success: 'succeeded', failed: 'failed', pending: 'pending' };

export function DeliveryBadge({ status }: { status: string }) {
  return <span class={`badge badge-delivery-${status}`}>{DELIVERY_LABELS[status] ?? status}</span>;
}
