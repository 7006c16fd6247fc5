// SQLite's errors that say "not now" (the file locked by another process, a disk that refuses writes) become
// StoreUnavailable (a 503 with Retry-After) at the store's edge, so that every caller sees the same errors whether the
// store runs in its own thread (hookd serve) or in the caller's (tests, tools).
import { StoreUnavailable, type Store } from '../store.js';
import { isDiskRefusal } from './disk-errors.js';

/** StoreUnavailable for a file locked past the busy timeout or a disk that refuses writes; any other error as it is. */
export function translatedSqliteError(error: unknown): unknown {
  const { code, message } = error as { code?: string; message?: string };
  if (code?.startsWith('SQLITE_BUSY'))
    return new StoreUnavailable(`the SQLite file is locked by another process: ${message ?? code}`, { cause: error });
  if (isDiskRefusal(code))
    return new StoreUnavailable(`the disk refuses the SQLite file's writes (${code}): ${message ?? ''}`, {
      cause: error,
    });
  return error;
}

/** `store` with the errors of each of its calls translated (see translatedSqliteError). */
export function withTranslatedErrors(store: Store): Store {
  const translated: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(store)) {
    translated[name] =
      typeof member === 'function'
        ? async (...args: unknown[]) => {
            try {
              return await (member as (...args: unknown[]) => Promise<unknown>)(...args);
            } catch (error) {
              throw translatedSqliteError(error);
            }
          }
        : member;
  }
  return translated as unknown as Store;
}
