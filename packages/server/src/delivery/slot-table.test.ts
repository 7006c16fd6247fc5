// The worker's bookkeeping in plain numbers: room, limits, reservations, what is sent next and what goes back.
import { describe, expect, it } from 'vitest';
import type { ClaimedDelivery, DeliveryKind } from '../domain/delivery.js';
import type { EventRecord } from '../domain/envelope.js';
import { WEBHOOK_DEFAULTS, type Webhook } from '../domain/webhook.js';
import { MAX_WAIT_MS, SlotTable } from './slot-table.js';

const EVENT: EventRecord = {
  id: 'evt_1',
  workspaceId: 'ws_1',
  type: 'order.paid',
  timestamp: new Date(0),
  dataJson: '{}',
  extras: {},
  idempotencyKey: null,
  deliveryCount: 1,
  createdAt: new Date(0),
};

function webhook(id: string, settings: Partial<Webhook> = {}): Webhook {
  return {
    ...WEBHOOK_DEFAULTS,
    id,
    workspaceId: 'ws_1',
    status: 'healthy',
    secret: null,
    previousSecret: null,
    previousSecretExpiresAt: null,
    failingSince: null,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    ...settings,
  };
}

let nextSeq = 1;
function claims(of: Webhook, count: number, kind: DeliveryKind = 'event'): ClaimedDelivery[] {
  return Array.from({ length: count }, () => {
    const seq = nextSeq++;
    return {
      seq,
      id: `dlv_${seq}`,
      leaseToken: 'lease',
      kind,
      roundFailures: 0,
      attempts: 0,
      webhook: of,
      event: EVENT,
    };
  });
}

/** `floor` slots a webhook, none earned: answers do not move the limit unless a test says so. */
function table(concurrency: number, floor: number, ceiling = floor): SlotTable {
  return new SlotTable({ concurrency, perWebhook: { floor, ceiling, fastAnswerMs: 1_000 } });
}

const always = () => true;
const ids = (list: ClaimedDelivery[]) => list.map((one) => one.id);

