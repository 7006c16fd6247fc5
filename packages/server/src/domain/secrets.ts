// Webhook signing secrets and API keys: generation, the shapes we accept, and constant-time checks.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ENCRYPTED_VALUE_PREFIX } from './secret-encryption.js';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** `whsec_` + base64 of 32 random bytes, the Standard Webhooks form (also a fine UTF-8 key for the other schemes). */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** Stored as it is while no encryption key is set, such a value would later read as encrypted (secret-encryption.ts). */
export const ENCRYPTED_FORM_PROBLEM = `must not begin with "${ENCRYPTED_VALUE_PREFIX}", the form hookd stores encrypted values in`;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why `secret` cannot sign with `scheme`, or undefined when it can. */
export function webhookSecretProblem(secret: string, scheme: string): string | undefined {
  if (scheme === 'none') return 'scheme "none" signs nothing, so it takes no secret';
  if (scheme === 'standard') {
    const key = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : '';
    const bytes = BASE64.test(key) ? Buffer.from(key, 'base64').length : 0;
    if (bytes < 24 || bytes > 64)
      return 'the "standard" scheme takes "whsec_" followed by base64 of 24 to 64 bytes; leave it out to have one generated';
    return undefined;
  }
  if (secret.length < 8 || secret.length > 256) return 'must be 8 to 256 characters';
  if (secret.startsWith(ENCRYPTED_VALUE_PREFIX)) return ENCRYPTED_FORM_PROBLEM;
  if (!/^[\x21-\x7e]+$/.test(secret)) return 'must be printable ASCII without spaces';
  return undefined;
}

const API_KEY_PREFIX = 'hk_';

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * How a key is stored: a lookup prefix to find its row and the full SHA-256 to compare in constant time.
 * Keys carry 256 random bits, so a fast hash is enough; a slow KDF would only slow every request.
 */
export function hashApiKey(key: string): { lookup: string; hash: string } {
  const hash = createHash('sha256').update(key, 'utf8').digest('hex');
  return { lookup: hash.slice(0, 16), hash };
}

export function sameHash(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
