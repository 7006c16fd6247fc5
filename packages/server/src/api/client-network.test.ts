// Client addresses as the failed-authentication limit counts them: IPv4 one by one, IPv6 per /64, in any spelling.
import { expect, it } from 'vitest';
import { clientNetwork } from './client-network.js';

it('counts an IPv4 address alone, as it is and as a dual-stack socket spells it', () => {
  expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
  expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
  expect(clientNetwork('::ffff:cb00:7107')).toBe('203.0.113.7');
});

it('counts every IPv6 address of a /64 as one, whatever the spelling, and other /64s apart', () => {
  const network = clientNetwork('2001:db8:1:2::1');
  expect(network).toBe('2001:db8:1:2::/64');
  for (const address of [
    '2001:db8:1:2:ffff:ffff:ffff:ffff',
    '2001:DB8:0001:0002:0:0:0:9',
    '[2001:db8:1:2::5]',
    '2001:db8:1:2::1%eth0',
  ]) {
    expect(clientNetwork(address)).toBe(network);
  }
  expect(clientNetwork('2001:db8:1:3::1')).not.toBe(network);
  expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
});

it('keeps what is no IP address short', () => {
  expect(clientNetwork('x'.repeat(10_000))).toHaveLength(64);
});
