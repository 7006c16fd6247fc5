// A fresh database for each hookd the bench starts: a SQLite file in a temp dir, or a new PostgreSQL database on
// the server of --postgres-url, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { BenchOptions } from './options.js';

/** Whether hookd's --database names a PostgreSQL database (else a SQLite file). */
export function isPostgres(database: string): boolean {
  return /^postgres(ql)?:\/\//.test(database);
}

export interface FreshDatabase {
  /** What hookd's --database takes: a file path or a postgres:// URL. */
  database: string;
  remove(): Promise<void>;
}

async function onServer(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function freshDatabase(options: Pick<BenchOptions, 'store' | 'postgresUrl'>): Promise<FreshDatabase> {
  if (options.store === 'postgres') {
    const name = `hookd_bench_${randomBytes(6).toString('hex')}`;
    await onServer(options.postgresUrl, `CREATE DATABASE ${name}`);
    const url = new URL(options.postgresUrl);
    url.pathname = `/${name}`;
    return {
      database: url.toString(),
      remove: () => onServer(options.postgresUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'hookd-bench-'));
  return {
    database: join(dir, 'hookd.db'),
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
