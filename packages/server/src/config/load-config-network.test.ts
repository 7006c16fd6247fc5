// Unit tests of loadConfig for networks: --allow-network, DNS servers, request limits and trusted proxies.
import { describe, expect, it } from 'vitest';
import { configError } from '../../test/support/config-error.js';
import { loadConfig } from './load-config.js';

describe('--allow-network', () => {
  it('is repeatable and keeps every network in order', () => {
    const { config } = loadConfig(
      ['--allow-network', '10.0.0.0/8', '--allow-network', '192.168.0.0/16', '--allow-network', 'fd00::/8'],
      {},
    );
    expect(config.allowNetworks).toEqual(['10.0.0.0/8', '192.168.0.0/16', 'fd00::/8']);
  });

  it('takes a bare address as a single host', () => {
    expect(loadConfig(['--allow-network', '10.0.0.7', '--allow-network', '::1'], {}).config.allowNetworks).toEqual([
      '10.0.0.7/32',
      '::1/128',
    ]);
  });

  it('replaces HOOKD_ALLOW_NETWORKS rather than adding to it', () => {
    const { config } = loadConfig(['--allow-network', '127.0.0.0/8'], { HOOKD_ALLOW_NETWORKS: '10.0.0.0/8' });
    expect(config.allowNetworks).toEqual(['127.0.0.0/8']);
  });

  it.each([
    'nonsense',
    '10.0.0.0/33',
    '10.0.0/8',
    '10.0.0.0/8/1',
    '300.1.1.1/32',
    'fd00::/129',
    '10.0.0.0/-1',
    'example.com/24',
  ])('refuses %s, naming --allow-network', (text) => {
    const error = configError(['--allow-network', '10.0.0.0/8', '--allow-network', text]);
    expect(error.message).toContain('--allow-network');
    expect(error.message).toContain(text);
  });

  it('refuses a bad entry in HOOKD_ALLOW_NETWORKS, naming the variable', () => {
    const error = configError([], { HOOKD_ALLOW_NETWORKS: '10.0.0.0/8,nonsense' });
    expect(error.message).toContain('HOOKD_ALLOW_NETWORKS');
    expect(error.message).toContain('nonsense');
  });
});

describe('--dns-server and --dns-timeout', () => {
  it('default to the servers of /etc/resolv.conf and 5 s', () => {
    expect(loadConfig([], {}).config).toMatchObject({ dnsServers: [], dnsTimeoutMs: 5_000 });
  });

  it('take servers with and without a port, repeated or as a comma list', () => {
    const flags = [
      '--dns-server',
      '10.0.0.2',
      '--dns-server',
      '10.0.0.3:5353',
      '--dns-server',
      'fd00::53',
      '--dns-server',
      '[fd00::54]:53',
    ];
    expect(loadConfig(flags, {}).config.dnsServers).toEqual(['10.0.0.2', '10.0.0.3:5353', 'fd00::53', '[fd00::54]:53']);
    expect(loadConfig([], { HOOKD_DNS_SERVERS: '10.0.0.2, 127.0.0.1:5353' }).config.dnsServers).toEqual([
      '10.0.0.2',
      '127.0.0.1:5353',
    ]);
  });

  it('reads --dns-timeout and HOOKD_DNS_TIMEOUT as a duration', () => {
    expect(loadConfig(['--dns-timeout', '2s'], {}).config.dnsTimeoutMs).toBe(2_000);
    expect(loadConfig([], { HOOKD_DNS_TIMEOUT: '1500ms' }).config.dnsTimeoutMs).toBe(1_500);
  });

  it.each(['dns.example.com', '10.0.0.2:0', '10.0.0.2:70000', '[10.0.0.2]:53', '300.1.1.1', '[fd00::53'])(
    'refuses --dns-server %s, naming it',
    (text) => {
      const error = configError(['--dns-server', text]);
      expect(error.message).toContain('--dns-server');
      expect(error.message).toContain(text);
    },
  );

  it('refuses a bad entry in HOOKD_DNS_SERVERS and a --dns-timeout out of range, naming them', () => {
    expect(configError([], { HOOKD_DNS_SERVERS: '10.0.0.2,nonsense' }).message).toContain('HOOKD_DNS_SERVERS');
    expect(configError(['--dns-timeout', '10m']).message).toContain('--dns-timeout');
  });
});

describe('the API request limits', () => {
  it('are on by default: 1,000 requests a second per key, 20 failed authentications a minute per address', () => {
    expect(loadConfig([], {}).config).toMatchObject({ apiRateLimit: 1_000, authFailureLimit: 20 });
  });

  it('are set by flag or environment, 0 turning them off', () => {
    expect(loadConfig(['--api-rate-limit', '0', '--auth-failure-limit', '5'], {}).config).toMatchObject({
      apiRateLimit: 0,
      authFailureLimit: 5,
    });
    expect(loadConfig([], { HOOKD_API_RATE_LIMIT: '50', HOOKD_AUTH_FAILURE_LIMIT: '0' }).config).toMatchObject({
      apiRateLimit: 50,
      authFailureLimit: 0,
    });
  });

  it('trusts no proxy by default; --trust-proxy (repeatable) or HOOKD_TRUST_PROXY (comma list) names them, a bare address as one host', () => {
    expect(loadConfig([], {}).config.trustProxy).toEqual([]);
    expect(loadConfig(['--trust-proxy', '10.0.0.0/8', '--trust-proxy', '192.0.2.7'], {}).config.trustProxy).toEqual([
      '10.0.0.0/8',
      '192.0.2.7/32',
    ]);
    expect(loadConfig([], { HOOKD_TRUST_PROXY: '10.0.0.0/8, fd00::/8' }).config.trustProxy).toEqual([
      '10.0.0.0/8',
      'fd00::/8',
    ]);
  });

  it('refuses a --trust-proxy or HOOKD_TRUST_PROXY that is no CIDR, naming it', () => {
    expect(configError(['--trust-proxy', 'lb.internal']).message).toContain('--trust-proxy');
    expect(configError([], { HOOKD_TRUST_PROXY: '10.0.0.0/8,10.0.0.0/33' }).message).toContain('HOOKD_TRUST_PROXY');
  });

  it.each([
    ['--api-rate-limit', 'fast'],
    ['--api-rate-limit', '-1'],
    ['--auth-failure-limit', '1.5'],
  ])('refuses %s %s, naming it', (flag, value) => {
    expect(configError([flag, value]).message).toContain(flag);
  });
});
