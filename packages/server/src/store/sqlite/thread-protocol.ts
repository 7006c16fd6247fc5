// The messages between a store running in its own thread and the process's main thread, and how errors cross.
import { DatabaseFromNewerHookd, StoreUnavailable, UniqueViolation, type Store } from '../store.js';

export type StoreMethod = Exclude<keyof Store, 'capabilities'>;

export interface StoreCall {
  id: number;
  method: StoreMethod;
  args: unknown[];
}

export type StoreReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

/** What the thread says once: the store opened, or why it could not. */
export type OpenedMessage =
  | {
      opened: true;
      capabilities: Store['capabilities'];
      /** The thread's code: dist/'s .js, or the .ts source. */ entry: string;
    }
  | { opened: false; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  constraint?: string;
  unknownMigrations?: string[];
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof UniqueViolation)
    return { name: error.name, message: error.message, constraint: error.constraint };
  if (error instanceof DatabaseFromNewerHookd)
    return { name: error.name, message: error.message, unknownMigrations: error.unknownMigrations };
  const err = error as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: typeof err.name === 'string' ? err.name : 'Error',
    message: typeof err.message === 'string' ? err.message : String(error),
    ...(typeof err.code === 'string' ? { code: err.code } : {}),
  };
}

/**
 * The same kind of error on this side: callers tell a UniqueViolation (a 409), a newer hookd's database (refused at
 * start) and a StoreUnavailable (a 503: the same call may work shortly; see translated-errors.ts) from the rest.
 */
export function deserializeError(serialized: SerializedError): Error {
  if (serialized.name === 'UniqueViolation') return new UniqueViolation(serialized.constraint ?? '');
  if (serialized.name === 'DatabaseFromNewerHookd')
    return new DatabaseFromNewerHookd(serialized.unknownMigrations ?? []);
  if (serialized.name === 'StoreUnavailable') return new StoreUnavailable(serialized.message);
  const error = new Error(serialized.message) as Error & { code?: string };
  error.name = serialized.name;
  if (serialized.code !== undefined) error.code = serialized.code;
  return error;
}
