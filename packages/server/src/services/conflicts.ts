// Turns an engine's unique violation into the 409 a client understands.
import { HookdError } from '../domain/errors.js';
import { UniqueViolation } from '../store/store.js';

export async function conflictAs<T>(message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueViolation) throw new HookdError('HOOKD_ERR_CONFLICT', message);
    throw error;
  }
}
