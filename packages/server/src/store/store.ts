// The storage interface every other layer depends on. Engines live in store/sqlite (and later store/postgres).
import type { ApiKey, EventType, Workspace } from '../domain/workspace.js';
import type { Webhook } from '../domain/webhook.js';

/** Lists walk newest first; `cursor` is the last key of the previous page. */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Store {
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
  /** Keys whose lookup prefix matches; the caller compares the full hash in constant time. */
  findApiKeysByLookup(lookup: string): Promise<ApiKey[]>;

  insertWebhook(webhook: Webhook): Promise<void>;
  getWebhook(workspaceId: string, id: string): Promise<Webhook | undefined>;
  listWebhooks(workspaceId: string, page: PageRequest): Promise<Page<Webhook>>;
  /** Replaces every mutable field of the stored webhook. */
  updateWebhook(webhook: Webhook): Promise<void>;
  /** False when there was no such webhook in that workspace. */
  deleteWebhook(workspaceId: string, id: string): Promise<boolean>;

  insertEventType(eventType: EventType): Promise<void>;
  getEventType(workspaceId: string, name: string): Promise<EventType | undefined>;
  /** Ordered by name; `cursor` is the last name of the previous page. */
  listEventTypes(workspaceId: string, page: PageRequest): Promise<Page<EventType>>;
  deleteEventType(workspaceId: string, name: string): Promise<boolean>;
}

/** Thrown by an engine when an insert hits a unique constraint; services turn it into a 409. */
export class UniqueViolation extends Error {
  constructor(readonly constraint: string) {
    super(`unique constraint ${constraint} violated`);
    this.name = 'UniqueViolation';
  }
}
