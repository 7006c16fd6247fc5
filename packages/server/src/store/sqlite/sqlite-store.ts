// The Store on one SQLite file. better-sqlite3 is synchronous; the async surface matches the PostgreSQL engine.
import type { Store } from '../store.js';
import { SqliteDatabase } from './database.js';
import { GroupCommit } from './group-commit.js';
import { migrateSqlite } from './migrate.js';
import { withTranslatedErrors } from './translated-errors.js';
import * as workspaces from './workspaces.js';
import * as webhooks from './webhooks.js';
import * as eventTypes from './event-types.js';
import * as events from './events.js';
import * as deliveries from './deliveries.js';
import * as deliveryLog from './delivery-log.js';
import * as browserSessions from './browser-sessions.js';
import * as webhookStats from './webhook-stats.js';
import { readQueueFigures } from './queue-figures.js';
import * as retention from './retention.js';
import { disableLongFailingWebhooks } from './auto-disable.js';
import * as alerts from './alerts.js';

// eslint-disable-next-line max-lines-per-function -- a table of the Store's methods, as openPostgresStore (issue #16)
export function openSqliteStore(file: string): Store {
  const database = new SqliteDatabase(file);
  // The writes on the delivery path (publish, claim, record, release) share commits; see group-commit.ts.
  const group = new GroupCommit(database);
  return withTranslatedErrors({
    // One process owns the file: a second would fight over the write lock, and leases left at start are stale.
    capabilities: { singleProcess: true },
    migrate: async () => migrateSqlite(database),
    ping: async () => {
      database.prepared('SELECT 1').get();
      // After the disk refused a write, ready again only once it takes one.
      if (database.diskRefusal) database.probeWrite();
    },
    close: async () => database.close(),

    insertWorkspace: async (workspace) => workspaces.insertWorkspace(database, workspace),
    getWorkspace: async (id) => workspaces.getWorkspace(database, id),
    findWorkspaceByName: async (name) => workspaces.findWorkspaceByName(database, name),
    listWorkspaces: async (page) => workspaces.listWorkspaces(database, page),
    updateWorkspace: async (workspace) => workspaces.updateWorkspace(database, workspace),
    hasAdminKey: async () => workspaces.hasAdminKey(database),
    insertApiKey: async (key) => workspaces.insertApiKey(database, key),
    findApiKeysByLookup: async (lookup) => workspaces.findApiKeysByLookup(database, lookup),
    listApiKeys: async (workspaceId, page) => workspaces.listApiKeys(database, workspaceId, page),
    revokeApiKey: async (revocation) => workspaces.revokeApiKey(database, revocation),
    recordApiKeyUse: async (id, at) => workspaces.recordApiKeyUse(database, id, at),
    // One process owns the file: its own revocations drop its read cache (a `hookd keys revoke` run beside it is
    // seen once the cache's entries age out, within a second).
    watchApiKeyRevocations: async () => async () => {},

    insertBrowserSession: async (session) => browserSessions.insertBrowserSession(database, session),
    findLiveBrowserSession: async (tokenHash, now) => browserSessions.findLiveBrowserSession(database, tokenHash, now),
    deleteBrowserSession: async (tokenHash) => browserSessions.deleteBrowserSession(database, tokenHash),
    deleteExpiredBrowserSessions: async (batch) => browserSessions.deleteExpiredBrowserSessions(database, batch),

    insertWebhook: async (webhook) => webhooks.insertWebhook(database, webhook),
    getWebhook: async (workspaceId, id) => webhooks.getWebhook(database, workspaceId, id),
    listWebhooks: async (workspaceId, page) => webhooks.listWebhooks(database, workspaceId, page),
    listWebhookIds: async (workspaceId) => webhooks.listWebhookIds(database, workspaceId),
    countWebhooks: async (workspaceId) => webhooks.countWebhooks(database, workspaceId),
    updateWebhook: async (workspaceId, id, changes) => webhooks.updateWebhook(database, workspaceId, id, changes),
    deleteWebhook: async (workspaceId, id) => webhooks.deleteWebhook(database, workspaceId, id),
    listStoredSecrets: async (page) => webhooks.listStoredSecrets(database, page),
    replaceStoredSecrets: async (replacements) => webhooks.replaceStoredSecrets(database, replacements),

    insertEventType: async (eventType) => eventTypes.insertEventType(database, eventType),
    getEventType: async (workspaceId, name) => eventTypes.getEventType(database, workspaceId, name),
    listEventTypes: async (workspaceId, page) => eventTypes.listEventTypes(database, workspaceId, page),
    deleteEventType: async (workspaceId, name) => eventTypes.deleteEventType(database, workspaceId, name),

    listSubscribedWebhooks: async (workspaceId) => webhooks.listSubscribedWebhooks(database, workspaceId),
    insertEventWithDeliveries: (event, newDeliveries) =>
      group.write(() => events.insertEventWithDeliveries(database, event, newDeliveries)),
    findEvent: async (workspaceId, id) => events.findEvent(database, workspaceId, id),
    findEventByIdempotencyKey: async (workspaceId, key) => events.findEventByIdempotencyKey(database, workspaceId, key),
    listEvents: async (workspaceId, page) => events.listEvents(database, workspaceId, page),

    // A claim is what the worker waits on before it can send: it commits at once and without the fsync, rather
    // than queueing behind the turn's publishes and records for theirs.
    claimDueDeliveries: async (claim) =>
      database.unsyncedTransaction(() => deliveries.claimDueDeliveries(database, claim)),
    recordAttempts: (records, now) => group.write(() => deliveries.recordAttempts(database, records, now)),
    releaseDeliveries: (claims, now) => group.write(() => deliveries.releaseDeliveries(database, claims, now)),
    // In a transaction of its own so that a disk that refuses it is noticed (see SqliteDatabase.diskRefusal).
    releaseAllLeases: async (now) => database.immediateTransaction(() => deliveries.releaseAllLeases(database, now)),
    // Publishes wake the worker of the one process that uses the file: nothing to watch.
    watchDueWork: async () => async () => {},
    nextDueAt: async (excludeWebhookIds) => deliveries.nextDueAt(database, excludeWebhookIds),
    readQueueFigures: async (now) => readQueueFigures(database, now),
    listDeliveries: async (workspaceId, filter, page) =>
      deliveryLog.listDeliveries(database, workspaceId, filter, page),
    getDelivery: async (workspaceId, id) => deliveries.getDelivery(database, workspaceId, id),
    listHourlyCounts: async (workspaceId, webhookIds, since) =>
      webhookStats.listHourlyCounts(database, workspaceId, webhookIds, since),
    listAttempts: async (workspaceId, deliveryId, page) =>
      deliveries.listAttempts(database, workspaceId, deliveryId, page),
    restartDeliveries: async (workspaceId, which, now) =>
      deliveries.restartDeliveries(database, workspaceId, which, now),
    // Each batch in a transaction of its own, outside the group commit: a publish waits behind one batch at most.
    deleteHourlyCountsBefore: async (batch) => webhookStats.deleteHourlyCountsBefore(database, batch),
    deleteFinishedDeliveries: async (batch) => retention.deleteFinishedDeliveries(database, batch),
    deleteEventsWithoutDeliveries: async (batch) => retention.deleteEventsWithoutDeliveries(database, batch),
    disableLongFailingWebhooks: async (now) => disableLongFailingWebhooks(database, now),

    setAlertSecret: async (workspaceId, secret, options) =>
      alerts.setAlertSecret(database, workspaceId, secret, options),
    // Alone, outside the group commit, as a claim of deliveries: the sender waits on it, and it is small.
    // A read first: the sender asks every second, nearly always for nothing, and a write transaction to learn that
    // would queue behind (and hold up) the store's one thread whenever another process holds the write lock.
    claimDueAlerts: async (claim) =>
      alerts.anyAlertDue(database, claim.now)
        ? database.unsyncedTransaction(() => alerts.claimDueAlerts(database, claim))
        : [],
    releaseAlertLeases: async (now) => database.immediateTransaction(() => alerts.releaseAlertLeases(database, now)),
    recordAlertOutcomes: (outcomes, now) => group.write(() => alerts.recordAlertOutcomes(database, outcomes, now)),
    listStoredAlertSecrets: async (page) => alerts.listStoredAlertSecrets(database, page),
    deleteFinishedAlerts: async (batch) => retention.deleteFinishedAlerts(database, batch),
    replaceStoredAlertSecrets: async (replacements) =>
      database.immediateTransaction(() => alerts.replaceStoredAlertSecrets(database, replacements)),
  });
}
