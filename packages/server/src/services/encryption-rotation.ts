// Re-encrypts every stored webhook secret and header value (and workspace alert secret) with the current key, a batch at a time, while the older
// keys still decrypt: afterwards they can be dropped. Safe to run twice, and while hookd runs (see replaceStoredSecrets).
import type { SecretCipher } from '../domain/secret-encryption.js';
import type { Store, StoredSecrets } from '../store/store.js';

/** Webhooks read and written per batch: one short write transaction each, so a running hookd barely waits on it. */
export const REENCRYPT_BATCH = 500;

export interface ReencryptReport {
  /** Webhooks looked at. */
  webhooks: number;
  /** Webhooks whose values were re-encrypted (or encrypted for the first time) and written. */
  reencrypted: number;
  /** Webhooks changed by someone else between read and write: left as that change wrote them. */
  changedMeanwhile: number;
}

/** The row with each value not yet under the current key encrypted again; undefined when all already are. */
function resealed(row: StoredSecrets, cipher: SecretCipher): StoredSecrets | undefined {
  let changed = false;
  const reseal = (stored: string): string => {
    if (cipher.isCurrent(stored)) return stored;
    changed = true;
    return cipher.seal(cipher.open(stored));
  };
  const secret = row.secret === null ? null : reseal(row.secret);
  const previousSecret = row.previousSecret === null ? null : reseal(row.previousSecret);
  const headers = Object.entries(JSON.parse(row.headersJson) as Record<string, string>).map(
    ([name, value]): [string, string] => [name, reseal(value)],
  );
  if (!changed) return undefined;
  return { ...row, secret, previousSecret, headersJson: JSON.stringify(Object.fromEntries(headers)) };
}

export async function reencryptStoredSecrets(
  store: Store,
  cipher: SecretCipher,
  batchSize = REENCRYPT_BATCH,
): Promise<ReencryptReport> {
  const report: ReencryptReport = { webhooks: 0, reencrypted: 0, changedMeanwhile: 0 };
  let cursor: string | undefined;
  do {
    const page = await store.listStoredSecrets({ limit: batchSize, cursor });
    const replacements = page.data.flatMap((expected) => {
      const replacement = resealed(expected, cipher);
      return replacement ? [{ expected, replacement }] : [];
    });
    const written = replacements.length > 0 ? await store.replaceStoredSecrets(replacements) : 0;
    report.webhooks += page.data.length;
    report.reencrypted += written;
    report.changedMeanwhile += replacements.length - written;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return report;
}

export interface AlertSecretsReport {
  /** Workspaces with an alert secret looked at. */
  workspaces: number;
  reencrypted: number;
  changedMeanwhile: number;
}

/** The same for workspaces' alert secrets (they sign alert POSTs): each not yet under the current key. */
export async function reencryptAlertSecrets(
  store: Store,
  cipher: SecretCipher,
  batchSize = REENCRYPT_BATCH,
): Promise<AlertSecretsReport> {
  const report: AlertSecretsReport = { workspaces: 0, reencrypted: 0, changedMeanwhile: 0 };
  let cursor: string | undefined;
  do {
    const page = await store.listStoredAlertSecrets({ limit: batchSize, cursor });
    const replacements = page.data
      .filter((expected) => !cipher.isCurrent(expected.alertSecret))
      .map((expected) => ({
        expected,
        replacement: { ...expected, alertSecret: cipher.seal(cipher.open(expected.alertSecret)) },
      }));
    const written = replacements.length > 0 ? await store.replaceStoredAlertSecrets(replacements) : 0;
    report.workspaces += page.data.length;
    report.reencrypted += written;
    report.changedMeanwhile += replacements.length - written;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return report;
}
