// The storage interface every other layer depends on. Engines live in store/sqlite and store/postgres.
import type { ApiKey, EventType, Workspace } from '../domain/workspace.js';
import type { Webhook } from '../domain/webhook.js';
import type {
  AttemptRecord,
  Attempt,
  ClaimedDelivery,
  Delivery,
  DeliveryKind,
  DeliveryStatus,
} from '../domain/delivery.js';
import type { EventRecord } from '../domain/envelope.js';
import type { BrowserSession, LiveBrowserSession } from '../domain/browser-session.js';
import type { HourlyCount } from '../domain/webhook-stats.js';
import type { QueueFigures } from './queue-figures.js';
import type { DeleteBeforeBatch, PruneBatch, PruneBatchRequest } from './prune-batch.js';
import type { AutoDisabledWebhook } from './auto-disabled-webhook.js';

export type { DeleteBeforeBatch, PruneBatch, PruneBatchRequest } from './prune-batch.js';
export type { AutoDisabledWebhook } from './auto-disabled-webhook.js';
import type { AlertOutbox } from './alert-outbox.js';

/** Lists walk newest first; `cursor` is the last key of the previous page. */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** A page of events also ends once its events' data passes `maxDataBytes` (it always holds at least one event). */
export interface EventPageRequest extends PageRequest {
  maxDataBytes?: number | undefined;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** A delivery to make with its event (see insertEventWithDeliveries). */
export interface NewDelivery {
  id: string;
  webhookId: string;
  /** When it is due; for one made leased, when the lease runs out. */
  nextAttemptAt: Date;
  kind?: DeliveryKind;
  /**
   * Made already leased under this token, as a claim would leave it: no claim takes it before `nextAttemptAt`, and
   * its holder records its attempt without claiming it first (the delivery side's way to send a new delivery at once).
   */
  leaseToken?: string;
}

/** What a publish stored (see insertEventWithDeliveries). */
export interface StoredEvent {
  /** Deliveries made: one per webhook given that still exists. */
  made: number;
  /** The seq of each delivery made with a lease token, by delivery id. */
  leasedSeqs: Record<string, number>;
}

export interface Store extends AlertOutbox {
  readonly capabilities: StoreCapabilities;
  /** Applies every migration not yet applied. Safe to call on every start. */
  migrate(): Promise<{ applied: string[] }>;
  /** Resolves when the database answers; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;

  insertWorkspace(workspace: Workspace): Promise<void>;
  getWorkspace(id: string): Promise<Workspace | undefined>;
  findWorkspaceByName(name: string): Promise<Workspace | undefined>;
  listWorkspaces(page: PageRequest): Promise<Page<Workspace>>;
  updateWorkspace(workspace: Workspace): Promise<void>;

  insertApiKey(key: ApiKey): Promise<void>;
  /** Whether any admin key that is not revoked exists. */
  hasAdminKey(): Promise<boolean>;
  /** Keys not revoked whose lookup prefix matches; the caller compares the full hash in constant time. */
  findApiKeysByLookup(lookup: string): Promise<ApiKey[]>;
  /** A workspace's keys that are not revoked, by id newest first. */
  listApiKeys(workspaceId: string, page: PageRequest): Promise<Page<ApiKey>>;
  /**
   * Revokes a key for good: no lookup finds it again. `workspaceId` undefined: whichever workspace holds it.
   * `keepAnAdmin`: refuse ('last-admin') when it is the only admin key not revoked, checked and written atomically.
   * Processes sharing the database are told (see watchApiKeyRevocations).
   */
  revokeApiKey(revocation: ApiKeyRevocation): Promise<'revoked' | 'not-found' | 'last-admin'>;
  /** Notes that a key authenticated a request at `at`. */
  recordApiKeyUse(id: string, at: Date): Promise<void>;
  /**
   * Calls `onRevoked` when another process may have revoked a key (PostgreSQL: NOTIFY), and `onProblem` when
   * watching fails (it keeps trying; each new connection reports a revocation, as some may have been missed).
   * A no-op for a single-process store. Returns the unsubscribe.
   */
  watchApiKeyRevocations(onRevoked: () => void, onProblem: (error: Error) => void): Promise<() => Promise<void>>;

  /** Stores a new dashboard or portal session (and deletes expired ones). */
  insertBrowserSession(session: BrowserSession): Promise<void>;
  /** The session of this token hash if it has not expired and, for a dashboard session, its API key is not revoked. */
  findLiveBrowserSession(tokenHash: string, now: Date): Promise<LiveBrowserSession | undefined>;
  /** False when there was no such session. */
  deleteBrowserSession(tokenHash: string): Promise<boolean>;
  /** Deletes at most `limit` sessions expired by `before` (dashboard and portal alike); answers how many. */
  deleteExpiredBrowserSessions(batch: DeleteBeforeBatch): Promise<number>;

