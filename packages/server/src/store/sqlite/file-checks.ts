// What can be wrong with the SQLite file hookd is given, found before it serves anything and said in one line.
import { accessSync, closeSync, constants, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';

/** The database file cannot be used as it is; the message says why, for the operator (the file is named by the caller). */
export class UnusableDatabaseFile extends Error {
  override name = 'UnusableDatabaseFile';
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

/**
 * Before SQLite opens `file`: a missing file is made (and its folder), as on a first start; anything else that is not
 * a database hookd can write is refused. An empty file above all: SQLite would take it for a new database and hookd
 * would start over on it, hiding a truncated file (and every event it held) from the operator.
 */
export function checkBeforeOpening(file: string): void {
  const folder = dirname(file);
  const found = statOrUndefined(file);
  if (!found) makeFolder(folder);
  else if (found.isDirectory()) throw new UnusableDatabaseFile('it is a directory, not a file');
  else if (found.size === 0) {
    throw new UnusableDatabaseFile(
      'it is empty (0 bytes): a truncated database? hookd does not start over on it; restore it from a backup, or delete it to start a new database',
    );
  } else if (!startsWith(file, SQLITE_HEADER))
    throw new UnusableDatabaseFile('it is not a SQLite database (it does not start with the SQLite header)');
  if (!isWritable(folder)) {
    throw new UnusableDatabaseFile(
      `its folder ${folder} is not writable (SQLite keeps its -wal and -shm files beside the database, and hookd its lock file)`,
    );
  }
  if (found && !isWritable(file)) throw new UnusableDatabaseFile('it is not writable');
}

/**
 * Files up to this size are checked whole at start (PRAGMA quick_check reads every page: 1.4 s for a 1 GiB file of
 * events and deliveries on the development machine, from the page cache, and the disk reads 1.1 GB/s; so about 3 s
 * here). Past it a start would wait for the check longer than for everything else together.
 */
const WHOLE_CHECK_MAX_BYTES = 2 * 1024 ** 3;

/**
 * The tables every request reads (who the caller is, what is subscribed): when the file is too large to check whole,
 * these are checked, so that a corrupt page there stops the start rather than failing every request. A corrupt page
 * in the log (events, deliveries, attempts) of such a file fails the requests that read it.
 */
const CONFIGURATION_TABLES = ['schema_migrations', 'workspaces', 'api_keys', 'webhooks', 'event_types'];

/** Once SQLite has opened the file: refuses one with corrupt pages, naming the first problem SQLite found. */
export function checkPages(db: Database.Database): void {
  // The size SQLite will walk: its pages, not the file's length (which may have room at the end SQLite ignores).
  const bytes =
    (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  const problems =
    bytes <= WHOLE_CHECK_MAX_BYTES
      ? quickCheck(db)
      : CONFIGURATION_TABLES.filter((table) => hasTable(db, table)).flatMap((table) => quickCheck(db, table));
  if (problems.length > 0)
    throw new UnusableDatabaseFile(
      `it is corrupt (PRAGMA quick_check: ${problems[0]!.replace(/\s+/g, ' ')}); restore it from a backup`,
    );
}

/** SQLite's own word that the file is not a database, or a damaged one (met while opening it), said as such. */
export function explainOpeningError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_NOTADB' || code?.startsWith('SQLITE_CORRUPT')) {
    return new UnusableDatabaseFile(`it is corrupt (${(error as Error).message}); restore it from a backup`);
  }
  return error;
}

function quickCheck(db: Database.Database, table?: string): string[] {
  const rows = db.pragma(table === undefined ? 'quick_check(1)' : `quick_check("${table}")`) as {
    quick_check: string;
  }[];
  return rows.map((row) => row.quick_check).filter((result) => result !== 'ok');
}

function hasTable(db: Database.Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

function statOrUndefined(file: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR')
      throw new UnusableDatabaseFile(`its folder ${dirname(file)} cannot be made: a file is in the way`);
    throw new UnusableDatabaseFile(`it cannot be read (${(error as Error).message})`);
  }
}

function makeFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way' : (error as Error).message;
    throw new UnusableDatabaseFile(`its folder ${folder} cannot be made: ${why}`);
  }
}

function startsWith(file: string, header: string): boolean {
  const bytes = Buffer.alloc(header.length);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new UnusableDatabaseFile(`it cannot be read (${(error as Error).message})`);
  }
  try {
    return readSync(fd, bytes, 0, bytes.length, 0) === bytes.length && bytes.toString('latin1') === header;
  } finally {
    closeSync(fd);
  }
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
