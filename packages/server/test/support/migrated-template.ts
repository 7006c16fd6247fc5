// The migrated PostgreSQL database that test databases are copied from (CREATE DATABASE … TEMPLATE), built once per
// set of migrations: copying it takes a fraction of what running every migration on each new database takes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/postgres/', import.meta.url));
/** Any fixed number other than the migrations' own lock: test runs building the template take turns on it. */
const TEMPLATE_LOCK = 0x686f6f6b74; // "hookt"

type OnAdmin = <T>(adminUrl: string, run: (client: pg.Client) => Promise<T>) => Promise<T>;

/**
 * Named by a hash of the migration files (names and contents), so a checkout whose migrations differ (another branch,
 * a migration being written) gets a template of its own, and an edited migration is never served from a stale copy.
 */
function templateName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) {
    if (!file.endsWith('.sql')) continue;
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(MIGRATIONS_DIR + file))
      .update('\0');
  }
  return `hookd_template_${hash.digest('hex').slice(0, 16)}`;
}

async function exists(client: pg.Client, name: string): Promise<boolean> {
  return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
}

/**
 * Builds the template under a session advisory lock, so that vitest workers and other checkouts starting together
 * build it once and the rest wait, then find it. It is migrated under a temporary name and renamed when complete:
 * a run that dies half-way leaves no template that looks finished.
 */
async function buildTemplate(adminUrl: string, onAdmin: OnAdmin): Promise<string> {
  const name = templateName();
  await onAdmin(adminUrl, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      if (await exists(client, name)) return;
      const building = `${name}_building`;
      await client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${building}`);
      const url = new URL(adminUrl);
      url.pathname = `/${building}`;
      const store = openPostgresStore({ url: url.toString(), maxConnections: 1 });
      try {
        await store.migrate();
      } finally {
        await store.close();
      }
      await client.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return name;
}

const built = new Map<string, Promise<string>>();

/** The template's name, built on first use in this process (per server). */
export function migratedTemplate(adminUrl: string, onAdmin: OnAdmin): Promise<string> {
  let template = built.get(adminUrl);
  if (!template) {
    template = buildTemplate(adminUrl, onAdmin);
    template.catch(() => built.delete(adminUrl));
    built.set(adminUrl, template);
  }
  return template;
}
