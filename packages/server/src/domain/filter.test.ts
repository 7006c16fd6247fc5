// Filters judge the envelope as the receiver parses it.
import { describe, expect, it } from 'vitest';
import { matchesFilter } from './filter.js';

describe('matchesFilter', () => {
  it('takes a published -0 as the 0 the delivered JSON carries', () => {
    const envelope = { data: { x: -0 } };
    expect(matchesFilter({ 'data.x': 0 }, envelope)).toBe(true);
    expect(matchesFilter({ 'data.x': { $eq: 0 } }, envelope)).toBe(true);
    expect(matchesFilter({ 'data.x': { $in: [1, 0] } }, envelope)).toBe(true);
    expect(matchesFilter({ 'data.x': { $neq: 0 } }, envelope)).toBe(false);
  });
});
