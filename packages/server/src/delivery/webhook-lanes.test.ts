// Per-webhook lanes: a webhook never has more than its limit sending; the rest waits in line and nothing is lost.
import { describe, expect, it } from 'vitest';
import type { ClaimedDelivery } from '../domain/delivery.js';
import { WebhookLanes } from './webhook-lanes.js';

const claim = (webhookId: string, seq: number) => ({ seq, id: `dlv_${seq}`, webhook: { id: webhookId } }) as unknown as ClaimedDelivery;

describe('WebhookLanes', () => {
  it('admits up to the limit per webhook, lines up the rest, and hands each freed place to the next in line', () => {
    const lanes = new WebhookLanes(2);
    expect([1, 2, 3, 4].map((seq) => lanes.admit(claim('a', seq)))).toEqual([true, true, false, false]);
    expect(lanes.admit(claim('b', 5))).toBe(true);
    expect(lanes.full()).toEqual(['a']);
    expect(lanes.finish('a')?.seq).toBe(3);
    expect(lanes.finish('a')?.seq).toBe(4);
    expect(lanes.finish('a')).toBeUndefined();
    expect(lanes.full()).toEqual([]);
    expect(lanes.finish('a')).toBeUndefined();
    expect(lanes.admit(claim('a', 6))).toBe(true);
  });

  it('counts what waits as claimed, so a webhook with a full line is not claimed for again', () => {
    const lanes = new WebhookLanes(1);
    lanes.admit(claim('a', 1));
    expect(lanes.full()).toEqual(['a']);
    lanes.admit(claim('a', 2));
    expect(lanes.drainWaiting().map((c) => c.seq)).toEqual([2]);
    expect(lanes.drainWaiting()).toEqual([]);
  });
});
