// The Store contract on PostgreSQL as `hookd serve` layers it: behind the read cache, with secrets encrypted (as with
// HOOKD_ENCRYPTION_KEY). A file of its own, so it runs beside postgres.test.ts rather than after it.
import { randomBytes } from 'node:crypto';
import { describe } from 'vitest';
import { selectedEngines } from '../../../test/support/test-database.js';
import { SecretCipher } from '../../domain/secret-encryption.js';
import { WebhookSecrets } from '../../domain/webhook-secrets.js';
import { withEncryptedSecrets } from '../encrypted-secrets.js';
import { withReadCache } from '../read-cache.js';
import { freshPostgresStore } from './fresh-stores.js';
import { runStoreConformance } from './store-conformance.js';

// Left out only when HOOKD_TEST_ENGINE=sqlite says so; otherwise a PostgreSQL that is down fails these tests.
describe.runIf(selectedEngines().includes('postgres'))('on the test server', () => {
  runStoreConformance('PostgreSQL behind the read cache, with secrets encrypted', () => {
    const secrets = new WebhookSecrets(new SecretCipher(randomBytes(32)));
    return freshPostgresStore(
      (engine) => withReadCache(withEncryptedSecrets(engine, secrets)),
      (webhook) => secrets.open(webhook),
    );
  });
});
