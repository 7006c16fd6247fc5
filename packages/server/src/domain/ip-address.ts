// Reads an IP address in any spelling Node's `net` accepts into one canonical form, and finds the IPv4 address
// that an IPv6 form carries inside it (mapped, compatible, translated, NAT64, 6to4, Teredo, ISATAP).
import { isIP } from 'node:net';

export type IpAddress = { family: 4; text: string } | { family: 6; text: string; groups: number[] };

/**
 * The address, or undefined when `address` is no IP literal. IPv6 comes back as eight 16-bit groups and as their
 * full lower-case text, whatever the spelling: "::", upper case, leading zeros, a dotted IPv4 tail, brackets, or a
 * zone id ("fe80::1%eth0": the zone names an interface, the address is the same).
 */
export function parseIp(address: string): IpAddress | undefined {
  const text = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(text);
  // net.isIP takes IPv4 only as four decimal numbers without leading zeros: no octal, hex or short forms to read.
  if (family === 4) return { family: 4, text };
  if (family !== 6) return undefined;
  const groups = ipv6Groups(text.replace(/%.*$/, '').toLowerCase());
  return { family: 6, groups, text: groups.map((group) => group.toString(16)).join(':') };
}

/** The eight groups of an IPv6 address that net.isIP has accepted. */
function ipv6Groups(text: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  let hex = text;
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    hex = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = hex.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

function dottedQuad(high: number, low: number): string {
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** ::ffff:a.b.c.d is how a dual-stack socket spells an IPv4 peer: the connection goes to a.b.c.d itself. */
export function mappedIPv4(groups: readonly number[]): string | undefined {
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  return g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff ? dottedQuad(g6, g7) : undefined;
}

/**
 * The IPv4 address other IPv6 forms carry, and the form's name: each can lead to that IPv4 host through a
 * tunnel, translator or relay. The whole ranges of the fixed-prefix forms are refused anyway (network-policy.ts);
 * ISATAP's interface id can follow any prefix, so only what it carries tells.
 */
export function embeddedIPv4(groups: readonly number[]): { address: string; form: string } | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const low = dottedQuad(g6, g7);
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0;
  if (upperZero && g4 === 0 && g5 === 0xffff) return { address: low, form: 'IPv4-mapped' };
  if (upperZero && g4 === 0 && g5 === 0) return { address: low, form: 'IPv4-compatible' };
  if (upperZero && g4 === 0xffff && g5 === 0) return { address: low, form: 'IPv4-translated' };
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return { address: low, form: 'NAT64' };
  if (g0 === 0x2002) return { address: dottedQuad(g1, g2), form: '6to4' };
  // Teredo stores the client's address with every bit flipped, so it does not show in plain sight.
  if (g0 === 0x2001 && g1 === 0) return { address: dottedQuad(~g6 & 0xffff, ~g7 & 0xffff), form: 'Teredo' };
  // ISATAP interface ids are 0000:5efe or 0200:5efe (universal/local bit), with or without the group bit.
  if ((g4 & 0xfcff) === 0 && g5 === 0x5efe) return { address: low, form: 'ISATAP' };
  return undefined;
}
