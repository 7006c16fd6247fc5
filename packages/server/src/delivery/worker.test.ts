// The default per-webhook in-flight cap follows the process's concurrency, so a few dead endpoints never take every slot.
import { describe, expect, it } from 'vitest';
import { defaultPerWebhookConcurrency } from './worker.js';

describe('defaultPerWebhookConcurrency', () => {
  it('is a sixteenth of the slots, at least 1 and at most 32', () => {
    expect(defaultPerWebhookConcurrency(256)).toBe(16);
    expect(defaultPerWebhookConcurrency(1_000)).toBe(32);
    expect(defaultPerWebhookConcurrency(64)).toBe(4);
    expect(defaultPerWebhookConcurrency(16)).toBe(1);
    expect(defaultPerWebhookConcurrency(1)).toBe(1);
  });

  it('leaves at least half the slots to healthy webhooks when eight endpoints hang (from 16 slots up)', () => {
    for (const concurrency of [16, 64, 256, 1_000, 10_000]) {
      expect(8 * defaultPerWebhookConcurrency(concurrency)).toBeLessThanOrEqual(concurrency / 2);
    }
  });
});
