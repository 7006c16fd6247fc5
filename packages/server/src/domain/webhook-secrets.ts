// A webhook's secrets and header values sealed on their way to the store, and opened (decrypted) only where the
// plaintext is needed: signing and sending, and the API's reads. Opened fields are kept per webhook version.
import { LRUCache } from 'lru-cache';
import { ENCRYPTED_VALUE_PREFIX, type SecretCipher } from './secret-encryption.js';
import type { Webhook } from './webhook.js';

export type SecretFields = Pick<Webhook, 'secret' | 'previousSecret' | 'headers'>;

/**
 * Webhook versions whose opened fields are kept. An entry is a secret or two and the header values, a few hundred
 * bytes: at most a few MB, and a process sending to more webhooks than this at once decrypts (one AES-GCM per value,
 * a few microseconds) for those that drop out.
 */
const OPENED_WEBHOOKS_LIMIT = 10_000;

const isSealed = (value: string | null): boolean => value !== null && value.startsWith(ENCRYPTED_VALUE_PREFIX);

/** Whether any secret field is stored encrypted. Allocates nothing: it runs on every attempt. */
export function hasSealedSecrets(fields: SecretFields): boolean {
  if (isSealed(fields.secret) || isSealed(fields.previousSecret)) return true;
  for (const name in fields.headers) if (isSealed(fields.headers[name]!)) return true;
  return false;
}

/** The fields of `fields` that hold secrets, each passed through `map` (the others are left out). */
function mappedSecrets(fields: Partial<SecretFields>, map: (value: string) => string): Partial<SecretFields> {
  const mapped: Partial<SecretFields> = {};
  if (fields.secret !== undefined) mapped.secret = fields.secret === null ? null : map(fields.secret);
  if (fields.previousSecret !== undefined)
    mapped.previousSecret = fields.previousSecret === null ? null : map(fields.previousSecret);
  if (fields.headers !== undefined)
    mapped.headers = Object.fromEntries(Object.entries(fields.headers).map(([name, value]) => [name, map(value)]));
  return mapped;
}

export class WebhookSecrets {
  private readonly opened = new LRUCache<string, Partial<SecretFields>>({ max: OPENED_WEBHOOKS_LIMIT });
  /**
   * The opened webhook by the stored object it was made from: the claims of one batch share their webhook's object,
   * and fresh deliveries share the read cache's, so most attempts skip the copy (measured: 1.2 µs a claim without
   * this, 0.1 µs with it, for batches of 100 claims over 10 webhooks). Entries go with the objects.
   */
  private readonly openedObjects = new WeakMap<Webhook, Webhook>();

  constructor(readonly cipher: SecretCipher) {}

  /** The secret fields among `fields` in their stored form (encrypted when a key is set); the others left out. */
  sealed(fields: Partial<SecretFields>): Partial<SecretFields> {
    return mappedSecrets(fields, (value) => this.cipher.seal(value));
  }

  /** The webhook with its secret fields decrypted (itself when none is encrypted); SecretUnreadable when one cannot be. */
  open(webhook: Webhook): Webhook {
    if (!hasSealedSecrets(webhook)) return webhook;
    const known = this.openedObjects.get(webhook);
    if (known) return known;
    // Every change of a webhook (PATCH, rotate-secret) moves updatedAt, so a changed webhook is never served from an
    // older version's entry. `hookd encryption rotate` rewrites the stored forms without moving it: same plaintext.
    const version = `${webhook.id}@${webhook.updatedAt.getTime()}`;
    let fields = this.opened.get(version);
    if (!fields) {
      fields = mappedSecrets(webhook, (value) => this.cipher.open(value));
      this.opened.set(version, fields);
    }
    const opened = { ...webhook, ...fields };
    this.openedObjects.set(webhook, opened);
    return opened;
  }
}
