// Which addresses deliveries may reach: by default never loopback, private, link-local, CGNAT, multicast or
// reserved ones (SSRF protection), and plain http only to networks the operator allowed.
import { BlockList, isIP } from 'node:net';
import { embeddedIPv4, mappedIPv4, parseIp } from './ip-address.js';

const REFUSED_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'a "this network" address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address (cloud metadata lives here)'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.88.99.0', 24, 'a reserved relay address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];

// Checked in order, first match wins: ::/128 and ::1/128 before the ::/96 that holds them, and every named range
// before the last three, which refuse all IPv6 outside global unicast. The ranges whose
// addresses carry an IPv4 address (::/96, ::ffff:0:0:0/96, NAT64, 6to4, Teredo) are refused whole: each reaches
// its IPv4 host through a tunnel, translator or relay we cannot see past. (::ffff:0:0/96, IPv4-mapped, is not
// here: it is judged as the IPv4 address it maps.)
const REFUSED_V6: [string, number, string, 'carries IPv4'?][] = [
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['::', 96, 'an IPv4-compatible address (deprecated)', 'carries IPv4'],
  ['::ffff:0:0:0', 96, 'an IPv4-translated address', 'carries IPv4'],
  ['64:ff9b::', 96, 'a NAT64 address', 'carries IPv4'],
  ['64:ff9b:1::', 48, 'a NAT64 address'],
  ['100::', 64, 'a discard address'],
  ['2001::', 32, 'a Teredo address', 'carries IPv4'],
  ['2001::', 23, 'a reserved address'],
  ['2001:db8::', 32, 'a documentation address'],
  ['2002::', 16, 'a 6to4 address', 'carries IPv4'],
  ['fc00::', 7, 'a private (unique local) address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
  ['3fff::', 20, 'a documentation address'],
  // Everything outside global unicast (2000::/3), the only IPv6 space with public receivers: the rest of ::/8 (such
  // as ::ffff:ffff:a9fe:a9fe), 100::/8 beyond the discard range, fe00::/9, and space IANA has not assigned.
  ['::', 3, 'outside IPv6 global unicast (2000::/3)'],
  ['4000::', 2, 'outside IPv6 global unicast (2000::/3)'],
  ['8000::', 1, 'outside IPv6 global unicast (2000::/3)'],
];

/** "::ffff:127.0.0.1" and "::ffff:7f00:1" are IPv4 in IPv6 clothing: judge them as the IPv4 address they carry. */
export function unmapIPv4(address: string): string {
  const parsed = parseIp(address);
  return (parsed?.family === 6 ? mappedIPv4(parsed.groups) : undefined) ?? address;
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 4 ? 'ipv4' : 'ipv6';
}

interface RefusedRange {
  list: BlockList;
  family: 'ipv4' | 'ipv6';
  reason: string;
  /** Its addresses carry an IPv4 address, which the refusal names. */
  carriesIPv4: boolean;
}

export interface NetworkPolicyOptions {
  /** CIDRs (e.g. "127.0.0.0/8") reachable although refused by default; plain http is allowed to them too. */
  allowNetworks: readonly string[];
  /** Plain http to any host. */
  allowHttp: boolean;
}

export class NetworkPolicy {
  private readonly allowed = new BlockList();
  private readonly refused: RefusedRange[] = [];

  constructor(readonly options: NetworkPolicyOptions) {
    for (const cidr of options.allowNetworks) {
      const [address = '', prefix = ''] = cidr.split('/');
      const unmapped = unmapIPv4(address);
      this.allowed.addSubnet(
        unmapped,
        unmapped === address ? Number(prefix) : Math.max(0, Number(prefix) - 96),
        familyOf(unmapped),
      );
    }
    for (const [ranges, family] of [
      [REFUSED_V4, 'ipv4'],
      [REFUSED_V6, 'ipv6'],
    ] as const) {
      for (const [network, prefix, reason, carries] of ranges) {
        const list = new BlockList();
        list.addSubnet(network, prefix, family);
        this.refused.push({ list, family, reason, carriesIPv4: carries !== undefined });
      }
    }
  }

  private isAllowedNetwork(address: string): boolean {
    return this.allowed.check(address, familyOf(address));
  }

  /** The default-refused range holding `ip` (canonical text), if any. */
  private refusedRange(ip: string): RefusedRange | undefined {
    // Same family only: a BlockList matches an IPv4 address against IPv6 ranges as if IPv4-mapped (::/3 holds them).
    const family = familyOf(ip);
    return this.refused.find((range) => range.family === family && range.list.check(ip, family));
  }

  /** Why an IPv6 address is refused for the IPv4 address it carries (ISATAP, whatever its prefix), or undefined. */
  private carriedRefusal(groups: readonly number[]): string | undefined {
    const carried = embeddedIPv4(groups);
    if (!carried || this.isAllowedNetwork(carried.address)) return undefined;
    const range = this.refusedRange(carried.address);
    return range && `carries ${carried.address} (${carried.form}), which is ${range.reason}`;
  }

  /**
   * Why a connection to `address` (an IP literal) for a URL of `protocol` is refused, or undefined when it may go.
   * Call it with the address actually connected to, after DNS, so a name cannot smuggle in a private address.
   * Any spelling `net` accepts is judged by the address it denotes.
   */
  refusal(address: string, protocol: 'http:' | 'https:'): string | undefined {
    const parsed = parseIp(address);
    if (!parsed) return `${address} is not an IP address`;
    const ip = (parsed.family === 6 ? mappedIPv4(parsed.groups) : undefined) ?? parsed.text;
    if (this.isAllowedNetwork(ip)) return undefined;
    const range = this.refusedRange(ip);
    if (range) {
      const carried = range.carriesIPv4 && parsed.family === 6 ? embeddedIPv4(parsed.groups) : undefined;
      return `${address} is ${range.reason}${carried ? ` carrying ${carried.address}` : ''}; allow it with --allow-network`;
    }
    const carriedRefusal = parsed.family === 6 ? this.carriedRefusal(parsed.groups) : undefined;
    if (carriedRefusal) return `${address} ${carriedRefusal}; allow it with --allow-network`;
    if (protocol === 'http:' && !this.options.allowHttp)
      return `plain http to ${address} is refused; use https, or allow it with --allow-http`;
    return undefined;
  }

  /**
   * The refusal that can be known from the URL alone, for checks at create time: port 0, literal IPs, "localhost", and plain
   * http to a name when nothing could carry it. A name is resolved only at connect (where the address is judged);
   * over plain http it can only ever reach an allowed network, so with --allow-http off and no --allow-network it can
   * never be delivered. With some network allowed the name may resolve into it (a compose service, an internal
   * host), which cannot be known now, so it is left to the connect-time check.
   */
  refusalForUrl(url: URL): string | undefined {
    // No connection reaches port 0 (it asks the system for any free port when listening): every attempt would fail.
    if (url.port === '0') return 'has port 0, which no connection can reach; give the port the receiver listens on';
    const protocol = url.protocol as 'http:' | 'https:';
    // "localhost." is the same name as "localhost" (a fully qualified name with its root dot).
    const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
    if (parseIp(host)) return this.refusal(host, protocol);
    if (host === 'localhost' || host.endsWith('.localhost')) return this.refusal('127.0.0.1', protocol);
    if (protocol === 'http:' && !this.options.allowHttp && this.options.allowNetworks.length === 0) {
      return `plain http to ${host} can never be delivered: without --allow-http, plain http goes only to networks allowed with --allow-network, and none is; use https, or start hookd with --allow-http`;
    }
    return undefined;
  }
}
