import { describe, expect, it } from 'vitest';
import { isIdOf, newId } from './ids.js';

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
