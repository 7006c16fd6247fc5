// The Store contract on SQLite: in this thread, in a thread of its own behind the read cache and with secrets
// encrypted (as `hookd serve` with HOOKD_ENCRYPTION_KEY).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SecretCipher } from '../../domain/secret-encryption.js';
import { WebhookSecrets } from '../../domain/webhook-secrets.js';
import { withEncryptedSecrets } from '../encrypted-secrets.js';
import { withReadCache } from '../read-cache.js';
import { openSqliteStore } from '../sqlite/sqlite-store.js';
import { openSqliteStoreInThread } from '../sqlite/thread-store.js';
import type { Webhook } from '../../domain/webhook.js';
import type { Store } from '../store.js';
import { migratedFreshStore } from './fresh-stores.js';
import { runDashboardStoreConformance } from './dashboard-conformance.js';
import { runRetentionConformance } from './retention-conformance.js';
import { runStoreConformance } from './store-conformance.js';
import { tempDir } from '../../../test/support/temp-dir.js';

async function freshFile(open: (file: string) => Promise<Store>, openSecrets?: (webhook: Webhook) => Webhook) {
  const dir = tempDir('hookd-conformance-');
  const store = await open(join(dir, 'hookd.db'));
  return migratedFreshStore(store, () => {}, openSecrets);
}

runStoreConformance('SQLite', () => freshFile(async (file) => openSqliteStore(file)));
runDashboardStoreConformance('SQLite', () => freshFile(async (file) => openSqliteStore(file)));
runDashboardStoreConformance('SQLite in a thread, with the read cache', () =>
  freshFile(async (file) => withReadCache(await openSqliteStoreInThread(file))),
);
runRetentionConformance('SQLite in a thread', () => freshFile(async (file) => openSqliteStoreInThread(file)));
runStoreConformance('SQLite in a thread, with the read cache and secrets encrypted', () => {
  const secrets = new WebhookSecrets(new SecretCipher(randomBytes(32)));
  return freshFile(
    async (file) => withReadCache(withEncryptedSecrets(await openSqliteStoreInThread(file), secrets)),
    (webhook) => secrets.open(webhook),
  );
});
