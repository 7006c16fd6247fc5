// The connection pool hookd's PostgreSQL store runs its queries on, and the few helpers every SQL module shares.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { StoreUnavailable, UniqueViolation } from '../store.js';

const INT8_OID = 20;

/**
 * Sequence numbers are bigint, which pg returns as text by default; every one hookd makes stays far below 2^53, so
 * they are read as numbers (the same paging cursors and claim seqs as SQLite).
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  url: string;
  /** Connections in the pool. */
  maxConnections?: number;
  /**
   * Reports errors no caller waits for: of idle connections (PostgreSQL restarted, say; the pool replaces them on
   * next use) and of the store's background VACUUMs.
   */
  onBackgroundError?: (error: Error) => void;
  /** Attempts recorded by this process between two VACUUMs of the delivery queue (see background-vacuum.ts). */
  vacuumEveryAttempts?: number;
  /** Deliveries and events pruned by this process between two VACUUMs of their tables (see background-vacuum.ts). */
  vacuumEveryPrunedRows?: number;
}

export class PostgresDatabase {
  readonly pool: pg.Pool;
  /**
   * The last error of a query the server refused for want of disk or another resource (see isOutOfResources), until
   * a write probe succeeds: while it is set the store is not ready (/readyz answers 503), and each ping tries the probe.
   */
  diskRefusal: Error | undefined;

  constructor(readonly options: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      types,
      connectionTimeoutMillis: 10_000,
      options: '-c jit=off',
    });
    // Without a listener an idle connection's error (a restart of the server) would end the process.
    this.pool.on('error', (error) => options.onBackgroundError?.(error));
  }

  /** A new client outside the pool, on the same server and with the same type parsing (for LISTEN). */
  newClient(): pg.Client {
    return new pg.Client({ connectionString: this.options.url, types });
  }

  async query<Row extends object>(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(prepared(sql, params))).rows;
    } catch (error) {
      throw this.translatedNotingRefusal(error);
    }
  }

  /** Rows changed (UPDATE, DELETE). */
  async execute(sql: string, params: unknown[] = []): Promise<number> {
    try {
      return (await this.pool.query(prepared(sql, params))).rowCount ?? 0;
    } catch (error) {
      throw this.translatedNotingRefusal(error);
    }
  }

  /** A statement sent as plain text, outside any transaction block (VACUUM cannot run in one, nor be prepared). */
  async maintain(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  /** Runs `run` in one transaction on one connection; rolls back if it throws. */
  async transaction<T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await run(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw this.translatedNotingRefusal(error);
    } finally {
      // A connection whose rollback failed is in an unknown state: drop it rather than pool it.
      client.release(broken);
    }
  }

  /**
   * Whether the server takes writes again after it refused one for want of disk: a small write of its own, which
   * throws StoreUnavailable while it does not. Not an UPDATE of a row: that fits in the page the row is on and in
   * the WAL segment already made, and went on succeeding on a full disk while every publish failed (PostgreSQL 15,
   * a full tmpfs: "could not extend file"). TRUNCATE gives the table a new, empty file, so the row inserted after it
   * needs a new page from the disk, as a publish does; its commit writes the WAL. The lock TRUNCATE takes (only on
   * this table, which nothing else reads) waits a second at most: behind a pg_dump, say, the probe fails and the next
   * one tries again.
   */
  async probeWrite(): Promise<void> {
    const refusal = this.diskRefusal;
    await this.transaction(async (client) => {
      await client.query("SET LOCAL lock_timeout = '1s'");
      await client.query('TRUNCATE write_probe');
      await client.query('INSERT INTO write_probe (written_at) VALUES (now())');
    });
    // Unless another query was refused meanwhile: that one is newer news.
    if (this.diskRefusal === refusal) this.diskRefusal = undefined;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** translated(error), remembering a refusal for want of resources so that readiness probes until a write works. */
  private translatedNotingRefusal(error: unknown): unknown {
    const code = (error as { code?: string }).code;
    if (code !== undefined && isOutOfResources(code)) this.diskRefusal = error as Error;
    return translated(error);
  }
}

const statementNames = new Map<string, string>();

/**
 * A named statement: each connection parses it once and keeps it, rather than parsing the text (the publish and claim
 * statements are long) on every call. The name comes from the text, so the same text always has the same name.
 */
function prepared(text: string, params: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `hookd_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text, values: params.map(storable) };
}

/**
 * PostgreSQL text cannot hold NUL, which SQLite stores and compares like any character. A NUL given to the store (an
 * id in a URL, a receiver's response body) becomes U+FFFD, so a lookup finds nothing and a write keeps the rest,
 * as on SQLite, instead of failing.
 */
function storable(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
  if (Array.isArray(value)) return value.map(storable);
  return value;
}

/** Socket errors of a connection to a server that is down, restarting or unreachable. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * A server that cannot do the work now, though it may shortly: SQLSTATE class 53, insufficient resources (53100
 * disk_full, 53200 out_of_memory, 53300 too_many_connections, ...), and 58030 io_error (a read or write of its files
 * failed).
 */
function isOutOfResources(code: string): boolean {
  return code.startsWith('53') || code === '58030';
}

/**
 * PostgreSQL's unique_violation (23505) becomes the engine-neutral UniqueViolation the services know; a server that
 * cannot be reached (a refused or cut connection, SQLSTATE class 08, or 57P01-57P03: shutting down, starting up)
 * or cannot write now (a full disk, see isOutOfResources) becomes StoreUnavailable.
 */
export function translated(error: unknown): unknown {
  const { code, constraint, message } = error as { code?: string; constraint?: string; message?: string };
  if (code === '23505') return new UniqueViolation(constraint ?? 'unknown');
  if (code !== undefined && isOutOfResources(code))
    return new StoreUnavailable(`PostgreSQL cannot do the work now (${code}): ${message ?? ''}`, { cause: error });
  const unreachable =
    (code !== undefined && (UNREACHABLE_CODES.has(code) || code.startsWith('08') || /^57P0[123]$/.test(code))) ||
    // node-postgres's own errors for a connection that ended or could not be made in time carry no code.
    /^Connection terminated|timeout exceeded when trying to connect/.test(message ?? '');
  if (unreachable) return new StoreUnavailable(`PostgreSQL cannot be reached: ${message ?? code}`, { cause: error });
  return error;
}
