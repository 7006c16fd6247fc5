// The cipher for secrets at rest, from the settings; and the one start-up line when there is no key.
import type { Config } from '../config/settings.js';
import { SecretCipher } from '../domain/secret-encryption.js';

export function secretCipher(config: Pick<Config, 'encryptionKey' | 'encryptionOldKeys'>): SecretCipher {
  return new SecretCipher(config.encryptionKey, config.encryptionOldKeys);
}

export const UNENCRYPTED_WARNING =
  'HOOKD_ENCRYPTION_KEY is not set: webhook secrets and header values are stored unencrypted';
