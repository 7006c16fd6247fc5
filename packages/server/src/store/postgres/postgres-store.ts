// The Store on PostgreSQL: many hookd processes share one database, so leases and NOTIFY do what one process's
// memory does for SQLite.
import type { AttemptRecord } from '../../domain/delivery.js';
import type { PruneBatch, Store, StoredEvent } from '../store.js';
import * as claims from './claims.js';
import { PostgresDatabase, type PostgresOptions } from './database.js';
import * as deliveries from './deliveries.js';
import * as deliveryLog from './delivery-log.js';
import { watchChannel, watchDueWork } from './due-listener.js';
import * as eventTypes from './event-types.js';
import * as events from './events.js';
import { migratePostgres } from './migrate.js';
import { readQueueFigures } from './queue-figures.js';
import { BackgroundVacuum, PRUNE_VACUUM_EVERY_ROWS, VACUUM_EVERY_ATTEMPTS } from './background-vacuum.js';
import * as retention from './retention.js';
import { disableLongFailingWebhooks } from './auto-disable.js';
import * as alerts from './alerts.js';
import * as webhooks from './webhooks.js';
import { WriteBatch } from './write-batch.js';
import * as workspaces from './workspaces.js';
import * as browserSessions from './browser-sessions.js';
import * as webhookStats from './webhook-stats.js';

