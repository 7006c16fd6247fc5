// How the SQLite store's errors cross from its thread: those of a disk that refuses writes become StoreUnavailable.
import { expect, it } from 'vitest';
import { StoreUnavailable } from '../store.js';
import { deserializeError, serializeError } from './thread-protocol.js';

function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'SqliteError', code });
}

it.each([
  ['SQLITE_FULL', 'database or disk is full'],
  ['SQLITE_IOERR_WRITE', 'disk I/O error'],
  ['SQLITE_IOERR_FSYNC', 'disk I/O error'],
  ['SQLITE_BUSY', 'database is locked'],
])('%s becomes StoreUnavailable', (code, message) => {
  expect(deserializeError(serializeError(sqliteError(code, message)))).toBeInstanceOf(StoreUnavailable);
});

it('leaves other SQLite errors as they are, with their code', () => {
  const error = deserializeError(serializeError(sqliteError('SQLITE_CONSTRAINT_CHECK', 'CHECK constraint failed')));
  expect(error).not.toBeInstanceOf(StoreUnavailable);
  expect(error).toMatchObject({
    name: 'SqliteError',
    code: 'SQLITE_CONSTRAINT_CHECK',
    message: 'CHECK constraint failed',
  });
});