  insertWebhook(webhook: Webhook): Promise<void>;
  getWebhook(workspaceId: string, id: string): Promise<Webhook | undefined>;
  /** Secret fields as stored (perhaps encrypted), as in every read of webhooks: WebhookSecrets.open decrypts them. */
  listWebhooks(workspaceId: string, page: PageRequest): Promise<Page<Webhook>>;
  /** Every webhook id of the workspace, newest first (the stats read these, not whole rows: a fifth of their CPU). */
  listWebhookIds(workspaceId: string): Promise<string[]>;
  /** How many webhooks a workspace has, disabled ones included. */
  countWebhooks(workspaceId: string): Promise<number>;
  /**
   * Writes only the fields given (and updatedAt), so a change does not undo what another process wrote meanwhile to
   * the others (a worker marking the webhook failing, say). False when there was no such webhook in that workspace.
   */
  updateWebhook(workspaceId: string, id: string, changes: WebhookChanges): Promise<boolean>;
  /** False when there was no such webhook in that workspace. */
  deleteWebhook(workspaceId: string, id: string): Promise<boolean>;
  /** Every webhook's secrets as stored (encrypted or not), by id across all workspaces: for re-encrypting them. */
  listStoredSecrets(page: PageRequest): Promise<Page<StoredSecrets>>;
  /**
   * Writes each `replacement` where the row still holds its `expected` exactly, so a change made since it was read
   * (a PATCH, a rotation of the secret) wins and is not undone. Leaves updatedAt alone. Answers how many were written.
   */
  replaceStoredSecrets(replacements: { expected: StoredSecrets; replacement: StoredSecrets }[]): Promise<number>;

  insertEventType(eventType: EventType): Promise<void>;
  getEventType(workspaceId: string, name: string): Promise<EventType | undefined>;
  /** Ordered by name; `cursor` is the last name of the previous page. */
  listEventTypes(workspaceId: string, page: PageRequest): Promise<Page<EventType>>;
  deleteEventType(workspaceId: string, name: string): Promise<boolean>;

  /**
   * Every webhook of a workspace that may receive new events (not disabled), for matching on publish. Secret fields
   * as stored (perhaps encrypted): WebhookSecrets.open gives them before anything is signed.
   */
  listSubscribedWebhooks(workspaceId: string): Promise<Webhook[]>;
  /**
   * The event and all its deliveries in one transaction, skipping webhooks deleted meanwhile; answers how many
   * deliveries were made, and the seq of each made leased. UniqueViolation when the event's id or idempotency key was
   * seen before.
   */
  insertEventWithDeliveries(event: EventRecord, deliveries: NewDelivery[]): Promise<StoredEvent>;
  findEvent(workspaceId: string, id: string): Promise<EventRecord | undefined>;
  findEventByIdempotencyKey(workspaceId: string, key: string): Promise<EventRecord | undefined>;
  /**
   * Newest first; the cursor is opaque. Data is read only of the events the page holds: their sizes are summed
   * first, so a byte-bounded page of big events does not load the `limit` of them.
   */
  listEvents(workspaceId: string, page: EventPageRequest): Promise<Page<EventRecord>>;

  /**
   * Claims up to `limit` due deliveries of active webhooks (skipping `excludeWebhookIds`) for `leaseMs`:
   * until then no other claim takes them; after it, they are due again (crash recovery). The webhooks' secret
   * fields come as stored, as in listSubscribedWebhooks.
   */
  claimDueDeliveries(claim: {
    now: Date;
    leaseMs: number;
    limit: number;
    /** At most this many of one webhook in a claim (its in-flight cap)… */
    perWebhookLimit: number;
    /** …or fewer where the worker already has some in flight: webhook id → room left. */
    roomByWebhook: Record<string, number>;
    leaseToken: string;
    excludeWebhookIds: string[];
  }): Promise<ClaimedDelivery[]>;
  /**
   * Writes attempts and their deliveries' new state in one transaction; a record whose lease was lost is dropped. A
   * webhook status that really changes (never out of disabled) queues its alerts in the same transaction: of many
   * records saying the same change, only the first writes it (see AlertOutbox).
   */
  recordAttempts(records: AttemptRecord[], now: Date): Promise<void>;
  /** Hands claimed deliveries back, due at once (at shutdown, or when a webhook is out of rate-limit tokens). */
  releaseDeliveries(claims: { seq: number; leaseToken: string }[], now: Date): Promise<void>;
  /** When the engine has one owner process (SQLite), its leases at start-up belong to a dead predecessor. */
  releaseAllLeases(now: Date): Promise<number>;
  /**
   * Calls `onDue` when another process may have made work due (PostgreSQL: NOTIFY from a publish), and `onProblem`
   * when watching fails (it keeps trying). Returns the unsubscribe. A no-op for a single-process store, whose
   * publishes wake the worker in the same process.
   */
  watchDueWork(onDue: () => void, onProblem: (error: Error) => void): Promise<() => Promise<void>>;
  /** The earliest time a pending delivery of an active webhook (not one of `excludeWebhookIds`) comes due. */
  nextDueAt(excludeWebhookIds: string[]): Promise<Date | undefined>;

