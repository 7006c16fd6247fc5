// The reads every publish makes (the caller's API key, the event type's schema, the workspace's webhooks), kept in
// memory for a store whose every write passes through this process (SQLite), and dropped by the writes that change
// them. Without it a publish crossed to the store's thread four times; with it, once.
import type { Store } from './store.js';

const MAX_ENTRIES = 10_000;

/** A map of loaded values that a write can drop; a load that raced a drop is not kept, so nothing stale stays. */
class InvalidatingCache<V> {
  private readonly entries = new Map<string, V>();
  private generation = 0;

  async get(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    if (this.entries.has(key)) return this.entries.get(key)!;
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation && keep(value)) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Drops one key, or everything; either way loads under way when it happened are not kept. */
  drop(key?: string): void {
    this.generation++;
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}

export function withReadCache(store: Store): Store {
  const keys = new InvalidatingCache<Awaited<ReturnType<Store['findApiKeysByLookup']>>>();
  const eventTypes = new InvalidatingCache<Awaited<ReturnType<Store['getEventType']>>>();
  const subscribed = new InvalidatingCache<Awaited<ReturnType<Store['listSubscribedWebhooks']>>>();
  const eventTypeKey = (workspaceId: string, name: string) => `${workspaceId}\u0000${name}`;
  /** Runs a write, dropping `drop` both before (for reads that start meanwhile) and after it. */
  const writing = async <T>(drop: () => void, write: Promise<T>): Promise<T> => {
    drop();
    try {
      return await write;
    } finally {
      drop();
    }
  };

  return {
    ...store,
    // Only keys found: `hookd keys create` may add one from another process, and a miss must see it.
    findApiKeysByLookup: (lookup) => keys.get(lookup, () => store.findApiKeysByLookup(lookup), (found) => found.length > 0),
    insertApiKey: (key) => writing(() => keys.drop(key.lookup), store.insertApiKey(key)),

    getEventType: (workspaceId, name) => eventTypes.get(eventTypeKey(workspaceId, name), () => store.getEventType(workspaceId, name)),
    insertEventType: (eventType) => writing(() => eventTypes.drop(eventTypeKey(eventType.workspaceId, eventType.name)), store.insertEventType(eventType)),
    deleteEventType: (workspaceId, name) => writing(() => eventTypes.drop(eventTypeKey(workspaceId, name)), store.deleteEventType(workspaceId, name)),

    listSubscribedWebhooks: (workspaceId) => subscribed.get(workspaceId, () => store.listSubscribedWebhooks(workspaceId)),
    insertWebhook: (webhook) => writing(() => subscribed.drop(webhook.workspaceId), store.insertWebhook(webhook)),
    updateWebhook: (workspaceId, id, changes) => writing(() => subscribed.drop(workspaceId), store.updateWebhook(workspaceId, id, changes)),
    deleteWebhook: (workspaceId, id) => writing(() => subscribed.drop(workspaceId), store.deleteWebhook(workspaceId, id)),
    // An attempt that disables its webhook takes it out of every publish's list (other status changes do not matter
    // there: the list is for matching, and only disabled webhooks are left out of it).
    recordAttempts: (records, now) =>
      records.some((record) => record.webhookStatus === 'disabled') ? writing(() => subscribed.drop(), store.recordAttempts(records, now)) : store.recordAttempts(records, now),
  };
}
