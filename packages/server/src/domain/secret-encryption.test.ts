// Unit tests of the secrets-at-rest cipher: round trips, fresh nonces, key ids, older keys, and clear failures.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encryptionKeyId, SecretCipher, SecretUnreadable } from './secret-encryption.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);

describe('SecretCipher', () => {
  it('stores a value as enc:v1:<key id>:… that gives the value back, with a fresh nonce each time', () => {
    const cipher = new SecretCipher(keyA);
    const sealed = cipher.seal('Bearer abc');
    expect(sealed).toMatch(new RegExp(`^enc:v1:${encryptionKeyId(keyA)}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$`));
    expect(sealed).not.toContain('abc');
    expect(cipher.seal('Bearer abc')).not.toBe(sealed);
    expect(new SecretCipher(keyA).open(sealed)).toBe('Bearer abc');
    expect(new SecretCipher(keyA).open(cipher.seal(''))).toBe('');
  });

  it('derives a key id from the key, the same in every process and different for another key', () => {
    expect(encryptionKeyId(Buffer.from(keyA))).toBe(encryptionKeyId(keyA));
    expect(encryptionKeyId(keyB)).not.toBe(encryptionKeyId(keyA));
  });

  it('decrypts with an older key, and knows what is not yet under the current one', () => {
    const underA = new SecretCipher(keyA).seal('s3cret');
    const rotating = new SecretCipher(keyB, [keyA]);
    expect(rotating.open(underA)).toBe('s3cret');
    expect(rotating.isCurrent(underA)).toBe(false);
    expect(rotating.isCurrent('plain from before')).toBe(false);
    expect(rotating.isCurrent(rotating.seal('s3cret'))).toBe(true);
  });

  it('passes plaintext from before a key was set through, and stores as it is without a key', () => {
    expect(new SecretCipher(keyA).open('whsec_old')).toBe('whsec_old');
    const none = new SecretCipher(undefined);
    expect(none.encrypts).toBe(false);
    expect(none.seal('whsec_x')).toBe('whsec_x');
  });

  it('fails naming the key id when that key is not given, and when a value was altered', () => {
    const underA = new SecretCipher(keyA).seal('s3cret');
    const withoutA = new SecretCipher(keyB);
    expect(() => withoutA.open(underA)).toThrow(SecretUnreadable);
    expect(() => withoutA.open(underA)).toThrow(encryptionKeyId(keyA));
    expect(() => new SecretCipher(undefined).open(underA)).toThrow(encryptionKeyId(keyA));

    // A character well inside the ciphertext (the last one may carry only padding bits).
    const at = underA.length - 10;
    const altered = underA.slice(0, at) + (underA[at] === 'A' ? 'B' : 'A') + underA.slice(at + 1);
    expect(() => new SecretCipher(keyA).open(altered)).toThrow(/altered/);
    expect(() => new SecretCipher(keyA).open('enc:v1:nonsense')).toThrow(SecretUnreadable);
  });
});
