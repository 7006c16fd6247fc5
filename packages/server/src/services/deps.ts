// What every use case needs: the store, a clock (injected so tests can move time) and the delivery engine.
import type { ClaimedDelivery, FreshReservation } from '../domain/delivery.js';
import type { EventRecord } from '../domain/envelope.js';
import type { Webhook } from '../domain/webhook.js';
import type { WebhookSecrets } from '../domain/webhook-secrets.js';
import type { Store } from '../store/store.js';
import type { DataValidatorCache } from './json-schema-cache.js';
import type { OperationCounters } from './operation-counters.js';

export type Clock = () => Date;
/** Milliseconds on a clock that only moves forward (performance.now()): for paces and durations, never for dates. */
export type MonotonicClock = () => number;

/** What use cases ask of the delivery side, so services never import it (the composition root wires it). */
export interface DeliveryPort {
  /** New work may be due now (an event was published, a delivery restarted). */
  wake(): void;
  /** Which of these webhooks' deliveries of an event being published this process sends at once; undefined: none. */
  reserveFresh(webhooks: Webhook[]): FreshReservation | undefined;
  /** The reserved deliveries are stored, leased (`claims`; none when the publish failed): send them. */
  takeFresh(reservation: FreshReservation, claims: ClaimedDelivery[]): void;
  /** Makes the attempt of a delivery claimed by the caller now, and resolves once it is recorded. */
  deliverClaimed(claim: ClaimedDelivery): Promise<void>;
  /** One signed attempt to a webhook that is not stored yet (`verify: true`); nothing is recorded. */
  probe(webhook: Webhook, event: EventRecord): Promise<{ ok: boolean; detail: string }>;
  /** Why the network policy refuses this URL outright (a literal private address, …), or undefined. */
  urlRefusal(url: string): string | undefined;
  /** How long a claim holds. */
  readonly leaseMs: number;
}

/** Enough for use cases that only read and write records. */
export interface StoreDeps {
  store: Store;
  clock: Clock;
}

export interface ServiceDeps extends StoreDeps {
  delivery: DeliveryPort;
  /** The compiled JSON Schemas of event types, for publishing. */
  dataValidators: DataValidatorCache;
  /** Webhooks a workspace may have (--max-webhooks-per-workspace): each one is matched on every publish. */
  maxWebhooksPerWorkspace: number;
  /** Decrypts a stored webhook's secret fields, for the changes that need them (the store hands them out as stored). */
  secrets: WebhookSecrets;
  /** Counts publishes for /metrics; none: not counted. */
  counters?: OperationCounters | undefined;
}
