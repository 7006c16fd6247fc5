// The network a client address is limited as: an IPv4 address alone, an IPv6 address by its /64.
import { mappedIPv4, parseIp } from '../domain/ip-address.js';

// An IPv6 host is usually given a whole /64 (SLAAC, RFC 6177), so one client can take a fresh address for every request.
const IPV6_GROUPS_PER_CLIENT = 4;
// Longer than any IP's text: what is no IP (a misconfigured proxy's header) cannot make a bucket's name large.
const MAX_NAME_LENGTH = 64;

/** "203.0.113.7" as it is; "2001:db8:1:2::5" as "2001:db8:1:2::/64"; "::ffff:203.0.113.7" as "203.0.113.7". */
export function clientNetwork(address: string): string {
  const ip = parseIp(address);
  if (!ip) return address.slice(0, MAX_NAME_LENGTH);
  if (ip.family === 4) return ip.text;
  return (
    mappedIPv4(ip.groups) ??
    `${ip.groups
      .slice(0, IPV6_GROUPS_PER_CLIENT)
      .map((group) => group.toString(16))
      .join(':')}::/64`
  );
}