// A table, one line per Store method to the SQL function that serves it: split, it would hide which methods exist.
// eslint-disable-next-line max-lines-per-function -- a table of the Store's methods (issue #16)
export function openPostgresStore(options: PostgresOptions): Store {
  const database = new PostgresDatabase(options);
  const publishes = new WriteBatch<events.Publish, StoredEvent>(
    (batch) => events.insertPublishes(database, batch),
    events.clashes,
  );
  const onVacuumError = (error: Error) => options.onBackgroundError?.(error);
  const queueVacuum = new BackgroundVacuum(
    database,
    'deliveries',
    options.vacuumEveryAttempts ?? VACUUM_EVERY_ATTEMPTS,
    onVacuumError,
  );
  const pruneVacuum = new BackgroundVacuum(
    database,
    'events, deliveries, attempts',
    options.vacuumEveryPrunedRows ?? PRUNE_VACUUM_EVERY_ROWS,
    onVacuumError,
  );
  const records = new WriteBatch<{ record: AttemptRecord; now: Date }>(async (batch) => {
    await deliveries.recordAttempts(database, batch);
    queueVacuum.count(batch.length);
    queueVacuum.startIfDue();
    return batch.map(() => undefined);
  });
  /** A prune batch, counted; the walk through the events is a round's last over those tables: then they may be vacuumed. */
  const pruned = async (batch: Promise<PruneBatch>, endsRound: boolean): Promise<PruneBatch> => {
    const done = await batch;
    pruneVacuum.count(done.deleted);
    if (endsRound && done.reachedRecent) pruneVacuum.startIfDue();
    return done;
  };
  return {
    // Other processes claim from the same queue: leases found at start-up may be theirs, live.
    capabilities: { singleProcess: false },
    migrate: () => migratePostgres(database),
    ping: async () => {
      await database.query('SELECT 1');
      // After the server refused a write for want of disk, ready again only once it takes one.
      if (database.diskRefusal) await database.probeWrite();
    },
    close: () => database.close(),

    insertWorkspace: (workspace) => workspaces.insertWorkspace(database, workspace),
    getWorkspace: (id) => workspaces.getWorkspace(database, id),
    findWorkspaceByName: (name) => workspaces.findWorkspaceByName(database, name),
    listWorkspaces: (page) => workspaces.listWorkspaces(database, page),
    updateWorkspace: (workspace) => workspaces.updateWorkspace(database, workspace),
    hasAdminKey: () => workspaces.hasAdminKey(database),
    insertApiKey: (key) => workspaces.insertApiKey(database, key),
    findApiKeysByLookup: (lookup) => workspaces.findApiKeysByLookup(database, lookup),
    listApiKeys: (workspaceId, page) => workspaces.listApiKeys(database, workspaceId, page),
    revokeApiKey: (revocation) => workspaces.revokeApiKey(database, revocation),
    recordApiKeyUse: (id, at) => workspaces.recordApiKeyUse(database, id, at),
    watchApiKeyRevocations: (onRevoked, onProblem) =>
      watchChannel(database, workspaces.KEY_REVOKED_CHANNEL, onRevoked, onProblem),

    insertBrowserSession: (session) => browserSessions.insertBrowserSession(database, session),
    findLiveBrowserSession: (tokenHash, now) => browserSessions.findLiveBrowserSession(database, tokenHash, now),
    deleteBrowserSession: (tokenHash) => browserSessions.deleteBrowserSession(database, tokenHash),
    deleteExpiredBrowserSessions: (batch) => browserSessions.deleteExpiredBrowserSessions(database, batch),

    insertWebhook: (webhook) => webhooks.insertWebhook(database, webhook),
    getWebhook: (workspaceId, id) => webhooks.getWebhook(database, workspaceId, id),
    listWebhooks: (workspaceId, page) => webhooks.listWebhooks(database, workspaceId, page),
    listWebhookIds: (workspaceId) => webhooks.listWebhookIds(database, workspaceId),
    countWebhooks: (workspaceId) => webhooks.countWebhooks(database, workspaceId),
    updateWebhook: (workspaceId, id, changes) => webhooks.updateWebhook(database, workspaceId, id, changes),
    deleteWebhook: (workspaceId, id) => webhooks.deleteWebhook(database, workspaceId, id),
    listStoredSecrets: (page) => webhooks.listStoredSecrets(database, page),
    replaceStoredSecrets: (replacements) => webhooks.replaceStoredSecrets(database, replacements),

    insertEventType: (eventType) => eventTypes.insertEventType(database, eventType),
    getEventType: (workspaceId, name) => eventTypes.getEventType(database, workspaceId, name),
    listEventTypes: (workspaceId, page) => eventTypes.listEventTypes(database, workspaceId, page),
    deleteEventType: (workspaceId, name) => eventTypes.deleteEventType(database, workspaceId, name),

    listSubscribedWebhooks: (workspaceId) => webhooks.listSubscribedWebhooks(database, workspaceId),
    insertEventWithDeliveries: (event, newDeliveries) => publishes.write({ event, deliveries: newDeliveries }),
    findEvent: (workspaceId, id) => events.findEvent(database, workspaceId, id),
    findEventByIdempotencyKey: (workspaceId, key) => events.findEventByIdempotencyKey(database, workspaceId, key),
    listEvents: (workspaceId, page) => events.listEvents(database, workspaceId, page),

    claimDueDeliveries: (claim) => claims.claimDueDeliveries(database, claim),
    recordAttempts: async (attemptRecords, now) => {
      await Promise.all(attemptRecords.map((record) => records.write({ record, now })));
    },
    releaseDeliveries: (released, now) => deliveries.releaseDeliveries(database, released, now),
    releaseAllLeases: (now) => deliveries.releaseAllLeases(database, now),
    watchDueWork: (onDue, onProblem) => watchDueWork(database, onDue, onProblem),
    nextDueAt: (excludeWebhookIds) => deliveries.nextDueAt(database, excludeWebhookIds),
    readQueueFigures: (now) => readQueueFigures(database, now),
    listDeliveries: (workspaceId, filter, page) => deliveryLog.listDeliveries(database, workspaceId, filter, page),
    getDelivery: (workspaceId, id) => deliveries.getDelivery(database, workspaceId, id),
    listHourlyCounts: (workspaceId, webhookIds, since) =>
      webhookStats.listHourlyCounts(database, workspaceId, webhookIds, since),
    listAttempts: (workspaceId, deliveryId, page) => deliveries.listAttempts(database, workspaceId, deliveryId, page),
    restartDeliveries: (workspaceId, which, now) => deliveries.restartDeliveries(database, workspaceId, which, now),
    deleteHourlyCountsBefore: (batch) => webhookStats.deleteHourlyCountsBefore(database, batch),
    deleteFinishedDeliveries: (batch) => pruned(retention.deleteFinishedDeliveries(database, batch), false),
    deleteEventsWithoutDeliveries: (batch) => pruned(retention.deleteEventsWithoutDeliveries(database, batch), true),
    disableLongFailingWebhooks: (now) => disableLongFailingWebhooks(database, now),

    setAlertSecret: (workspaceId, secret, options) => alerts.setAlertSecret(database, workspaceId, secret, options),
    claimDueAlerts: (claim) => alerts.claimDueAlerts(database, claim),
    releaseAlertLeases: (now) => alerts.releaseAlertLeases(database, now),
    recordAlertOutcomes: (outcomes, now) => alerts.recordAlertOutcomes(database, outcomes, now),
    listStoredAlertSecrets: (page) => alerts.listStoredAlertSecrets(database, page),
    deleteFinishedAlerts: (batch) => retention.deleteFinishedAlerts(database, batch),
    replaceStoredAlertSecrets: (replacements) => alerts.replaceStoredAlertSecrets(database, replacements),
  };
}
