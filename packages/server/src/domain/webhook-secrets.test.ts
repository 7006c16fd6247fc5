// Unit tests of opening webhooks' secrets: per version (a changed webhook is never served stale), kept in an LRU.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretCipher } from './secret-encryption.js';
import { WEBHOOK_DEFAULTS, type Webhook } from './webhook.js';
import { WebhookSecrets } from './webhook-secrets.js';

/** A cipher that counts its decryptions. */
class CountingCipher extends SecretCipher {
  decrypted = 0;
  override open(stored: string): string {
    this.decrypted++;
    return super.open(stored);
  }
}

const T0 = new Date('2026-01-01T00:00:00Z');

function stored(cipher: SecretCipher, id: string, secret: string, updatedAt = T0): Webhook {
  return {
    ...WEBHOOK_DEFAULTS,
    id,
    workspaceId: 'ws_1',
    url: 'https://example.com/hook',
    status: 'healthy',
    secret: cipher.seal(secret),
    previousSecret: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    headers: { Authorization: cipher.seal(`Bearer ${secret}`) },
    createdAt: T0,
    updatedAt,
  };
}

describe('WebhookSecrets', () => {
  it('opens a changed webhook with its new values, never those of the version opened before', () => {
    const cipher = new SecretCipher(randomBytes(32));
    const secrets = new WebhookSecrets(cipher);
    expect(secrets.open(stored(cipher, 'wh_1', 'whsec_first'))).toMatchObject({
      secret: 'whsec_first',
      headers: { Authorization: 'Bearer whsec_first' },
    });
    const changed = stored(cipher, 'wh_1', 'whsec_second', new Date(T0.getTime() + 1));
    expect(secrets.open(changed)).toMatchObject({
      secret: 'whsec_second',
      headers: { Authorization: 'Bearer whsec_second' },
    });
  });

  it('passes a webhook with nothing encrypted through as it is, decrypting nothing', () => {
    const cipher = new CountingCipher(undefined);
    const plain = stored(cipher, 'wh_1', 'whsec_plain');
    expect(new WebhookSecrets(cipher).open(plain)).toBe(plain);
    expect(cipher.decrypted).toBe(0);
  });

  it('keeps the most recently used webhooks when a new one comes past the limit, rather than starting empty', () => {
    const cipher = new CountingCipher(randomBytes(32));
    const secrets = new WebhookSecrets(cipher);
    const webhooks = Array.from({ length: 10_001 }, (_, n) => stored(cipher, `wh_${n}`, `whsec_${n}`));
    for (const webhook of webhooks.slice(0, 10_000)) secrets.open(webhook);
    secrets.open(webhooks[10_000]!);
    cipher.decrypted = 0;
    // Copies, as the next claims bring: the same versions, new objects.
    for (const webhook of webhooks.slice(5_000))
      expect(secrets.open({ ...webhook }).secret).toBe(`whsec_${webhook.id.slice(3)}`);
    expect(cipher.decrypted).toBe(0);
  });
});
