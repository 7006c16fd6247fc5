// What every use case needs: the store, a clock (injected so tests can move time) and the delivery engine.
import type { Clock } from '../domain/clock.js';
import type { WebhookSecrets } from '../domain/webhook-secrets.js';
import type { Store } from '../store/store.js';
import type { DeliveryPort } from './delivery-port.js';
import type { DataValidatorCache } from './json-schema-cache.js';
import type { OperationCounters } from './operation-counters.js';

// The clocks live in the domain (delivery/ uses them too); named here as well for the api and the test kit.
export type { Clock, MonotonicClock } from '../domain/clock.js';

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
