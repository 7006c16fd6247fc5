// The reads every publish makes (the caller's API key, the event type's schema, the workspace's webhooks), kept in
// memory for a SQLite store, dropped by this process's writes that change them. Without it a publish crossed to the
// store's thread four times; with it, once. Other processes may write the same file too (`hookd keys create`, or an
// API-only process beside a worker): what they change is seen once an entry's short life is over.
import { LRUCache } from 'lru-cache';
import type { Store } from './store.js';

const MAX_ENTRIES = 10_000;
/** How long another process's write may go unseen. Under load a publish still finds nearly every read here. */
export const READ_CACHE_MAX_AGE_MS = 1_000;

/**
 * Loaded values that a write can drop (lru-cache keeps them, each for `maxAgeMs` from the start of its load, the least
 * recently used going first when full); a load that raced a drop is not kept, so nothing stale stays.
 */
class InvalidatingCache<V> {
  // Boxed: lru-cache does not keep undefined, and "no such event type" is an answer worth keeping.
  private readonly entries: LRUCache<string, { value: V }>;
  private readonly loading = new Map<string, { generation: number; value: Promise<V> }>();
  private generation = 0;

  constructor(private readonly maxAgeMs: number) {
    // Ages read from performance.now() at each look (not a reference lru-cache took at load, nor a value it kept for
    // a millisecond): the same clock as `loadedAt` below, which tests fake.
    this.entries = new LRUCache({
      max: MAX_ENTRIES,
      ttl: maxAgeMs,
      perf: { now: () => performance.now() },
      ttlResolution: 0,
    });
  }

  async get(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const entry = this.entries.get(key);
    if (entry) return entry.value;
    // When an entry ages out under load, every request in flight misses it at once: they share one load, unless a
    // write has dropped the key since that load began.
    const loading = this.loading.get(key);
    if (loading && loading.generation === this.generation) return loading.value;
    const generation = this.generation;
    const loadedAt = performance.now();
    const value = load();
    this.loading.set(key, { generation, value });
    try {
      const loaded = await value;
      // Its age counts from the load's start: what another process wrote before then is seen within maxAgeMs.
      const ttl = this.maxAgeMs - (performance.now() - loadedAt);
      if (generation === this.generation && keep(loaded) && ttl > 0) this.entries.set(key, { value: loaded }, { ttl });
      return loaded;
    } finally {
      if (this.loading.get(key)?.value === value) this.loading.delete(key);
    }
  }

  /** Drops one key, or everything; either way loads under way when it happened are not kept. */
  drop(key?: string): void {
    this.generation++;
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}

export function withReadCache(store: Store, maxAgeMs = READ_CACHE_MAX_AGE_MS): Store {
  const keys = new InvalidatingCache<Awaited<ReturnType<Store['findApiKeysByLookup']>>>(maxAgeMs);
  const eventTypes = new InvalidatingCache<Awaited<ReturnType<Store['getEventType']>>>(maxAgeMs);
  const subscribed = new InvalidatingCache<Awaited<ReturnType<Store['listSubscribedWebhooks']>>>(maxAgeMs);
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
    findApiKeysByLookup: (lookup) =>
      keys.get(
        lookup,
        () => store.findApiKeysByLookup(lookup),
        (found) => found.length > 0,
      ),
    insertApiKey: (key) => writing(() => keys.drop(key.lookup), store.insertApiKey(key)),
    // Revocations are rare and name the key by id, not lookup: they drop every key, so the next request is refused.
    revokeApiKey: (revocation) => writing(() => keys.drop(), store.revokeApiKey(revocation)),
    // Another process's revocation (PostgreSQL NOTIFY) drops them too, before the watcher hears of it.
    watchApiKeyRevocations: (onRevoked, onProblem) =>
      store.watchApiKeyRevocations(() => {
        keys.drop();
        onRevoked();
      }, onProblem),

    getEventType: (workspaceId, name) =>
      eventTypes.get(eventTypeKey(workspaceId, name), () => store.getEventType(workspaceId, name)),
    insertEventType: (eventType) =>
      writing(
        () => eventTypes.drop(eventTypeKey(eventType.workspaceId, eventType.name)),
        store.insertEventType(eventType),
      ),
    deleteEventType: (workspaceId, name) =>
      writing(() => eventTypes.drop(eventTypeKey(workspaceId, name)), store.deleteEventType(workspaceId, name)),

    listSubscribedWebhooks: (workspaceId) =>
      subscribed.get(workspaceId, () => store.listSubscribedWebhooks(workspaceId)),
    insertWebhook: (webhook) => writing(() => subscribed.drop(webhook.workspaceId), store.insertWebhook(webhook)),
    updateWebhook: (workspaceId, id, changes) =>
      writing(() => subscribed.drop(workspaceId), store.updateWebhook(workspaceId, id, changes)),
    deleteWebhook: (workspaceId, id) =>
      writing(() => subscribed.drop(workspaceId), store.deleteWebhook(workspaceId, id)),
    // An attempt that disables its webhook takes it out of every publish's list (other status changes do not matter
    // there: the list is for matching, and only disabled webhooks are left out of it).
    recordAttempts: (records, now) =>
      records.some((record) => record.webhookStatus === 'disabled')
        ? writing(() => subscribed.drop(), store.recordAttempts(records, now))
        : store.recordAttempts(records, now),
    // Likewise the sweep that disables webhooks failing too long.
    disableLongFailingWebhooks: (now) => writing(() => subscribed.drop(), store.disableLongFailingWebhooks(now)),
  };
}