  /**
   * For /metrics at each scrape (so processes sharing the database agree): the due backlog of webhooks that deliver,
   * when its oldest came due, and webhooks by state. Cheap: index ranges over due deliveries only.
   */
  readQueueFigures(now: Date): Promise<QueueFigures>;

  listDeliveries(
    workspaceId: string,
    filter: {
      webhookId: string;
      status?: DeliveryStatus | undefined;
      eventType?: string | undefined;
      eventId?: string | undefined;
    },
    page: PageRequest,
  ): Promise<Page<Delivery>>;
  getDelivery(workspaceId: string, id: string): Promise<Delivery | undefined>;
  /** Attempts by outcome per hour since `since`, of those of `webhookIds` that are the workspace's (recordAttempts counts them). */
  listHourlyCounts(workspaceId: string, webhookIds: string[], since: Date): Promise<HourlyCount[]>;
  /** Retention: deletes at most `limit` hourly counts of hours that started before `before`; answers how many. */
  deleteHourlyCountsBefore(batch: DeleteBeforeBatch): Promise<number>;
  listAttempts(workspaceId: string, deliveryId: string, page: PageRequest): Promise<Page<Attempt>>;
  /**
   * Starts deliveries over, due at `now` with a fresh retry schedule: one by id (whatever its status, unless an
   * attempt holds a live lease on it), or every failed one of a webhook created since `since`. Returns how many.
   */
  restartDeliveries(
    workspaceId: string,
    which: { deliveryId: string } | { webhookId: string; failedSince: Date | undefined },
    now: Date,
  ): Promise<number>;

  /**
   * Retention, one batch: of the `limit` deliveries after seq `afterSeq`, deletes (with their attempts) those finished
   * (not pending: never one due or in flight) and last changed before `before`. See PruneBatch.
   */
  deleteFinishedDeliveries(batch: PruneBatchRequest): Promise<PruneBatch>;
  /** Retention, one batch: of the `limit` events after seq `afterSeq`, deletes those made before `before` that have no
   * delivery left (their idempotency keys go with them). See PruneBatch. */
  deleteEventsWithoutDeliveries(batch: PruneBatchRequest): Promise<PruneBatch>;

  /**
   * Auto-disable: disables, in one transaction, every active webhook not yet disabled whose failing clock
   * (failingSince) has run its limit at `now` (its own autoDisableAfter, else its workspace's; none: never), and
   * answers exactly those it changed. Safe with several processes on one database: a webhook is changed, and
   * answered, by one of them only.
   */
  disableLongFailingWebhooks(now: Date): Promise<AutoDisabledWebhook[]>;
}

export interface ApiKeyRevocation {
  id: string;
  workspaceId: string | undefined;
  now: Date;
  keepAnAdmin: boolean;
}

/** A webhook's secret columns exactly as stored: values encrypted or not, headers as the JSON text in the row. */
export interface StoredSecrets {
  workspaceId: string;
  id: string;
  secret: string | null;
  previousSecret: string | null;
  headersJson: string;
}

/** The webhook fields a change may set; those left out are not written. */
export type WebhookChanges = Partial<Omit<Webhook, 'id' | 'workspaceId' | 'createdAt' | 'updatedAt'>> & {
  updatedAt: Date;
};

/** What differs between engines, as data rather than `if (engine === …)`. */
export interface StoreCapabilities {
  /** Only one process uses the database, so leases found at start-up are stale. */
  singleProcess: boolean;
}

/** Thrown by an engine when an insert hits a unique constraint; services turn it into a 409. */
export class UniqueViolation extends Error {
  constructor(readonly constraint: string) {
    super(`unique constraint ${constraint} violated`);
    this.name = 'UniqueViolation';
  }
}

/**
 * The database cannot be reached or written right now (PostgreSQL down or restarting, a SQLite file locked by another
 * process, a disk full or failing); the same call may work shortly.
 */
export class StoreUnavailable extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}

/** The database holds migrations this hookd does not know: a newer hookd wrote it, and this one must not use it. */
export class DatabaseFromNewerHookd extends Error {
  constructor(readonly unknownMigrations: string[]) {
    super(
      `the database has migrations this hookd does not know (${unknownMigrations.join(', ')}): a newer hookd has used it; run that version, or restore a backup`,
    );
    this.name = 'DatabaseFromNewerHookd';
  }
}

/** The migrations recorded in the database that are not among `known`: a newer hookd's (see DatabaseFromNewerHookd). */
export function throwIfMigrationsUnknown(recorded: Iterable<string>, known: string[]): void {
  const unknown = [...recorded].filter((name) => !known.includes(name)).sort();
  if (unknown.length > 0) throw new DatabaseFromNewerHookd(unknown);
}
