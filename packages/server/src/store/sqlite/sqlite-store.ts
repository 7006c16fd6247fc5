// The Store on one SQLite file. better-sqlite3 is synchronous; the async surface matches the PostgreSQL engine.
import type { Store } from '../store.js';
import { SqliteDatabase } from './database.js';
import { migrateSqlite } from './migrate.js';
import * as workspaces from './workspaces.js';
import * as webhooks from './webhooks.js';
import * as eventTypes from './event-types.js';

export function openSqliteStore(file: string): Store {
  const database = new SqliteDatabase(file);
  return {
    migrate: async () => migrateSqlite(database),
    ping: async () => {
      database.prepared('SELECT 1').get();
    },
    close: async () => database.close(),

    insertWorkspace: async (workspace) => workspaces.insertWorkspace(database, workspace),
    getWorkspace: async (id) => workspaces.getWorkspace(database, id),
    findWorkspaceByName: async (name) => workspaces.findWorkspaceByName(database, name),
    listWorkspaces: async (page) => workspaces.listWorkspaces(database, page),
    updateWorkspace: async (workspace) => workspaces.updateWorkspace(database, workspace),
    insertApiKey: async (key) => workspaces.insertApiKey(database, key),
    findApiKeysByLookup: async (lookup) => workspaces.findApiKeysByLookup(database, lookup),

    insertWebhook: async (webhook) => webhooks.insertWebhook(database, webhook),
    getWebhook: async (workspaceId, id) => webhooks.getWebhook(database, workspaceId, id),
    listWebhooks: async (workspaceId, page) => webhooks.listWebhooks(database, workspaceId, page),
    updateWebhook: async (webhook) => webhooks.updateWebhook(database, webhook),
    deleteWebhook: async (workspaceId, id) => webhooks.deleteWebhook(database, workspaceId, id),

    insertEventType: async (eventType) => eventTypes.insertEventType(database, eventType),
    getEventType: async (workspaceId, name) => eventTypes.getEventType(database, workspaceId, name),
    listEventTypes: async (workspaceId, page) => eventTypes.listEventTypes(database, workspaceId, page),
    deleteEventType: async (workspaceId, name) => eventTypes.deleteEventType(database, workspaceId, name),
  };
}
