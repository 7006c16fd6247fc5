// MemoryReplayStore: remembers keys until they expire, by the caller's clock, and never holds more than its cap.
import { describe, expect, it } from 'vitest';
import { MemoryReplayStore } from './replay-store.js';

describe('MemoryReplayStore', () => {
  it('answers seen for a key until its expiry, then takes it again', () => {
    const store = new MemoryReplayStore();
    expect(store.seen('a', 10_000, 0)).toBe(false);
    expect(store.seen('a', 10_000, 9_999)).toBe(true);
    expect(store.seen('a', 20_000, 10_000)).toBe(false);
    expect(store.seen('a', 20_000, 10_001)).toBe(true);
  });

  it('evicts expired keys as time passes, so memory follows the traffic of the tolerance window', () => {
    const store = new MemoryReplayStore();
    for (let i = 0; i < 1_000; i++) store.seen(`old-${i}`, 5_000, 0);
    expect(store.size).toBe(1_000);
    store.seen('new', 20_000, 6_000);
    expect(store.size).toBe(1);
  });

  it('holds at most maxEntries, dropping the oldest first', () => {
    const store = new MemoryReplayStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) store.seen(key, 60_000, 0);
    expect(store.size).toBe(3);
    expect(store.seen('d', 60_000, 1)).toBe(true);
    expect(store.seen('a', 60_000, 1)).toBe(false);
  });
});
