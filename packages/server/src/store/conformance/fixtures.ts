// Rows for the conformance suite: a workspace with webhooks, events with deliveries, and attempts, built through
// the Store alone so the same fixture works on every engine.
import type { AttemptRecord, ClaimedDelivery } from '../../domain/delivery.js';
import type { EventRecord } from '../../domain/envelope.js';
import { newId } from '../../domain/ids.js';
import { WEBHOOK_DEFAULTS, type Webhook } from '../../domain/webhook.js';
import type { Workspace } from '../../domain/workspace.js';
import type { Store } from '../store.js';

/** A fixed clock start, with milliseconds, so a time that loses precision on the way shows. */
export const T0 = new Date('2026-05-06T19:00:00.123Z');
export const at = (ms: number): Date => new Date(T0.getTime() + ms);

export function workspace(name = `w-${newId('ws').slice(-8)}`): Workspace {
  return {
    id: newId('ws'),
    name,
    alertEmail: null,
    alertUrl: null,
    autoDisableAfter: null,
    portalOrigins: [],
    accentColor: null,
    createdAt: T0,
    updatedAt: T0,
  };
}

export function webhook(workspaceId: string, overrides: Partial<Webhook> = {}): Webhook {
  return {
    ...WEBHOOK_DEFAULTS,
    url: 'https://example.com/hook',
    id: newId('wh'),
    workspaceId,
    status: 'healthy',
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    previousSecret: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function event(workspaceId: string, overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    id: newId('msg'),
    workspaceId,
    type: 'order.created',
    timestamp: T0,
    dataJson: '{"z":1,"a":[1,2,{"k":"v"}],"n":null}',
    extras: { source: 'shop', metadata: { b: 2, a: 1 } },
    idempotencyKey: null,
    deliveryCount: 0,
    createdAt: T0,
    ...overrides,
  };
}

/** A workspace and its webhooks (one per override given), stored. */
export async function seed(
  store: Store,
  ...webhookOverrides: Partial<Webhook>[]
): Promise<{ workspaceId: string; webhooks: Webhook[] }> {
  const space = workspace();
  await store.insertWorkspace(space);
  const webhooks = webhookOverrides.map((overrides) => webhook(space.id, overrides));
  for (const hook of webhooks) await store.insertWebhook(hook);
  return { workspaceId: space.id, webhooks };
}

/** Publishes `count` events, each with one delivery to `webhookId` due at `due`; answers the delivery ids in order. */
export async function publishTo(
  store: Store,
  workspaceId: string,
  webhookId: string,
  count: number,
  due: Date = T0,
  kind: 'event' | 'test' = 'event',
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId('dlv');
    await store.insertEventWithDeliveries(event(workspaceId), [{ id, webhookId, nextAttemptAt: due, kind }]);
    ids.push(id);
  }
  return ids;
}

export interface ClaimOptions {
  now?: Date;
  leaseMs?: number;
  limit?: number;
  perWebhookLimit?: number;
  roomByWebhook?: Record<string, number>;
  excludeWebhookIds?: string[];
  leaseToken?: string;
}

export function claim(store: Store, options: ClaimOptions = {}): Promise<ClaimedDelivery[]> {
  return store.claimDueDeliveries({
    now: options.now ?? T0,
    leaseMs: options.leaseMs ?? 60_000,
    limit: options.limit ?? 100,
    perWebhookLimit: options.perWebhookLimit ?? 100,
    roomByWebhook: options.roomByWebhook ?? {},
    excludeWebhookIds: options.excludeWebhookIds ?? [],
    leaseToken: options.leaseToken ?? newId('att'),
  });
}

/** What a worker writes after one attempt with `status` (200 for success, else a failure). */
export function attemptRecord(
  claimed: ClaimedDelivery,
  outcome: {
    status: 'success' | 'pending' | 'failed';
    nextAttemptAt?: Date | null;
    webhookStatus?: Webhook['status'];
    webhookFailed?: boolean;
    at?: Date;
  },
): AttemptRecord {
  const attemptedAt = outcome.at ?? T0;
  return {
    claim: { seq: claimed.seq, leaseToken: claimed.leaseToken, webhook: { id: claimed.webhook.id } },
    attempt: {
      attemptedAt,
      durationMs: 12,
      requestHeaders: { 'content-type': 'application/json', 'webhook-id': claimed.id },
      responseStatus: outcome.status === 'success' ? 200 : 503,
      responseHeaders: { 'x-b': '2', 'x-a': '1' },
      responseBody: outcome.status === 'success' ? 'ok' : 'busy',
      error: outcome.status === 'success' ? null : 'HTTP 503',
    },
    status: outcome.status,
    roundFailures: outcome.status === 'success' ? claimed.roundFailures : claimed.roundFailures + 1,
    nextAttemptAt: outcome.nextAttemptAt ?? null,
    ...(outcome.webhookStatus ? { webhookStatus: outcome.webhookStatus } : {}),
    ...(outcome.webhookFailed !== undefined ? { webhookFailed: outcome.webhookFailed } : {}),
  };
}
