// Opens the SQLite file with the settings hookd relies on, and caches prepared statements.
import Database from 'better-sqlite3';
import { UniqueViolation } from '../store.js';
import { isDiskRefusal } from './disk-errors.js';
import { checkBeforeOpening, checkPages, explainOpeningError } from './file-checks.js';

/**
 * `LIMIT @name`, written so that the statement stays compiled. SQLite (3.53, as better-sqlite3 12 bundles it) plans
 * a LIMIT given as a bare parameter with the value bound to it, and so compiles the statement again every time it is
 * bound, which is every run: on the claim, a query of three unions, that was a tenth of the store thread's time.
 * `@name + 0` is an expression, which it leaves to run time.
 */
export function limitTo(parameter: string): string {
  return `LIMIT @${parameter} + 0`;
}

const BARE_LIMIT_PARAMETER = /\bLIMIT\s+[@:$?]\w*(?!\w|\s*\+)/i;

export class SqliteDatabase {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /**
   * The last error of a write the disk refused (full, failing), until a transaction commits again: while it is set
   * the store is not ready (/readyz answers 503), and each ping tries a write of its own (probeWrite).
   */
  diskRefusal: Error | undefined;

  constructor(file: string) {
    const onDisk = file !== ':memory:';
    if (onDisk) checkBeforeOpening(file);
    this.db = new Database(file);
    try {
      // WAL lets readers run beside the writer; FULL makes every commit survive power loss, not just a crash:
      // an event acknowledged with 202 must never be lost. Group commit (many publishes per transaction) pays for it.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      // Statement journals (kept while a statement that changes several rows runs) in memory, not in a temp file:
      // written to and thrown away within the transaction, they never needed the disk.
      this.db.pragma('temp_store = MEMORY');
      if (onDisk) checkPages(this.db);
    } catch (error) {
      this.db.close();
      throw explainOpeningError(error);
    }
  }

  /**
   * Whether the disk takes writes again after it refused one: a tiny write of its own, which throws SQLite's error
   * while it does not. Rewriting user_version with its own value changes nothing, yet SQLite writes the page that
   * holds it to the WAL on commit, as any write would (measured: one frame each time).
   */
  probeWrite(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    this.immediateTransaction(() => this.db.pragma(`user_version = ${version}`));
    this.diskRefusal = undefined;
  }

  /** A prepared statement, compiled once per SQL text. */
  prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (BARE_LIMIT_PARAMETER.test(sql))
        throw new Error(
          `a LIMIT bound to a bare parameter is compiled again on every run; write ${limitTo('name')}: ${sql}`,
        );
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Runs `run` in a transaction of its own whose commit does not wait for the disk: for writes whose loss in a power
   * cut costs nothing but a repeat (a claim's lease: the delivery is then simply due again, as it was). A later
   * synchronous commit makes them durable with it, since the WAL is written in order.
   */
  unsyncedTransaction<T>(run: () => T): T {
    this.prepared('PRAGMA synchronous = NORMAL').run();
    try {
      return this.immediateTransaction(run);
    } finally {
      this.prepared('PRAGMA synchronous = FULL').run();
    }
  }

  /**
   * `run` in a BEGIN IMMEDIATE transaction, committed when it returns and rolled back when it throws. Prepared
   * statements rather than better-sqlite3's db.transaction(), which builds its wrapper functions on every call: on
   * the hot paths (group commit, claims) that showed at 5 % of the store's thread.
   */
  immediateTransaction<T>(run: () => T): T {
    // Only a commit that wrote something shows the disk takes writes again (a claim that found nothing writes nothing).
    const changesBefore = this.diskRefusal ? this.totalChanges() : 0;
    this.prepared('BEGIN IMMEDIATE').run();
    try {
      const result = run();
      this.prepared('COMMIT').run();
      if (this.diskRefusal && this.totalChanges() > changesBefore) this.diskRefusal = undefined;
      return result;
    } catch (error) {
      if (isDiskRefusal((error as { code?: string }).code)) this.diskRefusal = error as Error;
      // Some errors (disk full, I/O) have SQLite roll the transaction back itself.
      if (this.db.inTransaction) this.prepared('ROLLBACK').run();
      throw error;
    }
  }

  private totalChanges(): number {
    return (this.prepared('SELECT total_changes() AS n').get() as { n: number }).n;
  }

  /** Runs `run`, turning SQLite's unique-constraint failures into UniqueViolation. */
  write<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new UniqueViolation((error as Error).message);
      }
      throw error;
    }
  }

  close(): void {
    this.db.close();
  }
}

export const toMs = (date: Date): number => date.getTime();
export const toDate = (ms: number): Date => new Date(ms);
