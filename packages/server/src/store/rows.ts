// Rows as both engines store them, and their mapping to the domain. SQLite keeps times as unix milliseconds and
// flags as 0/1; PostgreSQL as timestamptz and boolean. JSON is text in both, so values read back byte for byte.
import type { Attempt, Delivery, DeliveryStatus } from '../domain/delivery.js';
import type { EnvelopeExtras, EventRecord } from '../domain/envelope.js';
import type { ApiKey, EventType, Workspace } from '../domain/workspace.js';
import type { Page } from './store.js';

/** A stored time: unix milliseconds (SQLite) or a Date (PostgreSQL). */
export type StoredTime = number | Date;
/** A stored flag: 0/1 (SQLite) or a boolean (PostgreSQL). */
export type StoredFlag = number | boolean;

export const asDate = (value: StoredTime): Date => (value instanceof Date ? value : new Date(value));
export const asDateOrNull = (value: StoredTime | null): Date | null => (value === null ? null : asDate(value));
export const asFlag = (value: StoredFlag): boolean => value === true || value === 1;
export const jsonOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);

export interface WorkspaceRow {
  id: string;
  name: string;
  alert_email: string | null;
  alert_url: string | null;
  auto_disable_after: string | null;
  /** A JSON array of origins. */
  portal_origins: string;
  accent_color: string | null;
  created_at: StoredTime;
  updated_at: StoredTime;
}

export function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    name: row.name,
    alertEmail: row.alert_email,
    alertUrl: row.alert_url,
    autoDisableAfter: row.auto_disable_after,
    portalOrigins: JSON.parse(row.portal_origins) as string[],
    accentColor: row.accent_color,
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  };
}

export interface ApiKeyRow {
  id: string;
  workspace_id: string;
  name: string;
  admin: StoredFlag;
  lookup: string;
  hash: string;
  created_at: StoredTime;
  last_used_at: StoredTime | null;
}

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    admin: asFlag(row.admin),
    lookup: row.lookup,
    hash: row.hash,
    createdAt: asDate(row.created_at),
    lastUsedAt: asDateOrNull(row.last_used_at),
  };
}

export interface EventTypeRow {
  workspace_id: string;
  name: string;
  description: string;
  schema: string | null;
  created_at: StoredTime;
}

export function toEventType(row: EventTypeRow): EventType {
  return {
    workspaceId: row.workspace_id,
    name: row.name,
    description: row.description,
    schema: row.schema === null ? null : (JSON.parse(row.schema) as Record<string, unknown>),
    createdAt: asDate(row.created_at),
  };
}

export interface EventRow {
  seq: number;
  id: string;
  workspace_id: string;
  type: string;
  timestamp: StoredTime;
  data: string;
  extras: string;
  idempotency_key: string | null;
  delivery_count: number;
  created_at: StoredTime;
}

export function toEvent(row: EventRow): EventRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    type: row.type,
    timestamp: asDate(row.timestamp),
    dataJson: row.data,
    extras: JSON.parse(row.extras) as EnvelopeExtras,
    idempotencyKey: row.idempotency_key,
    deliveryCount: row.delivery_count,
    createdAt: asDate(row.created_at),
  };
}

/** A delivery joined with its event's id and type. */
export interface DeliveryRow {
  seq: number;
  id: string;
  workspace_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at: StoredTime | null;
  lease_token: string | null;
  last_response_status: number | null;
  last_response_ms: number | null;
  last_error: string | null;
  created_at: StoredTime;
  updated_at: StoredTime;
}

export const DELIVERY_COLUMNS = `d.seq, d.id, d.workspace_id, d.webhook_id, e.id AS event_id, e.type AS event_type, d.status, d.attempts,
  d.next_attempt_at, d.lease_token, d.last_response_status, d.last_response_ms, d.last_error, d.created_at, d.updated_at`;

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    webhookId: row.webhook_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: asDateOrNull(row.next_attempt_at),
    inFlight: row.lease_token !== null,
    lastResponseStatus: row.last_response_status,
    lastResponseMs: row.last_response_ms,
    lastError: row.last_error,
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  };
}

/** An attempt joined with its delivery's id. */
export interface AttemptRow {
  seq: number;
  delivery_id: string;
  attempted_at: StoredTime;
  duration_ms: number;
  request_headers: string;
  response_status: number | null;
  response_headers: string | null;
  response_body: string | null;
  error: string | null;
}

export function toAttempt(row: AttemptRow): Attempt {
  return {
    deliveryId: row.delivery_id,
    attemptedAt: asDate(row.attempted_at),
    durationMs: row.duration_ms,
    requestHeaders: JSON.parse(row.request_headers) as Record<string, string>,
    responseStatus: row.response_status,
    responseHeaders:
      row.response_headers === null ? null : (JSON.parse(row.response_headers) as Record<string, string>),
    responseBody: row.response_body,
    error: row.error,
  };
}

/** Turns "limit + 1 rows" into a page and its cursor, so each list query stays one SQL statement. */
export function toPage<Row, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
  cursorOf: (row: Row) => string | number,
): Page<T> {
  const last = rows[limit - 1];
  return {
    data: rows.slice(0, limit).map(map),
    nextCursor: rows.length > limit && last !== undefined ? String(cursorOf(last)) : null,
  };
}

/**
 * A page whose store query counted its `candidates` (the rows the count limit allowed, up to limit + 1) and returned
 * only those that fit the byte budget: there are more when it returned fewer than it counted.
 */
export function toBudgetPage<Row extends { candidates: number | string }, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
  cursorOf: (row: Row) => string | number,
): Page<T> {
  const taken = rows.slice(0, limit);
  const last = taken.at(-1);
  const more = rows.length > 0 && Number(rows[0]!.candidates) > taken.length;
  return { data: taken.map(map), nextCursor: more && last !== undefined ? String(cursorOf(last)) : null };
}
