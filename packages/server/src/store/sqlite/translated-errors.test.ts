// Which SQLite errors become StoreUnavailable (a 503 with Retry-After: the same call may work shortly).
import { expect, it } from 'vitest';
import { StoreUnavailable } from '../store.js';
import { translatedSqliteError } from './translated-errors.js';

function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'SqliteError', code });
}

it.each([
  ['SQLITE_FULL', 'database or disk is full'],
  ['SQLITE_IOERR_WRITE', 'disk I/O error'],
  ['SQLITE_IOERR_FSYNC', 'disk I/O error'],
  ['SQLITE_BUSY', 'database is locked'],
])('%s becomes StoreUnavailable', (code, message) => {
  expect(translatedSqliteError(sqliteError(code, message))).toBeInstanceOf(StoreUnavailable);
});

it('leaves other SQLite errors as they are', () => {
  const error = sqliteError('SQLITE_CONSTRAINT_CHECK', 'CHECK constraint failed');
  expect(translatedSqliteError(error)).toBe(error);
});
