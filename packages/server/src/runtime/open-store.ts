// The composition root's choice of storage engine: the only code that knows which engines exist.
import { ConfigError } from '../config/load-config.js';
import { SecretCipher } from '../domain/secret-encryption.js';
import { WebhookSecrets } from '../domain/webhook-secrets.js';
import { withEncryptedSecrets } from '../store/encrypted-secrets.js';
import { DatabaseFromNewerHookd, type Store } from '../store/store.js';
import { openPostgresStore } from '../store/postgres/postgres-store.js';
import { withReadCache } from '../store/read-cache.js';
import { openSqliteStoreInThread } from '../store/sqlite/thread-store.js';

export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database);
}

/** The database as it may be shown or logged: a URL's password is replaced by "***". */
export function describeDatabase(database: string): string {
  if (!isPostgresUrl(database)) return database;
  try {
    const url = new URL(database);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'the postgres:// URL given';
  }
}

export interface OpenStoreOptions {
  /** Errors of the engine's idle connections (PostgreSQL restarting, say) and background VACUUMs, which it carries on after. */
  onBackgroundError?: (error: Error) => void;
  /** Encrypts webhook secrets and header values on the way in, decrypts the API's reads (default: no key). */
  secrets?: WebhookSecrets;
  /** PostgreSQL connections in the pool (the engine's default: 10). */
  postgresConnections?: number;
}

/**
 * The layers over an engine. Encryption sits right on it, below the read cache, so a cached webhook was decrypted
 * once when loaded, not on every publish.
 */
function layered(engine: Store, options: OpenStoreOptions): Store {
  return withReadCache(
    withEncryptedSecrets(engine, options.secrets ?? new WebhookSecrets(new SecretCipher(undefined))),
  );
}

/** Opens the store named by `database` (a file path or a postgres:// URL); callers migrate it. */
export async function openStore(database: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(database)) {
    // Every process writes the same database: the reads each publish makes are kept for a second at most (see
    // read-cache.ts), so another process's change to a webhook or event type is seen within that second.
    const store = openPostgresStore({
      url: database,
      ...(options.postgresConnections ? { maxConnections: options.postgresConnections } : {}),
      ...(options.onBackgroundError ? { onBackgroundError: options.onBackgroundError } : {}),
    });
    try {
      await store.ping();
    } catch (error) {
      await store.close();
      throw new ConfigError(
        `--database: cannot reach PostgreSQL at ${describeDatabase(database)}: ${(error as Error).message}`,
      );
    }
    return layered(store, options);
  }
  try {
    // In a thread of its own, so queries and commits run beside the API and the HTTP sends (see thread-store.ts).
    // The reads each publish makes are kept in memory for a second at most (see read-cache.ts).
    return layered(await openSqliteStoreInThread(database), options);
  } catch (error) {
    throw new ConfigError(`--database: cannot open SQLite file "${database}": ${(error as Error).message}`);
  }
}

/** Applies the migrations not yet applied; a database a newer hookd has migrated is refused (a ConfigError, exit 2). */
export async function migrateStore(store: Store, database: string): Promise<{ applied: string[] }> {
  try {
    return await store.migrate();
  } catch (error) {
    if (error instanceof DatabaseFromNewerHookd)
      throw new ConfigError(`--database: cannot use "${describeDatabase(database)}": ${error.message}`);
    throw error;
  }
}
