// Webhook secrets and header values encrypted on their way into the store and decrypted on the way out: both engines
// keep only ciphertext, and nothing above the store (services, worker, API) ever handles it.
import { ENCRYPTED_VALUE_PREFIX, SecretUnreadable, type SecretCipher } from '../domain/secret-encryption.js';
import type { ClaimedDelivery } from '../domain/delivery.js';
import type { Webhook } from '../domain/webhook.js';
import type { Store } from './store.js';

type SecretFields = Pick<Webhook, 'secret' | 'previousSecret' | 'headers'>;

/**
 * Told about the deliveries of a webhook whose secrets cannot be decrypted (their key is not configured): they are
 * neither sent nor recorded, and stay leased, so they are tried again when the lease runs out, by then perhaps with
 * the key back. The other webhooks' deliveries of the same claim go out as usual.
 */
export type OnWithheldClaims = (webhookId: string, deliveryIds: string[], error: SecretUnreadable) => void;

function mapHeaders(headers: Record<string, string>, map: (value: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, map(value)]));
}

/** The fields of `fields` that hold secrets, each passed through `map` (the others are left out). */
function mappedSecrets(fields: Partial<SecretFields>, map: (value: string) => string): Partial<SecretFields> {
  const mapped: Partial<SecretFields> = {};
  if (fields.secret !== undefined) mapped.secret = fields.secret === null ? null : map(fields.secret);
  if (fields.previousSecret !== undefined) mapped.previousSecret = fields.previousSecret === null ? null : map(fields.previousSecret);
  if (fields.headers !== undefined) mapped.headers = mapHeaders(fields.headers, map);
  return mapped;
}

const isSealed = (value: string | null): boolean => value !== null && value.startsWith(ENCRYPTED_VALUE_PREFIX);

export function withEncryptedSecrets(store: Store, cipher: SecretCipher, onWithheld: OnWithheldClaims): Store {
  const seal = (value: string) => cipher.seal(value);
  const open = (value: string) => cipher.open(value);
  // A webhook with nothing encrypted (stored before a key was set) is passed on as it is.
  const opened = (webhook: Webhook): Webhook =>
    isSealed(webhook.secret) || isSealed(webhook.previousSecret) || Object.values(webhook.headers).some(isSealed) ? { ...webhook, ...mappedSecrets(webhook, open) } : webhook;

  /** Each claim's webhook decrypted once per claim; the claims of one that cannot be are withheld (see OnWithheldClaims). */
  const openedClaims = (claims: ClaimedDelivery[]): ClaimedDelivery[] => {
    const webhooks = new Map<string, Webhook | SecretUnreadable>();
    const withheld = new Map<string, string[]>();
    const sendable = claims.filter((claim) => {
      let webhook = webhooks.get(claim.webhook.id);
      if (!webhook) {
        try {
          webhook = opened(claim.webhook);
        } catch (error) {
          if (!(error instanceof SecretUnreadable)) throw error;
          webhook = error;
        }
        webhooks.set(claim.webhook.id, webhook);
      }
      if (webhook instanceof SecretUnreadable) withheld.set(claim.webhook.id, [...(withheld.get(claim.webhook.id) ?? []), claim.id]);
      else claim.webhook = webhook;
      return !(webhook instanceof SecretUnreadable);
    });
    for (const [webhookId, deliveryIds] of withheld) onWithheld(webhookId, deliveryIds, webhooks.get(webhookId) as SecretUnreadable);
    return sendable;
  };

  return {
    ...store,
    insertWebhook: (webhook) => store.insertWebhook({ ...webhook, ...mappedSecrets(webhook, seal) }),
    updateWebhook: (workspaceId, id, changes) => store.updateWebhook(workspaceId, id, { ...changes, ...mappedSecrets(changes, seal) }),
    getWebhook: async (workspaceId, id) => {
      const webhook = await store.getWebhook(workspaceId, id);
      return webhook && opened(webhook);
    },
    listWebhooks: async (workspaceId, page) => {
      const listed = await store.listWebhooks(workspaceId, page);
      return { ...listed, data: listed.data.map(opened) };
    },
    listSubscribedWebhooks: async (workspaceId) => (await store.listSubscribedWebhooks(workspaceId)).map(opened),
    claimDueDeliveries: async (claim) => openedClaims(await store.claimDueDeliveries(claim)),
    // One delivery sent now on request: a webhook that cannot be decrypted fails the request, naming the key id.
    claimDelivery: async (claim) => {
      const claimed = await store.claimDelivery(claim);
      return claimed && { ...claimed, webhook: opened(claimed.webhook) };
    },
  };
}
