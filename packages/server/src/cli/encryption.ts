// `hookd encryption rotate`: re-encrypt every stored secret with HOOKD_ENCRYPTION_KEY, so older keys can be dropped.
import { ConfigError } from '../config/load-config.js';
import type { Config } from '../config/settings.js';
import { describeDatabase, migrateStore, openStore } from '../runtime/open-store.js';
import { secretCipher } from '../runtime/secret-cipher.js';
import { SecretUnreadable } from '../domain/secret-encryption.js';
import { WebhookSecrets } from '../domain/webhook-secrets.js';
import { reencryptAlertSecrets, reencryptStoredSecrets } from '../services/encryption-rotation.js';
import { CommandFailed } from './command-failed.js';

/** The rotation could not finish: main prints its message on one line and exits 1. */
export class RotationFailed extends CommandFailed {
  override name = 'RotationFailed';
}

export async function encryptionRotateCommand(config: Config): Promise<void> {
  // Without a current key a "rotation" would write every secret back in clear: refused rather than done by mistake.
  if (!config.encryptionKey)
    throw new ConfigError(
      'hookd encryption rotate: set HOOKD_ENCRYPTION_KEY (or --encryption-key) to the key to encrypt with',
    );
  const cipher = secretCipher(config);
  const store = await openStore(config.database, { secrets: new WebhookSecrets(cipher) });
  try {
    await migrateStore(store, config.database);
    // Batches before a failure are written: once the missing key is given, running it again carries on.
    const unreadable = (error: unknown) => {
      if (error instanceof SecretUnreadable)
        throw new RotationFailed(`${error.message}; give that key in HOOKD_ENCRYPTION_OLD_KEYS and run it again`);
      throw error;
    };
    const report = await reencryptStoredSecrets(store, cipher).catch(unreadable);
    const alerts = await reencryptAlertSecrets(store, cipher).catch(unreadable);
    process.stdout.write(
      `hookd: ${report.reencrypted} of ${report.webhooks} webhooks re-encrypted with key id ${cipher.currentKeyId} in ${describeDatabase(config.database)}\n`,
    );
    if (alerts.workspaces > 0)
      process.stdout.write(
        `hookd: ${alerts.reencrypted} of ${alerts.workspaces} workspace alert secrets re-encrypted\n`,
      );
    if (report.changedMeanwhile + alerts.changedMeanwhile > 0) {
      process.stdout.write(
        `hookd: ${report.changedMeanwhile + alerts.changedMeanwhile} webhooks or alert secrets changed while this ran and were left as written; run it again to cover them\n`,
      );
    }
  } finally {
    await store.close();
  }
}
