// Unit tests of the SSRF network policy: refused ranges (v4, v6, IPv4-mapped), https vs plain http, allowNetworks, URL checks.
import { describe, expect, it } from 'vitest';
import { NetworkPolicy, unmapIPv4 } from './network-policy.js';

const strict = new NetworkPolicy({ allowNetworks: [], allowHttp: false });

describe('NetworkPolicy.refusal', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'this network'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique local'],
    ['fd00::1', 'unique local'],
    ['fd12:3456:789a::1', 'unique local'],
    ['ff02::1', 'multicast'],
  ])('refuses %s (%s) over https and http', (address, reason) => {
    for (const protocol of ['https:', 'http:'] as const) {
      const refusal = strict.refusal(address, protocol);
      expect(refusal).toContain(address);
      expect(refusal).toContain(reason);
    }
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:a00:1', 'private'],
    ['::FFFF:169.254.169.254', 'link-local'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
  ])('judges the IPv4-mapped %s as the IPv4 address it carries (%s)', (address, reason) => {
    expect(strict.refusal(address, 'https:')).toContain(reason);
  });

  it('does not refuse neighbours of the private ranges', () => {
    for (const address of [
      '172.15.255.255',
      '172.32.0.1',
      '100.63.255.255',
      '100.128.0.1',
      '11.0.0.1',
      '192.169.0.1',
      '223.255.255.255',
    ]) {
      expect(strict.refusal(address, 'https:')).toBeUndefined();
    }
  });

  it('allows public addresses over https and refuses them over plain http', () => {
    for (const address of ['93.184.216.34', '2606:4700::1111', '::ffff:93.184.216.34']) {
      expect(strict.refusal(address, 'https:')).toBeUndefined();
      expect(strict.refusal(address, 'http:')).toMatch(/plain http/);
    }
  });

  it('allows plain http to public addresses with allowHttp, but still no private ones', () => {
    const policy = new NetworkPolicy({ allowNetworks: [], allowHttp: true });
    expect(policy.refusal('93.184.216.34', 'http:')).toBeUndefined();
    expect(policy.refusal('2606:4700::1111', 'http:')).toBeUndefined();
    expect(policy.refusal('127.0.0.1', 'http:')).toContain('loopback');
    expect(policy.refusal('169.254.169.254', 'http:')).toContain('link-local');
  });

  it('opens an allowed network, over http too, and nothing beside it', () => {
    const policy = new NetworkPolicy({ allowNetworks: ['10.1.0.0/16', 'fd00:1::/32'], allowHttp: false });
    expect(policy.refusal('10.1.2.3', 'https:')).toBeUndefined();
    expect(policy.refusal('10.1.2.3', 'http:')).toBeUndefined();
    expect(policy.refusal('::ffff:10.1.2.3', 'http:')).toBeUndefined();
    expect(policy.refusal('fd00:1::5', 'http:')).toBeUndefined();
    expect(policy.refusal('10.2.0.1', 'https:')).toContain('private');
    expect(policy.refusal('fd00:2::5', 'https:')).toContain('unique local');
    expect(policy.refusal('93.184.216.34', 'http:')).toMatch(/plain http/);
  });

  it('opens loopback with 127.0.0.0/8 and ::1/128', () => {
    const policy = new NetworkPolicy({ allowNetworks: ['127.0.0.0/8', '::1/128'], allowHttp: false });
    for (const address of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1'])
      expect(policy.refusal(address, 'http:')).toBeUndefined();
    expect(policy.refusal('10.0.0.1', 'http:')).toContain('private');
  });

  it('refuses what is not an IP address', () => {
    expect(strict.refusal('example.com', 'https:')).toMatch(/not an IP address/);
  });

  it('says how to allow a refused address', () => {
    expect(strict.refusal('10.0.0.1', 'https:')).toMatch(/--allow-network/);
    expect(strict.refusal('93.184.216.34', 'http:')).toMatch(/--allow-http/);
  });
});

