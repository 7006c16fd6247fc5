// Which webhooks a publish goes to: filters read the envelope built once, not one parse of the body per webhook.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventRecord } from '../domain/envelope.js';
import type { Filter } from '../domain/filter.js';
import type { Webhook } from '../domain/webhook.js';
import { webhooksFor } from './publish.js';

const data = { amount: 150, items: Array.from({ length: 1000 }, (_, i) => ({ n: i })) };
const event: EventRecord = {
  id: 'evt_1',
  workspaceId: 'ws_1',
  type: 'order.paid',
  timestamp: new Date('2026-01-02T03:04:05.000Z'),
  dataJson: JSON.stringify(data),
  extras: { source: 'shop', metadata: null },
  idempotencyKey: null,
  deliveryCount: 0,
  createdAt: new Date('2026-01-02T03:04:05.000Z'),
};

function webhookWith(id: string, filter: Filter | null): Webhook {
  return { id, events: ['order.*'], filter } as Webhook;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('webhooksFor', () => {
  it('parses nothing per filtered webhook, however many there are', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const callsFor = (count: number): number => {
      parse.mockClear();
      const webhooks = Array.from({ length: count }, (_, i) => webhookWith(`wh_${i}`, { nomatch: 1 }));
      expect(webhooksFor(event, data, webhooks)).toEqual([]);
      return parse.mock.calls.length;
    };
    expect(callsFor(1_000)).toBe(callsFor(1));
  });

  it('matches filters on the envelope the receiver gets: data, extras and each webhook its own id', () => {
    const webhooks = [
      webhookWith('wh_amount', { 'data.amount': { $gt: 100 } }),
      webhookWith('wh_small', { 'data.amount': { $lt: 100 } }),
      webhookWith('wh_own', { webhookId: 'wh_own', type: 'order.paid', event: 'order.paid', workspaceId: 'ws_1' }),
      webhookWith('wh_other', { webhookId: 'wh_own' }),
      webhookWith('wh_extras', {
        source: 'shop',
        metadata: null,
        resourceId: { $exists: false },
        timestamp: '2026-01-02T03:04:05.000Z',
      }),
      webhookWith('wh_any', null),
    ];
    expect(webhooksFor(event, data, webhooks).map((webhook) => webhook.id)).toEqual([
      'wh_amount',
      'wh_own',
      'wh_extras',
      'wh_any',
    ]);
  });
});
