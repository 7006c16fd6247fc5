// The resolver deliveries use, against a real DNS server on 127.0.0.1: A and AAAA, answers kept for their TTL, one
// question per name however many ask at once, a deadline on names that never answer, and names DNS is never asked for
// (the hosts file, "localhost").
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostResolver, type HostResolverOptions } from '../src/delivery/host-resolver.js';
import { startDnsServer, type DnsReply, type DnsServer } from './support/dns-server.js';
import { tempDir } from './support/temp-dir.js';

const TABLE: Record<string, DnsReply> = {
  'both.hookd.test': { addresses: ['2001:db8::7', '192.0.2.7'], ttl: 60 },
  'v6.hookd.test': { addresses: ['2001:db8::6'], ttl: 60 },
  'hang.hookd.test': 'hang',
  'hang2.hookd.test': 'hang',
  'v4-hang6.hookd.test': { addresses: ['192.0.2.8'], ttl: 60 },
};

let dns: DnsServer;
let dir: string;
const resolvers: HostResolver[] = [];
beforeEach(async () => {
  // Some resolvers and middleboxes drop AAAA questions: v4-hang6 never gets an answer to its.
  dns = await startDnsServer((name, type) =>
    name === 'v4-hang6.hookd.test' && type === 'AAAA' ? 'hang' : (TABLE[name] ?? 'nxdomain'),
  );
  dir = tempDir('hookd-dns-');
});
afterEach(async () => {
  for (const resolver of resolvers.splice(0)) resolver.close();
  await dns.close();
});

function resolver(options: Partial<HostResolverOptions> = {}): HostResolver {
  const hostsFile = join(dir, 'hosts');
  writeFileSync(
    hostsFile,
    '# a comment\n127.0.0.1 localhost\n198.51.100.4  listed.hookd.test  alias.hookd.test # trailing\n',
  );
  const made = new HostResolver({ servers: [dns.address], timeoutMs: 5_000, hostsFile, ...options });
  resolvers.push(made);
  return made;
}

describe('HostResolver', () => {
  it('answers the A and AAAA records of a name, IPv4 first', async () => {
    expect(await resolver().addressesOf('both.hookd.test')).toEqual(['192.0.2.7', '2001:db8::7']);
    expect(await resolver().addressesOf('v6.hookd.test')).toEqual(['2001:db8::6']);
  });

  it('does not wait out the deadline for AAAA once A has answered', async () => {
    expect(await resolver({ timeoutMs: 60_000 }).addressesOf('v4-hang6.hookd.test')).toEqual(['192.0.2.8']);
  });

  it('asks DNS once for a name within its TTL, however many ask', async () => {
    const r = resolver();
    const answers = await Promise.all(Array.from({ length: 20 }, () => r.addressesOf('both.hookd.test')));
    for (const answer of answers) expect(answer).toEqual(['192.0.2.7', '2001:db8::7']);
    await r.addressesOf('both.hookd.test');
    expect(dns.questions.sort()).toEqual(['both.hookd.test A', 'both.hookd.test AAAA']);
  });

  it('fails a name that never answers at the deadline, with one lookup for all who wait, and remembers the failure', async () => {
    // A clock that stands still: the failure is remembered however slowly the machine runs.
    const r = resolver({ timeoutMs: 500, now: () => 1_000_000 });
    const failures = await Promise.all(
      Array.from({ length: 20 }, () =>
        r.addressesOf('hang.hookd.test').then(
          () => 'resolved',
          (error: Error) => error.message,
        ),
      ),
    );
    for (const failure of failures) expect(failure).toBe('DNS lookup of hang.hookd.test timed out after 0.5 s');
    const asked = dns.questions.length;
    await expect(r.addressesOf('hang.hookd.test')).rejects.toThrow(
      'DNS lookup of hang.hookd.test timed out after 0.5 s',
    );
    expect(dns.questions.length).toBe(asked);
    expect(new Set(dns.questions)).toEqual(new Set(['hang.hookd.test A', 'hang.hookd.test AAAA']));
  });

  it('still answers other names while names hang', async () => {
    const r = resolver({ timeoutMs: 60_000 });
    const hanging = r.addressesOf('hang.hookd.test').catch((error: Error) => error.message);
    expect(await r.addressesOf('both.hookd.test')).toEqual(['192.0.2.7', '2001:db8::7']);
    r.close();
    expect(await hanging).toBe('DNS lookup of hang.hookd.test cancelled: hookd is stopping');
  });

  it('fails at once, without asking, a lookup past the limit of names in flight, and asks once there is room', async () => {
    const r = resolver({ timeoutMs: 500, maxLookupsInFlight: 2 });
    const hanging = ['hang.hookd.test', 'hang2.hookd.test'].map((name) =>
      r.addressesOf(name).catch((error: Error) => error.message),
    );
    await expect(r.addressesOf('both.hookd.test')).rejects.toThrow(
      'DNS lookup of both.hookd.test not started: 2 lookups of other names are unanswered',
    );
    // Names that need no lookup still answer.
    expect(await r.addressesOf('localhost')).toEqual(['127.0.0.1']);
    expect(dns.questions.some((question) => question.startsWith('both.'))).toBe(false);
    expect(await Promise.all(hanging)).toEqual(
      ['hang.hookd.test', 'hang2.hookd.test'].map((name) => `DNS lookup of ${name} timed out after 0.5 s`),
    );
    expect(await r.addressesOf('both.hookd.test')).toEqual(['192.0.2.7', '2001:db8::7']);
  });

  it('names a name that does not exist', async () => {
    await expect(resolver().addressesOf('nowhere.hookd.test')).rejects.toThrow(
      'DNS lookup of nowhere.hookd.test failed: no such name (ENOTFOUND)',
    );
  });

  it('answers names in the hosts file and "localhost" without asking DNS', async () => {
    const r = resolver();
    expect(await r.addressesOf('listed.hookd.test')).toEqual(['198.51.100.4']);
    expect(await r.addressesOf('ALIAS.hookd.test.')).toEqual(['198.51.100.4']);
    expect(await r.addressesOf('localhost')).toEqual(['127.0.0.1']);
    expect(await r.addressesOf('api.localhost')).toEqual(['127.0.0.1', '::1']);
    expect(dns.questions).toEqual([]);
  });
});
