// SQL for the event-type catalog of a workspace.
import type { EventType } from '../../domain/workspace.js';
import type { Page, PageRequest } from '../store.js';
import { jsonOrNull, toEventType, toPage, type EventTypeRow } from '../rows.js';
import { limitTo, toMs, type SqliteDatabase } from './database.js';

export function insertEventType(database: SqliteDatabase, eventType: EventType): void {
  database.write(() =>
    database
      .prepared(
        `INSERT INTO event_types (workspace_id, name, description, schema, created_at)
         VALUES (@workspace_id, @name, @description, @schema, @created_at)`,
      )
      .run({
        workspace_id: eventType.workspaceId,
        name: eventType.name,
        description: eventType.description,
        schema: jsonOrNull(eventType.schema),
        created_at: toMs(eventType.createdAt),
      }),
  );
}

export function getEventType(database: SqliteDatabase, workspaceId: string, name: string): EventType | undefined {
  const row = database
    .prepared('SELECT * FROM event_types WHERE workspace_id = ? AND name = ?')
    .get(workspaceId, name) as EventTypeRow | undefined;
  return row && toEventType(row);
}

export function listEventTypes(database: SqliteDatabase, workspaceId: string, page: PageRequest): Page<EventType> {
  const rows = database
    .prepared(
      `SELECT * FROM event_types WHERE workspace_id = @workspace_id AND (@cursor IS NULL OR name > @cursor)
       ORDER BY name ${limitTo('limit')}`,
    )
    .all({ workspace_id: workspaceId, cursor: page.cursor ?? null, limit: page.limit + 1 }) as EventTypeRow[];
  return toPage(rows, page.limit, toEventType, (row) => row.name);
}

export function deleteEventType(database: SqliteDatabase, workspaceId: string, name: string): boolean {
  return (
    database.prepared('DELETE FROM event_types WHERE workspace_id = ? AND name = ?').run(workspaceId, name).changes > 0
  );
}
