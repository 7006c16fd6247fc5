// The composition root's choice of storage engine: the only code that knows which engines exist.
import { ConfigError } from '../config/load-config.js';
import type { Store } from '../store/store.js';
import { withReadCache } from '../store/read-cache.js';
import { openSqliteStoreInThread } from '../store/sqlite/thread-store.js';

export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database);
}

/** Opens the store named by `database` (a file path or a postgres:// URL); callers migrate it. */
export async function openStore(database: string): Promise<Store> {
  if (isPostgresUrl(database)) {
    throw new ConfigError('--database: this version stores in SQLite only; give a file path (PostgreSQL support is coming)');
  }
  try {
    // In a thread of its own, so queries and commits run beside the API and the HTTP sends (see thread-store.ts).
    // Every write to the file passes through this process, so the reads each publish makes can be kept in memory.
    return withReadCache(await openSqliteStoreInThread(database));
  } catch (error) {
    throw new ConfigError(`--database: cannot open SQLite file "${database}": ${(error as Error).message}`);
  }
}
