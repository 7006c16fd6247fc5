// Applies the numbered .sql files in migrations/sqlite once each, in order, all in one transaction.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { throwIfMigrationsUnknown } from '../store.js';
import type { SqliteDatabase } from './database.js';

// Same depth from src/ and dist/, so tests (on src) and the CLI (on dist) find the same folder.
const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/sqlite/', import.meta.url));

export function migrateSqlite(database: SqliteDatabase, now: () => number = Date.now): { applied: string[] } {
  const { db } = database;
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT');
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  // IMMEDIATE takes the write lock before reading what was applied, so two processes starting together
  // (hookd serve and hookd keys create, say) cannot both apply the same migration.
  return db
    .transaction(() => {
      const done = new Set(
        (db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((row) => row.name),
      );
      // Migrating a newer hookd's schema back is not possible, and using it as if it were ours would corrupt it.
      throwIfMigrationsUnknown(done, files);
      const applied: string[] = [];
      for (const file of files) {
        if (done.has(file)) continue;
        db.exec(readFileSync(MIGRATIONS_DIR + file, 'utf8'));
        db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(file, now());
        applied.push(file);
      }
      return { applied };
    })
    .immediate();
}