describe('NetworkPolicy.refusal of IPv6 outside global unicast (2000::/3)', () => {
  const outside = [
    '::ffff:ffff:a9fe:a9fe', // in ::/8, next to the IPv4-mapped and IPv4-translated ranges (issue #15)
    '::1:0:0:0:1',
    '1::1',
    '100:0:0:1::1', // 100::/8, beyond the discard range 100::/64
    '400::1',
    '4000::1',
    '5f00::1', // SRv6 segment identifiers
    '8000::1',
    'e000::1',
    'fe00::1', // fe00::/9, below link-local
  ];

  it.each(outside)('refuses %s over https and http, and at create as a URL', (address) => {
    for (const protocol of ['https:', 'http:'] as const) {
      expect(strict.refusal(address, protocol)).toBe(
        `${address} is outside IPv6 global unicast (2000::/3); allow it with --allow-network`,
      );
    }
    expect(strict.refusalForUrl(new URL(`https://[${address}]/hook`))).toContain(
      'outside IPv6 global unicast (2000::/3)',
    );
  });

  it('refuses the 3fff::/20 documentation range, and keeps the named reason of ranges outside 2000::/3', () => {
    expect(strict.refusal('3fff:0fff::1', 'https:')).toContain('a documentation address');
    expect(strict.refusal('::1', 'https:')).toContain('loopback');
    expect(strict.refusal('fe80::1', 'https:')).toContain('link-local');
    expect(strict.refusal('::127.0.0.1', 'https:')).toContain('IPv4-compatible');
  });

  it('allows global unicast at both ends of 2000::/3, beside the ranges it refuses', () => {
    for (const address of [
      '2000::1',
      '2001:200::1',
      '2001:db9::1',
      '2003::1',
      '2606:4700::1111',
      '3ffe::1',
      '3fff:1000::1',
      '3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]) {
      expect(strict.refusal(address, 'https:')).toBeUndefined();
    }
  });

  it('lets an allowed network open an address outside 2000::/3', () => {
    const policy = new NetworkPolicy({ allowNetworks: ['100::/8', '::ffff:ffff:0:0/96'], allowHttp: false });
    expect(policy.refusal('100:0:0:1::1', 'http:')).toBeUndefined();
    expect(policy.refusal('::ffff:ffff:a9fe:a9fe', 'https:')).toBeUndefined();
    expect(policy.refusal('4000::1', 'https:')).toContain('outside IPv6 global unicast');
  });
});

describe('unmapIPv4', () => {
  it('unmaps dotted and hex IPv4-mapped forms and leaves others alone', () => {
    expect(unmapIPv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(unmapIPv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(unmapIPv4('::ffff:c0a8:101')).toBe('192.168.1.1');
    expect(unmapIPv4('2606:4700::1111')).toBe('2606:4700::1111');
    expect(unmapIPv4('10.0.0.1')).toBe('10.0.0.1');
  });
});

describe('NetworkPolicy.refusalForUrl', () => {
  const url = (text: string) => strict.refusalForUrl(new URL(text));

  it('refuses literal private IPs in the URL', () => {
    expect(url('https://127.0.0.1/hook')).toContain('loopback');
    expect(url('https://10.0.0.1:8443/hook')).toContain('private');
    expect(url('http://169.254.169.254/latest/meta-data')).toContain('link-local');
    expect(url('https://[::1]/hook')).toContain('loopback');
    expect(url('https://[::ffff:127.0.0.1]/hook')).toContain('loopback');
    expect(url('https://[fd00::1]/hook')).toContain('unique local');
  });

  it('refuses IPv4 written in other notations, which the URL parser normalizes', () => {
    expect(url('http://2130706433/')).toContain('loopback');
    expect(url('http://0x7f.1/')).toContain('loopback');
  });

  it('refuses localhost and its subdomains', () => {
    expect(url('https://localhost/hook')).toContain('loopback');
    expect(url('https://LOCALHOST:3000/hook')).toContain('loopback');
    expect(url('https://app.localhost/hook')).toContain('loopback');
  });

  it('refuses localhost written as a fully qualified name with a trailing dot', () => {
    expect(url('https://localhost./hook')).toContain('loopback');
    expect(url('https://app.localhost./hook')).toContain('loopback');
  });

  it('refuses plain http to a literal public IP, allows https', () => {
    expect(url('http://93.184.216.34/hook')).toMatch(/plain http/);
    expect(url('https://93.184.216.34/hook')).toBeUndefined();
    expect(url('https://[2606:4700::1111]/hook')).toBeUndefined();
  });

  it('refuses plain http to a name when neither --allow-http nor any --allow-network could let it through', () => {
    const refusal = url('http://example.com/hook');
    expect(refusal).toMatch(/^plain http to example\.com can never be delivered/);
    expect(refusal).toContain('--allow-http');
    expect(
      new NetworkPolicy({ allowNetworks: [], allowHttp: true }).refusalForUrl(new URL('http://example.com/hook')),
    ).toBeUndefined();
    expect(
      new NetworkPolicy({ allowNetworks: ['10.0.0.0/8'], allowHttp: false }).refusalForUrl(
        new URL('http://receiver:3000/hook'),
      ),
    ).toBeUndefined();
  });

  it.each(['http://127.0.0.1:0/', 'https://x:0/', 'https://example.com:00/hook', 'https://[2606:4700::1111]:0/'])(
    'refuses port 0 in %s, whatever the policy allows',
    (text) => {
      const allowing = new NetworkPolicy({ allowNetworks: ['127.0.0.0/8'], allowHttp: true });
      for (const policy of [strict, allowing])
        expect(policy.refusalForUrl(new URL(text))).toMatch(/^has port 0, which no connection can reach/);
    },
  );

  it('leaves names to the connect-time check', () => {
    expect(url('https://example.com/hook')).toBeUndefined();
  });

  it('allows a literal address in an allowed network', () => {
    const policy = new NetworkPolicy({ allowNetworks: ['127.0.0.0/8', '::1/128'], allowHttp: false });
    expect(policy.refusalForUrl(new URL('http://127.0.0.1:8080/hook'))).toBeUndefined();
    expect(policy.refusalForUrl(new URL('http://[::1]:8080/hook'))).toBeUndefined();
    expect(policy.refusalForUrl(new URL('http://localhost:8080/hook'))).toBeUndefined();
  });
});
