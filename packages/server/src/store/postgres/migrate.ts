// Applies the numbered .sql files in migrations/postgres once each, in order, in one transaction. An advisory lock
// held for that transaction makes processes that start together take turns, so none applies a migration twice.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { throwIfMigrationsUnknown } from '../store.js';
import type { PostgresDatabase } from './database.js';

// Same depth from src/ and dist/, so tests (on src) and the CLI (on dist) find the same folder.
const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/postgres/', import.meta.url));
/** Any fixed number: hookd's migrations take this lock and nothing else does. */
const MIGRATION_LOCK = 0x686f6f6b64; // "hookd"

export async function migratePostgres(database: PostgresDatabase): Promise<{ applied: string[] }> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  return database.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((row) => row.name),
    );
    throwIfMigrationsUnknown(done, files);
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await client.query(readFileSync(MIGRATIONS_DIR + file, 'utf8'));
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      applied.push(file);
    }
    return { applied };
  });
}
