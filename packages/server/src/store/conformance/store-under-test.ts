// What every topic of the conformance suite reads: the store of the current test, refreshed before each one.
import type { Webhook } from '../../domain/webhook.js';
import type { Store } from '../store.js';

export interface FreshStore {
  store: Store;
  /** Closes the store and removes its database. */
  dispose(): Promise<void>;
  /** For a store that encrypts secrets: a webhook read as WebhookSecrets opens it (reads give the stored forms). */
  openSecrets?: (webhook: Webhook) => Webhook;
}

/** Filled in by runStoreConformance's beforeEach; a topic copies the fields it uses in its own beforeEach. */
export interface StoreUnderTest {
  store: Store;
  /** A webhook with its secrets as a sender would use them (opened when the store encrypts them). */
  opened: (webhook: Webhook) => Webhook;
  openedWebhook: (workspaceId: string, id: string) => Promise<Webhook | undefined>;
}
