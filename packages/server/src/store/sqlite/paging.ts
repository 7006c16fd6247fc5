// Turns "limit + 1 rows" into a page and its cursor, so each list query stays one SQL statement.
import type { Page } from '../store.js';

export function toPage<Row, T>(rows: Row[], limit: number, map: (row: Row) => T, cursorOf: (item: T) => string): Page<T> {
  const items = rows.slice(0, limit).map(map);
  const last = items[items.length - 1];
  return { data: items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
