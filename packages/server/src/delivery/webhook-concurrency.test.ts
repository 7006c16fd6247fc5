// The per-webhook in-flight limit: its bounds follow the process's concurrency, and it moves with answer times.
import { describe, expect, it } from 'vitest';
import { defaultWebhookConcurrency, limitAfterAnswer } from './webhook-concurrency.js';

describe('defaultWebhookConcurrency', () => {
  it('has a floor of a sixteenth of the slots (1 to 32) and a ceiling of four floors, at most a quarter of the slots', () => {
    expect(defaultWebhookConcurrency(256)).toMatchObject({ floor: 16, ceiling: 64 });
    expect(defaultWebhookConcurrency(1_000)).toMatchObject({ floor: 32, ceiling: 128 });
    expect(defaultWebhookConcurrency(64)).toMatchObject({ floor: 4, ceiling: 16 });
    expect(defaultWebhookConcurrency(16)).toMatchObject({ floor: 1, ceiling: 4 });
    expect(defaultWebhookConcurrency(1)).toMatchObject({ floor: 1, ceiling: 1 });
  });

  it('leaves at least half the slots to healthy webhooks when eight endpoints hang (from 16 slots up)', () => {
    for (const concurrency of [16, 64, 256, 1_000, 10_000]) {
      expect(8 * defaultWebhookConcurrency(concurrency).floor).toBeLessThanOrEqual(concurrency / 2);
    }
  });
});

describe('limitAfterAnswer', () => {
  const bounds = { floor: 4, ceiling: 16, fastAnswerMs: 1_000 };

  it('earns a slot per fast answer while more deliveries wait, up to the ceiling', () => {
    let limit = bounds.floor;
    for (let i = 0; i < 20; i++) limit = limitAfterAnswer(limit, 20, true, bounds);
    expect(limit).toBe(16);
  });

  it('earns nothing when nothing waits', () => {
    expect(limitAfterAnswer(4, 20, false, bounds)).toBe(4);
  });

  it('halves at each slow answer, down to the floor', () => {
    expect(limitAfterAnswer(16, 1_000, true, bounds)).toBe(8);
    expect(limitAfterAnswer(8, 30_000, true, bounds)).toBe(4);
    expect(limitAfterAnswer(4, 30_000, true, bounds)).toBe(4);
  });
});
