// Finds the addresses of a receiver's host name for the guarded agent: from the hosts file, from the cache, or by
// asking DNS through c-ares with a deadline. Not dns.lookup(): that runs getaddrinfo on libuv's four pool threads and
// cannot be cancelled, so names that never answer filled the pool and every other lookup (and file I/O) queued
// behind them; eight such webhooks stopped 780 of 800 deliveries to twenty healthy ones (issue #15).
import { Resolver } from 'node:dns/promises';
import { DnsCache, DEFAULT_DNS_CACHE_LIMITS, type DnsAnswer, type DnsCacheLimits } from './dns-cache.js';
import { HostsFile } from './hosts-file.js';

/** A name that gave no address: the attempt fails with this message (see describeSendError). */
export class DnsLookupError extends Error {
  readonly code = 'HOOKD_DNS';
  constructor(message: string) {
    super(message);
    this.name = 'DnsLookupError';
  }
}

export interface HostResolverOptions {
  /** DNS servers ("10.0.0.2", "10.0.0.2:5353", "[fd00::53]:53"); empty: those of /etc/resolv.conf. */
  servers: readonly string[];
  /** A lookup with no answer by then fails. */
  timeoutMs: number;
  /** Default /etc/hosts. */
  hostsFile?: string;
  /** Milliseconds now, for the cache (default Date.now). */
  now?: () => number;
  cacheLimits?: DnsCacheLimits;
  /** Lookups of different names in flight at most (default MAX_LOOKUPS_IN_FLIGHT). */
  maxLookupsInFlight?: number;
}

/**
 * Each lookup in flight holds a UDP socket of its own (a fresh source port per lookup, and cancel() that ends just that
 * one). Lookups of one name share one query, so this is reached only with this many different names unanswered at
 * once, each tried within one timeout: 512 keeps the sockets well inside the 1,024 descriptors a process is commonly
 * allowed, beside its connections. Past it a lookup fails at once (and is retried on the schedule) rather than queue.
 */
export const MAX_LOOKUPS_IN_FLIGHT = 512;

/**
 * How long the other family's answer is awaited once one family has addresses. Both questions go to the same server
 * together, so the second answer normally follows the first within milliseconds; RFC 8305 (Happy Eyeballs) waits
 * 50 ms for AAAA after A. 1 s leaves room for a busy resolver and for an event loop busy with deliveries to read
 * the second answer late; it is spent only on names one family of which never answers, once per TTL.
 */
const OTHER_FAMILY_GRACE_MS = 1_000;

function seconds(ms: number): string {
  return `${Number((ms / 1_000).toFixed(3))} s`;
}

/** The error codes of c-ares that mean the name has no address (rather than that the question went unanswered). */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA']);

export class HostResolver {
  private readonly cache: DnsCache;
  private readonly hosts: HostsFile;
  /** One query per name at a time: every lookup of a name in flight waits for the same answer. */
  private readonly inFlight = new Map<string, Promise<DnsAnswer>>();
  private readonly liveResolvers = new Set<Resolver>();
  private closed = false;

  constructor(private readonly options: HostResolverOptions) {
    const now = options.now ?? Date.now;
    this.cache = new DnsCache(now, options.cacheLimits ?? DEFAULT_DNS_CACHE_LIMITS);
    this.hosts = new HostsFile(options.hostsFile ?? '/etc/hosts', now);
  }

  /** The name's addresses, IPv4 first; throws a DnsLookupError when it has none or DNS did not answer in time. */
  async addressesOf(name: string): Promise<string[]> {
    const listed = this.hosts.addressesOf(name);
    if (listed) return listed;
    const answer = this.cache.get(name) ?? (await this.lookUp(name));
    if ('failure' in answer) throw new DnsLookupError(answer.failure);
    return answer.addresses;
  }

  /** Cancels every lookup in flight (at shutdown); later lookups fail. */
  close(): void {
    this.closed = true;
    for (const resolver of this.liveResolvers) resolver.cancel();
  }