describe('SlotTable', () => {
  it('lets a plain webhook hold its slots and as many waiting, and a FIFO webhook one delivery', () => {
    const slots = table(16, 2);
    const [plain, fifo] = [webhook('wh_plain'), webhook('wh_fifo', { ordering: 'fifo' })];
    expect(slots.newWebhookRoom).toBe(4);
    slots.addClaimed(claims(plain, 3), 0);
    expect(ids(slots.next([plain.id], 0, always).send)).toHaveLength(2);
    expect(slots.claimLimits([])).toEqual({ excluded: [], room: { wh_plain: 1 } });
    slots.addClaimed([...claims(plain, 1), ...claims(fifo, 1)], 0);
    expect(slots.claimLimits(['wh_limited'])).toEqual({
      excluded: ['wh_limited', 'wh_plain', 'wh_fifo'],
      room: {},
    });
  });

  it('holds at most twice its concurrency in all, sending, waiting or reserved', () => {
    const slots = table(2, 2);
    expect(slots.processRoom()).toBe(4);
    slots.addClaimed(claims(webhook('wh_a'), 3), 0);
    expect(slots.processRoom()).toBe(1);
    expect(slots.next('all', 0, always).send).toHaveLength(2);
    expect(slots.full).toBe(true);
    expect(slots.processRoom()).toBe(1);
    expect(slots.reserve([webhook('wh_b'), webhook('wh_c')])).toEqual(new Set(['wh_b']));
    expect(slots.processRoom()).toBe(0);
    expect(slots.reserve([webhook('wh_d')])).toBeUndefined();
  });

  it('reserves only for active plain webhooks with no rate limit, within each one’s room', () => {
    const slots = table(16, 1);
    const plain = webhook('wh_plain');
    const others = [
      webhook('wh_fifo', { ordering: 'fifo' }),
      webhook('wh_limited', { rateLimit: 10 }),
      webhook('wh_paused', { active: false }),
      webhook('wh_disabled', { status: 'disabled' }),
    ];
    expect(slots.reserve([...others, plain])).toEqual(new Set(['wh_plain']));
    expect(slots.reserve([plain])).toEqual(new Set(['wh_plain']));
    // Two held at one slot: its slot and one waiting.
    expect(slots.reserve([plain])).toBeUndefined();
    expect(slots.claimLimits([]).excluded).toEqual(['wh_plain']);
  });

  it('sends reserved deliveries once stored, and forgets the reservation of a publish that failed', () => {
    const slots = table(4, 1);
    const [stored, failed] = [webhook('wh_stored'), webhook('wh_failed')];
    slots.reserve([stored, failed]);
    expect(slots.processRoom()).toBe(6);
    const fresh = claims(stored, 1);
    slots.endReservation(['wh_stored'], fresh, 0);
    slots.endReservation(['wh_failed'], [], 0);
    expect(slots.processRoom()).toBe(7);
    expect(slots.claimLimits([])).toEqual({ excluded: [], room: { wh_stored: 1 } });
    expect(slots.next(['wh_stored'], 0, always)).toEqual({ send: fresh, back: [] });
  });

  it('hands back a delivery that waited longer than MAX_WAIT_MS instead of sending it', () => {
    const slots = table(4, 1);
    const hook = webhook('wh_a');
    const [fresh, stale] = [claims(hook, 1), claims(hook, 1)];
    slots.addClaimed(stale, 0);
    slots.addClaimed(fresh, 1);
    // The fresh one has waited exactly MAX_WAIT_MS: still sent.
    expect(slots.next('all', MAX_WAIT_MS + 1, always)).toEqual({ send: fresh, back: stale });
  });

  it('hands back the delivery out of rate-limit tokens and all its webhook has waiting, not other webhooks’', () => {
    const slots = table(8, 1, 4);
    const [limited, other] = [webhook('wh_limited', { rateLimit: 1 }), webhook('wh_other')];
    const held = claims(limited, 3);
    const others = claims(other, 1);
    slots.addClaimed([...held, ...others], 0);
    const next = slots.next('all', 0, (claim) => claim.webhook.id !== limited.id);
    expect(next).toEqual({ send: others, back: held });
    expect(slots.claimLimits([]).room).toEqual({ wh_other: 1 });
  });

  it('gives a freed slot to the same webhook, or with the process at its cap, to any webhook waiting', () => {
    const slots = table(2, 1);
    const [a, b, c] = [webhook('wh_a'), webhook('wh_b'), webhook('wh_c')];
    const [a1, a2] = claims(a, 2);
    const [b1] = claims(b, 1);
    const [c1] = claims(c, 1);
    slots.addClaimed([a1!, a2!, b1!, c1!], 0);
    expect(ids(slots.next('all', 0, always).send)).toEqual([a1!.id, b1!.id]);
    expect(slots.answered(b1!, 10)).toBe('all');
    // a2 waits for a's one slot, still taken by a1: the freed slot goes to c.
    expect(slots.next('all', 0, always).send).toEqual([c1]);
    expect(slots.answered(c1!, 10)).toBe('all');
    expect(slots.answered(a1!, 10)).toEqual(['wh_a']);
    expect(slots.next(['wh_a'], 0, always).send).toEqual([a2]);
  });

  it('earns a webhook a slot per fast answer while more wait, and halves its slots at a slow answer', () => {
    const slots = table(16, 1, 4);
    const hook = webhook('wh_a');
    const held = claims(hook, 6);
    slots.addClaimed(held, 0);
    const first = slots.next('all', 0, always).send;
    expect(first).toEqual(held.slice(0, 1));
    slots.answered(first[0]!, 999);
    expect(slots.next('all', 0, always).send).toEqual(held.slice(1, 3));
    slots.answered(held[1]!, 1_000);
    slots.answered(held[2]!, 30_000);
    // Back to one slot: one of the three waiting goes, and with two still waiting the webhook has no room to claim.
    expect(slots.next('all', 0, always).send).toEqual(held.slice(3, 4));
    expect(slots.claimLimits([])).toEqual({ excluded: ['wh_a'], room: {} });
  });

  it('sends "Send test" deliveries at once, outside the FIFO line, which waits behind them', () => {
    const slots = table(4, 1);
    const fifo = webhook('wh_fifo', { ordering: 'fifo' });
    const [test] = claims(fifo, 1, 'test');
    const [event] = claims(fifo, 1);
    expect(slots.addClaimed([event!, test!], 0)).toEqual({ sendNow: [test], touched: ['wh_fifo'] });
    expect(slots.next(['wh_fifo'], 0, always).send).toEqual([]);
    slots.answered(test!, 10);
    expect(slots.next(['wh_fifo'], 0, always).send).toEqual([event]);
  });

  it('tells whether a claim took all the room of some webhook', () => {
    const slots = table(16, 2);
    const [plain, fifo] = [webhook('wh_plain'), webhook('wh_fifo', { ordering: 'fifo' })];
    expect(slots.tookAllRoomOfSome(claims(plain, 3), {})).toBe(false);
    expect(slots.tookAllRoomOfSome(claims(plain, 4), {})).toBe(true);
    expect(slots.tookAllRoomOfSome(claims(plain, 1), { wh_plain: 1 })).toBe(true);
    expect(slots.tookAllRoomOfSome(claims(fifo, 1), {})).toBe(true);
  });

  it('gives up at shutdown what waits and what is in flight, and holds nothing once all is answered', () => {
    const slots = table(2, 1);
    const [a, b] = [webhook('wh_a'), webhook('wh_b')];
    const held = [...claims(a, 2), ...claims(b, 2)];
    slots.addClaimed(held, 0);
    const sending = slots.next('all', 0, always).send;
    expect(slots.inFlight()).toEqual(sending);
    expect(ids(slots.takeAllWaiting()).sort()).toEqual(ids(held.filter((one) => !sending.includes(one))).sort());
    for (const one of sending) slots.answered(one, 10);
    expect(slots.inFlight()).toEqual([]);
    expect(slots.processRoom()).toBe(4);
    expect(slots.claimLimits([])).toEqual({ excluded: [], room: {} });
  });
});
