// Which addresses deliveries may reach: by default never loopback, private, link-local, CGNAT, multicast or
// reserved ones (SSRF protection), and plain http only to networks the operator allowed.
import { BlockList, isIP } from 'node:net';

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

const REFUSED_V6: [string, number, string][] = [
  ['::', 128, 'the unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['64:ff9b::', 96, 'a NAT64 address'],
  ['64:ff9b:1::', 48, 'a NAT64 address'],
  ['100::', 64, 'a discard address'],
  ['2001::', 23, 'a reserved address'],
  ['2001:db8::', 32, 'a documentation address'],
  ['2002::', 16, 'a 6to4 address'],
  ['fc00::', 7, 'a private (unique local) address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
];

/** "::ffff:127.0.0.1" and "::ffff:7f00:1" are IPv4 in IPv6 clothing: judge them as the IPv4 address they carry. */
export function unmapIPv4(address: string): string {
  const lower = address.toLowerCase();
  const dotted = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^::(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:0{0,4}:){0,5}:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const high = parseInt(hex[1]!, 16);
    const low = parseInt(hex[2]!, 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return address;
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 4 ? 'ipv4' : 'ipv6';
}

export interface NetworkPolicyOptions {
  /** CIDRs (e.g. "127.0.0.0/8") reachable although refused by default; plain http is allowed to them too. */
  allowNetworks: readonly string[];
  /** Plain http to any host. */
  allowHttp: boolean;
}

export class NetworkPolicy {
  private readonly allowed = new BlockList();
  private readonly refused: { list: BlockList; reason: string }[] = [];

  constructor(readonly options: NetworkPolicyOptions) {
    for (const cidr of options.allowNetworks) {
      const [address = '', prefix = ''] = cidr.split('/');
      const unmapped = unmapIPv4(address);
      this.allowed.addSubnet(unmapped, unmapped === address ? Number(prefix) : Math.max(0, Number(prefix) - 96), familyOf(unmapped));
    }
    for (const [ranges, family] of [[REFUSED_V4, 'ipv4'], [REFUSED_V6, 'ipv6']] as const) {
      for (const [network, prefix, reason] of ranges) {
        const list = new BlockList();
        list.addSubnet(network, prefix, family);
        this.refused.push({ list, reason });
      }
    }
  }

  private isAllowedNetwork(address: string): boolean {
    return this.allowed.check(address, familyOf(address));
  }

  /**
   * Why a connection to `address` (an IP literal) for a URL of `protocol` is refused, or undefined when it may go.
   * Call it with the address actually connected to, after DNS, so a name cannot smuggle in a private address.
   */
  refusal(address: string, protocol: 'http:' | 'https:'): string | undefined {
    const ip = unmapIPv4(address);
    if (isIP(ip) === 0) return `${address} is not an IP address`;
    if (this.isAllowedNetwork(ip)) return undefined;
    const refused = this.refused.find(({ list }) => list.check(ip, familyOf(ip)));
    if (refused) return `${address} is ${refused.reason}; allow it with --allow-network`;
    if (protocol === 'http:' && !this.options.allowHttp) return `plain http to ${address} is refused; use https, or allow it with --allow-http`;
    return undefined;
  }

  /** The refusal that can be known from the URL alone (literal IPs and "localhost"), for checks at create time. */
  refusalForUrl(url: URL): string | undefined {
    const protocol = url.protocol as 'http:' | 'https:';
    // "localhost." is the same name as "localhost" (a fully qualified name with its root dot).
    const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
    if (isIP(host) !== 0) return this.refusal(host, protocol);
    if (host === 'localhost' || host.endsWith('.localhost')) return this.refusal('127.0.0.1', protocol);
    return undefined;
  }
}
