// Turns "limit + 1 rows" into a page and its cursor, so each list query stays one SQL statement.
import type { Page } from '../store.js';

export function toPage<Row, T>(rows: Row[], limit: number, map: (row: Row) => T, cursorOf: (row: Row) => string | number): Page<T> {
  const last = rows[limit - 1];
  return { data: rows.slice(0, limit).map(map), nextCursor: rows.length > limit && last !== undefined ? String(cursorOf(last)) : null };
}
