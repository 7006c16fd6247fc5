// Unit tests of the DNS cache with a clock the test moves: TTLs held between floor and ceiling, failures kept
// briefly, and the size bounded (least recently used out first).
import { describe, expect, it } from 'vitest';
import { DnsCache, type DnsCacheLimits } from './dns-cache.js';

const LIMITS: DnsCacheLimits = { maxEntries: 3, minTtlMs: 5_000, maxTtlMs: 300_000, failureTtlMs: 3_000 };

function cacheAt(start = 1_000_000): { cache: DnsCache; advance: (ms: number) => void } {
  let now = start;
  return { cache: new DnsCache(() => now, LIMITS), advance: (ms) => (now += ms) };
}

describe('DnsCache', () => {
  it('keeps an answer for its TTL (lru-cache: up to and including its last millisecond), and not a moment longer', () => {
    const { cache, advance } = cacheAt();
    cache.putAddresses('a.example', ['192.0.2.1', '2001:db8::1'], 60);
    advance(60_000);
    expect(cache.get('a.example')).toEqual({ addresses: ['192.0.2.1', '2001:db8::1'] });
    advance(1);
    expect(cache.get('a.example')).toBeUndefined();
  });

  it('keeps an answer with a TTL of 0 for the 5 s floor', () => {
    const { cache, advance } = cacheAt();
    cache.putAddresses('zero.example', ['192.0.2.1'], 0);
    advance(5_000);
    expect(cache.get('zero.example')).toEqual({ addresses: ['192.0.2.1'] });
    advance(1);
    expect(cache.get('zero.example')).toBeUndefined();
  });

  it('keeps an answer with a TTL of a day only for the 5 minute ceiling', () => {
    const { cache, advance } = cacheAt();
    cache.putAddresses('day.example', ['192.0.2.1'], 86_400);
    advance(300_000);
    expect(cache.get('day.example')).toBeDefined();
    advance(1);
    expect(cache.get('day.example')).toBeUndefined();
  });

  it('keeps a failure for 3 s', () => {
    const { cache, advance } = cacheAt();
    cache.putFailure('gone.example', 'DNS lookup of gone.example timed out after 5 s');
    advance(3_000);
    expect(cache.get('gone.example')).toEqual({ failure: 'DNS lookup of gone.example timed out after 5 s' });
    advance(1);
    expect(cache.get('gone.example')).toBeUndefined();
  });

  it('holds at most maxEntries names, dropping the least recently used', () => {
    const { cache } = cacheAt();
    cache.putAddresses('one.example', ['192.0.2.1'], 60);
    cache.putAddresses('two.example', ['192.0.2.2'], 60);
    cache.putAddresses('three.example', ['192.0.2.3'], 60);
    for (let i = 0; i < 100; i++) cache.putFailure(`made-up-${i}.example`, 'no such name');
    expect(cache.size).toBe(3);
    cache.putAddresses('four.example', ['192.0.2.4'], 60);
    expect(cache.size).toBe(3);
    expect(cache.get('four.example')).toEqual({ addresses: ['192.0.2.4'] });
  });

  it('drops the least recently used name, not the oldest stored', () => {
    const { cache } = cacheAt();
    cache.putAddresses('one.example', ['192.0.2.1'], 60);
    cache.putAddresses('two.example', ['192.0.2.2'], 60);
    cache.putAddresses('three.example', ['192.0.2.3'], 60);
    cache.get('one.example');
    cache.putAddresses('four.example', ['192.0.2.4'], 60);
    expect(cache.get('two.example')).toBeUndefined();
    expect(cache.get('one.example')).toEqual({ addresses: ['192.0.2.1'] });
    expect(cache.get('three.example')).toBeDefined();
    expect(cache.get('four.example')).toBeDefined();
  });

  it('replaces the answer of a name stored again', () => {
    const { cache } = cacheAt();
    cache.putFailure('flaky.example', 'timed out');
    cache.putAddresses('flaky.example', ['192.0.2.9'], 60);
    expect(cache.get('flaky.example')).toEqual({ addresses: ['192.0.2.9'] });
    expect(cache.size).toBe(1);
  });
});
