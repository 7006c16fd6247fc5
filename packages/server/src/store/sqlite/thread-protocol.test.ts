// How the SQLite store's errors cross from its thread: a StoreUnavailable stays one (a 503), others keep their code.
import { expect, it } from 'vitest';
import { StoreUnavailable } from '../store.js';
import { deserializeError, serializeError } from './thread-protocol.js';

function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'SqliteError', code });
}

it('carries StoreUnavailable across, with its message', () => {
  const error = deserializeError(serializeError(new StoreUnavailable('the SQLite file is locked by another process')));
  expect(error).toBeInstanceOf(StoreUnavailable);
  expect(error.message).toBe('the SQLite file is locked by another process');
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
