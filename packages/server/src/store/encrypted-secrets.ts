// Webhook secrets, header values and workspaces' alert secrets encrypted on their way into the store: both engines
// keep only ciphertext.
// Reads hand them out as stored. Only what needs the plaintext opens them (WebhookSecrets.open): the delivery just
// before it signs (delivery/attempt.ts), and a change or a rotation of the webhook (services/webhooks.ts). Showing,
// listing and matching on publish need none, so a value that cannot be decrypted fails that webhook's attempts and
// changes, not its workspace's publishes and reads.
import type { WebhookSecrets } from '../domain/webhook-secrets.js';
import type { Store } from './store.js';

export function withEncryptedSecrets(store: Store, secrets: WebhookSecrets): Store {
  return {
    ...store,
    insertWebhook: (webhook) => store.insertWebhook({ ...webhook, ...secrets.sealed(webhook) }),
    updateWebhook: (workspaceId, id, changes) =>
      store.updateWebhook(workspaceId, id, { ...changes, ...secrets.sealed(changes) }),
    // A workspace's alert-signing secret too; claimed alerts carry it as stored, and the alert sender opens it.
    setAlertSecret: (workspaceId, secret, options) =>
      store.setAlertSecret(workspaceId, secrets.cipher.seal(secret), options),
  };
}
