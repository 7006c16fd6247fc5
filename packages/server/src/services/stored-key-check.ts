// Start-up check: every encrypted value stored (webhooks' secrets and header values, workspaces' alert secrets) has
// its key among those configured, or hookd does not start.
import type { SecretCipher } from '../domain/secret-encryption.js';
import type { Store, StoredSecrets } from '../store/store.js';

/** Rows read per page: the same batch as `hookd encryption rotate`, one short read each. */
const CHECK_BATCH = 500;

function storedValues(row: StoredSecrets): string[] {
  const values = Object.values(JSON.parse(row.headersJson) as Record<string, string>);
  if (row.secret !== null) values.push(row.secret);
  if (row.previousSecret !== null) values.push(row.previousSecret);
  return values;
}

/**
 * How many stored values need each key id that is not configured (empty when all can be decrypted). One pass over
 * the webhooks' secret columns, page by page; no value is decrypted, only its key id read. Measured on a 2-core dev
 * machine with 10,000 webhooks (each an encrypted secret and one encrypted header): 45 ms on SQLite (in its thread),
 * 70 ms on PostgreSQL on localhost, about 70 and 95 ms for the first pass after opening.
 */
export async function missingEncryptionKeys(store: Store, cipher: SecretCipher): Promise<Map<string, number>> {
  const missing = new Map<string, number>();
  const note = (value: string) => {
    const keyId = cipher.missingKeyOf(value);
    if (keyId !== undefined) missing.set(keyId, (missing.get(keyId) ?? 0) + 1);
  };
  let cursor: string | undefined;
  do {
    const page = await store.listStoredSecrets({ limit: CHECK_BATCH, cursor });
    for (const row of page.data) storedValues(row).forEach(note);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  // Workspaces' alert secrets too: one a key cannot open would fail every alert POST of its workspace.
  do {
    const page = await store.listStoredAlertSecrets({ limit: CHECK_BATCH, cursor });
    for (const row of page.data) note(row.alertSecret);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return missing;
}