  private lookUp(name: string): Promise<DnsAnswer> {
    const shared = this.inFlight.get(name);
    if (shared) return shared;
    if (this.closed) return Promise.resolve({ failure: `DNS lookup of ${name} not started: hookd is stopping` });
    const max = this.options.maxLookupsInFlight ?? MAX_LOOKUPS_IN_FLIGHT;
    if (this.inFlight.size >= max)
      return Promise.resolve({
        failure: `DNS lookup of ${name} not started: ${max} lookups of other names are unanswered`,
      });
    const lookup = this.query(name).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, lookup);
    return lookup;
  }

  /** Asks for A and AAAA at once; at the deadline, cancels what is still unanswered. */
  private async query(name: string): Promise<DnsAnswer> {
    // c-ares resends an unanswered query (a lost UDP packet) after `timeout`, doubling it each time (measured: 300 ms
    // and 3 tries gave up after 2.4 s), and moves on to the next server: with a quarter of the deadline it asks at 0,
    // 1/4 and 3/4 of it. The deadline ends the lookup whatever c-ares would still try.
    const resolver = new Resolver({ timeout: Math.max(100, Math.floor(this.options.timeoutMs / 4)), tries: 4 });
    if (this.options.servers.length > 0) resolver.setServers(this.options.servers);
    this.liveResolvers.add(resolver);
    let timedOut = false;
    let deadline = setTimeout(() => {
      timedOut = true;
      resolver.cancel();
    }, this.options.timeoutMs);
    // Some resolvers and middleboxes never answer AAAA questions: once one family has addresses, the other gets only a
    // moment more rather than the whole deadline on every lookup of the name.
    const answered = <T extends unknown[]>(records: T): T => {
      if (records.length > 0) {
        clearTimeout(deadline);
        deadline = setTimeout(() => resolver.cancel(), OTHER_FAMILY_GRACE_MS);
      }
      return records;
    };
    try {
      const [v4, v6] = await Promise.allSettled([
        resolver.resolve4(name, { ttl: true }).then(answered),
        resolver.resolve6(name, { ttl: true }).then(answered),
      ]);
      const records = [v4, v6].flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
      if (records.length > 0) {
        // IPv4 first: the agent connects to the first address the policy allows, and c-ares, unlike getaddrinfo, does
        // not know whether this host has an IPv6 route; on one without, a name with both would fail to connect.
        const addresses = records.map((record) => record.address);
        this.cache.putAddresses(name, addresses, Math.min(...records.map((record) => record.ttl)));
        return { addresses };
      }
      const failure = this.failureOf(name, [v4, v6], timedOut);
      // Not kept when stopping: that says nothing about the name.
      if (!this.closed) this.cache.putFailure(name, failure);
      return { failure };
    } finally {
      clearTimeout(deadline);
      this.liveResolvers.delete(resolver);
    }
  }

  /** The attempt's error text for a lookup that found no address. */
  private failureOf(name: string, results: PromiseSettledResult<unknown>[], timedOut: boolean): string {
    if (this.closed) return `DNS lookup of ${name} cancelled: hookd is stopping`;
    const codes = results.map((result) =>
      result.status === 'rejected' ? String((result.reason as { code?: unknown }).code) : 'ENODATA',
    );
    // c-ares gives up (ETIMEOUT) only after more tries than the deadline leaves, so this is nearly always the deadline.
    if (timedOut || codes.includes('ETIMEOUT'))
      return `DNS lookup of ${name} timed out after ${seconds(this.options.timeoutMs)}`;
    if (codes.includes('ENOTFOUND')) return `DNS lookup of ${name} failed: no such name (ENOTFOUND)`;
    if (codes.every((code) => NO_SUCH_NAME.has(code)))
      return `DNS lookup of ${name} failed: the name has no address (ENODATA)`;
    return `DNS lookup of ${name} failed (${codes.find((code) => !NO_SUCH_NAME.has(code))})`;
  }
}
