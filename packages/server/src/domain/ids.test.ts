import { describe, expect, it } from 'vitest';
import { isIdOf, newEventId, newId } from './ids.js';

describe('newId', () => {
  it('makes well-formed ids that do not repeat, across many refills of its random pool', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('dlv'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 500)) expect(isIdOf('dlv', id)).toBe(true);
    // The random part is not stuck on one value: all 32 letters show up in it.
    expect(new Set(ids.map((id) => id.slice(-16)).join('')).size).toBe(32);
  });

  it('sorts by creation time', () => {
    const earlier = newId('msg', Date.UTC(2026, 0, 1));
    const later = newId('msg', Date.UTC(2026, 0, 1) + 1);
    expect([later, earlier].sort()).toEqual([earlier, later]);
  });
});

describe('newEventId', () => {
  it('makes version 7 UUIDs that carry their time, do not repeat, and sort by creation', () => {
    const at = Date.UTC(2026, 11, 3, 6, 30);
    const ids = Array.from({ length: 20_000 }, (_, i) => newEventId(at + i));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 500))
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The first 48 bits are the unix milliseconds (RFC 9562, section 5.7).
    expect(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect([...ids].reverse().sort()).toEqual(ids);
    // Within one millisecond the rest is random: all 16 hex digits show up in the last group.
    const sameMs = Array.from({ length: 200 }, () => newEventId(at));
    expect(new Set(sameMs).size).toBe(200);
    expect(new Set(sameMs.map((id) => id.slice(-12)).join('')).size).toBe(16);
  });
});
