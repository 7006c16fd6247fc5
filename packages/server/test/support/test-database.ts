// Which engine the tests run on, and fresh PostgreSQL databases for them. The one place tests read this from.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migratedTemplate } from './migrated-template.js';

export type TestEngine = 'sqlite' | 'postgres';

/**
 * The engine of this test run: the vitest project sets HOOKD_TEST_STORE (see vitest.config.ts). Tests that do
 * not depend on the engine run once, on SQLite.
 */
export function testEngine(): TestEngine {
  return process.env.HOOKD_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * The engines this run covers: both, unless HOOKD_TEST_ENGINE names one. PostgreSQL is not optional otherwise: when
 * it is down the PostgreSQL tests fail, saying so, rather than being skipped.
 */
export function selectedEngines(): TestEngine[] {
  const chosen = process.env.HOOKD_TEST_ENGINE;
  if (chosen === 'sqlite' || chosen === 'postgres') return [chosen];
  return ['sqlite', 'postgres'];
}

/** The server's maintenance database, through which test databases are made and dropped. */
export const POSTGRES_ADMIN_URL = process.env.HOOKD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

async function onAdmin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is needed for these tests and is not reachable at ${adminUrl}: ${(error as Error).message} (start it, or set HOOKD_TEST_ENGINE=sqlite)`,
      { cause: error },
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on the server of `adminUrl`. */
function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestDatabaseOptions {
  /** An empty database instead of one with every migration applied (for tests of migrating itself). */
  empty?: boolean;
  adminUrl?: string;
}

/**
 * A new database `hookd_test_<random>` on the test server: a copy of the migrated template (see
 * migrated-template.ts), or an empty one when `empty` is set.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? POSTGRES_ADMIN_URL;
  const name = `hookd_test_${randomBytes(6).toString('hex')}`;
  const template = options.empty ? undefined : await migratedTemplate(adminUrl, onAdmin);
  await onAdmin(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`),
  );
  return {
    url: databaseUrl(adminUrl, name),
    name,
    drop: () =>
      onAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
