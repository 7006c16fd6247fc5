// Unit tests of what makes a publish the same request again: every field the publisher set, JSON by content.
import { describe, expect, it } from 'vitest';
import type { EventRecord } from './envelope.js';
import { differingFields, sameJson } from './repeated-publish.js';

const earlier: EventRecord = {
  id: 'evt_1',
  workspaceId: 'ws_1',
  type: 'order.paid',
  timestamp: new Date('2026-05-06T19:00:00.000Z'),
  dataJson: JSON.stringify({ amount: 1200, lines: [{ sku: 'a' }, { sku: 'b' }], note: null }),
  extras: { source: 'shop', metadata: { by: 'api' } },
  idempotencyKey: 'order-1-paid',
  deliveryCount: 1,
  createdAt: new Date('2026-05-06T19:00:00.000Z'),
};
const same = {
  id: undefined,
  type: 'order.paid',
  data: { note: null, lines: [{ sku: 'a' }, { sku: 'b' }], amount: 1200 },
  extras: { metadata: { by: 'api' }, source: 'shop' },
};

describe('differingFields', () => {
  it('finds none for the same request, whatever the order of its JSON keys and with or without the id hookd made', () => {
    expect(differingFields(same, earlier)).toEqual([]);
    expect(differingFields({ ...same, id: 'evt_1' }, earlier)).toEqual([]);
  });

  it('finds none when the same request carries values that storing changes (1e400 kept as null, -0 as 0)', () => {
    const stored: EventRecord = {
      ...earlier,
      dataJson: JSON.stringify({ amount: Infinity, refund: -0 }),
      extras: JSON.parse(JSON.stringify({ metadata: { limit: -Infinity } })),
    };
    expect(
      differingFields(
        {
          id: undefined,
          type: 'order.paid',
          data: JSON.parse('{"amount": 1e400, "refund": -0}'),
          extras: JSON.parse('{"metadata": {"limit": -1e400}}'),
        },
        stored,
      ),
    ).toEqual([]);
    expect(
      differingFields(
        { id: undefined, type: 'order.paid', data: { amount: 1, refund: 0 }, extras: { metadata: { limit: null } } },
        stored,
      ),
    ).toEqual(['data']);
  });

  it('names each field that differs', () => {
    expect(differingFields({ ...same, type: 'order.refunded' }, earlier)).toEqual(['type']);
    expect(differingFields({ ...same, id: 'evt_2' }, earlier)).toEqual(['id']);
    expect(differingFields({ ...same, data: { ...same.data, amount: 1 } }, earlier)).toEqual(['data']);
    expect(differingFields({ ...same, data: { ...same.data, lines: [{ sku: 'b' }, { sku: 'a' }] } }, earlier)).toEqual([
      'data',
    ]);
    expect(differingFields({ ...same, extras: { source: 'shop' } }, earlier)).toEqual(['metadata']);
    expect(differingFields({ ...same, extras: { ...same.extras, apiVersion: null } }, earlier)).toEqual(['apiVersion']);
  });
});

describe('sameJson', () => {
  it('compares by content: key order aside, types, nulls, array order and missing keys count', () => {
    expect(sameJson({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(sameJson({ a: null }, {})).toBe(false);
    expect(sameJson({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson([], {})).toBe(false);
    expect(sameJson({ 0: 'a' }, ['a'])).toBe(false);
  });

  it('walks deep nesting without recursion', () => {
    let deep: unknown = 'leaf';
    let other: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) {
      deep = [deep];
      other = [other];
    }
    expect(sameJson(deep, other)).toBe(true);
  });
});
