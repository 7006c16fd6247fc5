// Checks a list's cursor before it reaches the store, so a mangled cursor is a 400 rather than an empty page.
import { HookdError } from '../domain/errors.js';
import type { PageRequest } from '../store/store.js';
import { DEFAULT_PAGE_LIMIT, type PageQuery } from './schemas/common.js';

export function pageRequest(query: PageQuery, cursorIsValid: (cursor: string) => boolean): PageRequest {
  if (query.cursor !== undefined && !cursorIsValid(query.cursor)) {
    throw new HookdError('HOOKD_ERR_VALIDATION', 'cursor: is not a nextCursor of this list', [
      { field: 'cursor', message: 'is not a nextCursor of this list' },
    ]);
  }
  return { limit: query.limit ?? DEFAULT_PAGE_LIMIT, cursor: query.cursor };
}

/** Lists of events, deliveries and attempts page by their row sequence number. */
export const isSeqCursor = (cursor: string): boolean => /^\d{1,15}$/.test(cursor);
