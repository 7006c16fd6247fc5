// Unit tests of the SSRF network policy on address spellings: IPv6 forms that carry an IPv4 address, and the
// shorthand, octal and hex spellings of IPv4. The ranges themselves: network-policy.test.ts.
import { describe, expect, it } from 'vitest';
import { NetworkPolicy } from './network-policy.js';

const strict = new NetworkPolicy({ allowNetworks: [], allowHttp: false });

describe('NetworkPolicy.refusal of IPv6 forms that carry an IPv4 address, in every spelling', () => {
  // [spelling, words the refusal must hold]. Each spelling is one net.isIP accepts; those the WHATWG URL parser
  // accepts too (all but zone ids) are also checked through refusalForUrl, as create and connect see them.
  const carriers: [string, string[]][] = [
    ['::127.0.0.1', ['IPv4-compatible', '127.0.0.1']],
    ['::7f00:1', ['IPv4-compatible', '127.0.0.1']],
    ['0:0:0:0:0:0:127.0.0.1', ['IPv4-compatible', '127.0.0.1']],
    ['0000:0000:0000:0000:0000:0000:7F00:0001', ['IPv4-compatible', '127.0.0.1']],
    ['::7f00:1%eth0', ['IPv4-compatible', '127.0.0.1']],
    ['::a9fe:a9fe', ['IPv4-compatible', '169.254.169.254']],
    ['::8.8.8.8', ['IPv4-compatible', '8.8.8.8']],
    ['::ffff:0:7f00:1', ['IPv4-translated', '127.0.0.1']],
    ['::ffff:0:127.0.0.1', ['IPv4-translated', '127.0.0.1']],
    ['::FFFF:0:7F00:1', ['IPv4-translated', '127.0.0.1']],
    ['0:0:0:0:ffff:0:7f00:1', ['IPv4-translated', '127.0.0.1']],
    ['::ffff:0:a00:1%1', ['IPv4-translated', '10.0.0.1']],
    ['64:ff9b::7f00:1', ['NAT64', '127.0.0.1']],
    ['64:FF9B::127.0.0.1', ['NAT64', '127.0.0.1']],
    ['64:ff9b::a9fe:a9fe', ['NAT64', '169.254.169.254']],
    ['64:ff9b:1::7f00:1', ['NAT64']],
    ['2002:7f00:1::', ['6to4', '127.0.0.1']],
    ['2002:a9fe:a9fe::1', ['6to4', '169.254.169.254']],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', ['Teredo', '127.0.0.1']],
    ['2001::80ff:fffe', ['Teredo', '127.0.0.1']],
    ['2606:4700::5efe:7f00:1', ['ISATAP', '127.0.0.1', 'loopback']],
    ['2606:4700::200:5efe:127.0.0.1', ['ISATAP', '127.0.0.1', 'loopback']],
    ['2606:4700:0:0:0300:5EFE:A9FE:A9FE', ['ISATAP', '169.254.169.254', 'link-local']],
    ['2606:4700::5efe:c0a8:101', ['ISATAP', '192.168.1.1', 'private']],
  ];

  it.each(carriers)('refuses %s (%s)', (address, words) => {
    for (const protocol of ['https:', 'http:'] as const) {
      const refusal = strict.refusal(address, protocol);
      for (const word of words) expect(refusal).toContain(word);
    }
  });

  it.each(carriers.filter(([address]) => !address.includes('%')))(
    'refuses https://[%s]/ at create, however the URL parser rewrites it',
    (address, words) => {
      const refusal = strict.refusalForUrl(new URL(`https://[${address}]/hook`));
      for (const word of words) expect(refusal).toContain(word);
    },
  );

  it.each([
    ['::ffff:7f00:1%eth0', 'loopback'],
    ['::FFFF:127.0.0.1', 'loopback'],
    ['0:0::ffff:7f00:1', 'loopback'],
    ['fe80::1%eth0', 'link-local'],
    ['FE80::0001', 'link-local'],
    ['::1%lo', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['0000::0', 'unspecified'],
  ])('judges %s by the address it denotes (%s)', (address, reason) => {
    expect(strict.refusal(address, 'https:')).toContain(reason);
  });

  it('names loopback and the unspecified address as such, not as IPv4-compatible', () => {
    expect(strict.refusal('::1', 'https:')).toBe('::1 is a loopback address; allow it with --allow-network');
    expect(strict.refusal('::', 'https:')).toBe(':: is the unspecified address; allow it with --allow-network');
  });

  it('allows a public address whose interface id looks like ISATAP but carries a public IPv4 address', () => {
    expect(strict.refusal('2606:4700::5efe:808:808', 'https:')).toBeUndefined();
  });

  it('allows an ISATAP address carrying an address in an allowed network', () => {
    const policy = new NetworkPolicy({ allowNetworks: ['10.0.0.0/8'], allowHttp: false });
    expect(policy.refusal('2606:4700::5efe:a00:1', 'https:')).toBeUndefined();
  });
});

describe('NetworkPolicy and IPv4 spellings', () => {
  it.each([
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://0x7f000001/',
    'http://017700000001/',
    'http://127.000.000.001/',
    'http://0x7F.0.0.1/',
    'https://127.0.0.1./',
  ])('the URL parser turns %s into 127.0.0.1, which is refused', (text) => {
    const url = new URL(text);
    expect(url.hostname).toBe('127.0.0.1');
    expect(strict.refusalForUrl(url)).toContain('loopback');
  });

  it('refuses "http://0/" (0.0.0.0, which reaches this host on Linux)', () => {
    expect(strict.refusalForUrl(new URL('http://0/'))).toContain('this network');
  });

  it('refuses non-canonical IPv4 spellings given to refusal() as no IP address at all, never lets them through', () => {
    for (const address of ['127.1', '0177.0.0.1', '0x7f000001', '2130706433'])
      expect(strict.refusal(address, 'https:')).toMatch(/not an IP address/);
  });
});
