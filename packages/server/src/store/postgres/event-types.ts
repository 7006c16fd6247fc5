// SQL for the event-type catalog of a workspace.
import type { EventType } from '../../domain/workspace.js';
import { jsonOrNull, toEventType, toPage, type EventTypeRow } from '../rows.js';
import type { Page, PageRequest } from '../store.js';
import type { PostgresDatabase } from './database.js';

export async function insertEventType(database: PostgresDatabase, eventType: EventType): Promise<void> {
  await database.execute(
    'INSERT INTO event_types (workspace_id, name, description, schema, created_at) VALUES ($1, $2, $3, $4, $5)',
    [eventType.workspaceId, eventType.name, eventType.description, jsonOrNull(eventType.schema), eventType.createdAt],
  );
}

export async function getEventType(
  database: PostgresDatabase,
  workspaceId: string,
  name: string,
): Promise<EventType | undefined> {
  const [row] = await database.query<EventTypeRow>('SELECT * FROM event_types WHERE workspace_id = $1 AND name = $2', [
    workspaceId,
    name,
  ]);
  return row && toEventType(row);
}

export async function listEventTypes(
  database: PostgresDatabase,
  workspaceId: string,
  page: PageRequest,
): Promise<Page<EventType>> {
  // COLLATE "C": names sort byte by byte, as in SQLite, whatever the database's collation.
  const rows = await database.query<EventTypeRow>(
    `SELECT * FROM event_types WHERE workspace_id = $1 AND ($2::text IS NULL OR name COLLATE "C" > $2)
     ORDER BY name COLLATE "C" LIMIT $3`,
    [workspaceId, page.cursor ?? null, page.limit + 1],
  );
  return toPage(rows, page.limit, toEventType, (row) => row.name);
}

export async function deleteEventType(database: PostgresDatabase, workspaceId: string, name: string): Promise<boolean> {
  return (
    (await database.execute('DELETE FROM event_types WHERE workspace_id = $1 AND name = $2', [workspaceId, name])) > 0
  );
}
