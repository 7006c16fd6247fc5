// Re-encrypts every stored webhook secret and header value, and every workspace alert secret, with the current key,
// a batch at a time, while the older keys still decrypt: afterwards they can be dropped. Safe to run twice, and while
// hookd runs (see replaceStoredSecrets).
import type { SecretCipher } from '../domain/secret-encryption.js';
import type { Page, Store, StoredSecrets } from '../store/store.js';

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

/** Rows read and re-encrypted, and those changed by someone else between the read and the write (left so). */
interface PassTotals {
  looked: number;
  reencrypted: number;
  changedMeanwhile: number;
}

/** One pass through a table of sealed values, a page at a time: reseal what needs it, write it back if unchanged. */
async function reencryptPages<T>(
  list: (page: { limit: number; cursor: string | undefined }) => Promise<Page<T>>,
  reseal: (row: T) => T | undefined,
  replace: (replacements: { expected: T; replacement: T }[]) => Promise<number>,
  batchSize: number,
): Promise<PassTotals> {
  const totals: PassTotals = { looked: 0, reencrypted: 0, changedMeanwhile: 0 };
  let cursor: string | undefined;
  do {
    const page = await list({ limit: batchSize, cursor });
    const replacements = page.data.flatMap((expected) => {
      const replacement = reseal(expected);
      return replacement ? [{ expected, replacement }] : [];
    });
    const written = replacements.length > 0 ? await replace(replacements) : 0;
    totals.looked += page.data.length;
    totals.reencrypted += written;
    totals.changedMeanwhile += replacements.length - written;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return totals;
}

export async function reencryptStoredSecrets(
  store: Store,
  cipher: SecretCipher,
  batchSize = REENCRYPT_BATCH,
): Promise<ReencryptReport> {
  const { looked, ...written } = await reencryptPages(
    (page) => store.listStoredSecrets(page),
    (row) => resealed(row, cipher),
    (replacements) => store.replaceStoredSecrets(replacements),
    batchSize,
  );
  return { webhooks: looked, ...written };
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
  const { looked, ...written } = await reencryptPages(
    (page) => store.listStoredAlertSecrets(page),
    (row) =>
      cipher.isCurrent(row.alertSecret)
        ? undefined
        : { ...row, alertSecret: cipher.seal(cipher.open(row.alertSecret)) },
    (replacements) => store.replaceStoredAlertSecrets(replacements),
    batchSize,
  );
  return { workspaces: looked, ...written };
}
