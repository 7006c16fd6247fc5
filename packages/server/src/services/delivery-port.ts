// What use cases ask of the delivery side, one interface per kind of caller, so services never import it (the
// composition root wires it) and none of them handles the worker's leases.
import type { EventRecord } from '../domain/envelope.js';
import type { Webhook } from '../domain/webhook.js';

/** Operator actions and changes that may make work due now (a delivery restarted, a webhook resumed). */
export interface DueWorkSignal {
  wake(): void;
}

/** Publishing (services/publish.ts). */
export interface PublishedDeliveries {
  /**
   * Stores the event with one delivery per webhook given, in one transaction, and starts them on their way: those
   * this process's worker has room for are handed to it, the others queue. Resolves with how many were made (a
   * webhook deleted since it was matched gets none); throws what the store throws (UniqueViolation, …).
   */
  storeWithDeliveries(event: EventRecord, webhooks: Webhook[]): Promise<number>;
}

/** "Send test" (services/deliveries.ts). */
export interface TestDeliveries {
  /**
   * Stores the test event with its one delivery to `webhook` and makes that delivery's attempt now, outside any
   * FIFO line and whether the webhook is paused or not. Resolves, once the attempt is recorded, with the delivery's
   * id; undefined when the webhook was deleted meanwhile and nothing was made.
   */
  sendTest(event: EventRecord, webhook: Webhook): Promise<string | undefined>;
}

/** Checks of a webhook's URL before it is stored (services/webhooks.ts). */
export interface EndpointChecks {
  /** One signed attempt to a webhook that is not stored yet (`verify: true`); nothing is recorded. */
  probe(webhook: Webhook, event: EventRecord): Promise<{ ok: boolean; detail: string }>;
  /** Why the network policy refuses this URL outright (a literal private address, …), or undefined. */
  urlRefusal(url: string): string | undefined;
}

/** The whole delivery side, as ServiceDeps holds it. */
export type DeliveryPort = DueWorkSignal & PublishedDeliveries & TestDeliveries & EndpointChecks;
