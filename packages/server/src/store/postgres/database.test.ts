// Which PostgreSQL errors become StoreUnavailable (a 503 with Retry-After: the same call may work shortly).
import { describe, expect, it } from 'vitest';
import { StoreUnavailable, UniqueViolation } from '../store.js';
import { translated } from './database.js';

/** An error as node-postgres gives it: the server's SQLSTATE in `code`. */
function serverError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('translated', () => {
  it.each([
    ['53100', 'disk_full', 'could not extend file "base/16384/16385": No space left on device'],
    ['58030', 'io_error', 'could not write to file "pg_wal/xlogtemp.123": Input/output error'],
    ['53000', 'insufficient_resources', 'insufficient resources'],
    ['53200', 'out_of_memory', 'out of memory'],
    ['53300', 'too_many_connections', 'sorry, too many clients already'],
  ])('%s (%s) becomes StoreUnavailable, naming the code', (code, _name, message) => {
    const error = translated(serverError(code, message));
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect((error as Error).message).toContain(code);
  });

  it('leaves errors of the request itself as they are (not a 503: sending it again would fail the same way)', () => {
    for (const code of ['22001', '23503', '42P01', '58P01']) {
      const original = serverError(code, 'some error');
      expect(translated(original), code).toBe(original);
    }
    expect(
      translated(Object.assign(serverError('23505', 'duplicate key'), { constraint: 'events_pkey' })),
    ).toBeInstanceOf(UniqueViolation);
  });
});
