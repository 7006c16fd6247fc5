// Secrets at rest: AES-256-GCM under the current key, older keys still decrypting, each value self-describing.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Stored values that begin with this are encrypted; anything else is a plaintext value from before a key was set. */
export const ENCRYPTED_VALUE_PREFIX = 'enc:';
const FORMAT_V1 = 'enc:v1:';
export const ENCRYPTION_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** enc:v1:<key id, 16 hex>:<nonce, base64url of 12 bytes>:<ciphertext and 16-byte tag, base64url> */
const V1_FORM = /^enc:v1:([0-9a-f]{16}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22,})$/;

/**
 * A key's id, stored with each value it encrypts so the right key is found after a rotation: the first 8 bytes of a
 * SHA-256 of the key (with a label, so it is no hash of the key used anywhere else). Nobody has to number keys.
 */
export function encryptionKeyId(key: Buffer): string {
  return createHash('sha256').update('hookd encryption key id\0').update(key).digest('hex').slice(0, 16);
}

/** A stored value this process cannot decrypt: its key is not configured, or it was altered. Never sent unsigned. */
export class SecretUnreadable extends Error {
  override name = 'SecretUnreadable';
  constructor(
    readonly keyId: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export class SecretCipher {
  readonly currentKeyId: string | undefined;
  private readonly current: Buffer | undefined;
  private readonly keys = new Map<string, Buffer>();

  /** `current` encrypts (none: values are stored as they are); it and `older` decrypt. */
  constructor(current: Buffer | undefined, older: readonly Buffer[] = []) {
    for (const key of [...(current ? [current] : []), ...older]) {
      if (key.length !== ENCRYPTION_KEY_BYTES)
        throw new Error(`an encryption key must be ${ENCRYPTION_KEY_BYTES} bytes, not ${key.length}`);
      this.keys.set(encryptionKeyId(key), key);
    }
    this.current = current;
    this.currentKeyId = current && encryptionKeyId(current);
  }

  /** Whether values are encrypted on the way in (a current key is set). */
  get encrypts(): boolean {
    return this.current !== undefined;
  }

  /** The stored form of `value`: encrypted under the current key with a fresh random nonce, or as it is without one. */
  seal(value: string): string {
    if (!this.current) return value;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current, nonce);
    const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${FORMAT_V1}${this.currentKeyId}:${nonce.toString('base64url')}:${sealed.toString('base64url')}`;
  }

  /**
   * The value of a stored form (a plaintext one as it is); SecretUnreadable when that cannot be done. Not cached here:
   * WebhookSecrets keeps whole webhooks' opened fields.
   */
  open(stored: string): string {
    if (!stored.startsWith(ENCRYPTED_VALUE_PREFIX)) return stored;
    return this.decrypt(stored);
  }

  /**
   * Why a stored form cannot be decrypted without trying: the id of its key when that key is not configured, "not
   * enc:v1" for a form hookd does not write; undefined when it is plaintext or its key is here.
   */
  missingKeyOf(stored: string): string | undefined {
    if (!stored.startsWith(ENCRYPTED_VALUE_PREFIX)) return undefined;
    const keyId = V1_FORM.exec(stored)?.[1];
    if (keyId === undefined) return 'not enc:v1';
    return this.keys.has(keyId) ? undefined : keyId;
  }

  /** Whether a stored form is already what seal() makes now: encrypted under the current key (or plain, with none). */
  isCurrent(stored: string): boolean {
    if (!this.current) return !stored.startsWith(ENCRYPTED_VALUE_PREFIX);
    return V1_FORM.exec(stored)?.[1] === this.currentKeyId;
  }

  private decrypt(stored: string): string {
    const parts = V1_FORM.exec(stored);
    if (!parts) throw new SecretUnreadable(undefined, 'a stored secret is not in a form hookd encrypts to (enc:v1:…)');
    const [, keyId, nonce, sealed] = parts as unknown as [string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretUnreadable(
        keyId,
        `a stored secret is encrypted with key id ${keyId}, which is neither HOOKD_ENCRYPTION_KEY nor one of HOOKD_ENCRYPTION_OLD_KEYS`,
      );
    }
    const bytes = Buffer.from(sealed, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretUnreadable(keyId, `a stored secret under key id ${keyId} does not decrypt: it was altered`);
    }
  }
}
