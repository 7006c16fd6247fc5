// Names answered without asking DNS, as getaddrinfo answers them before DNS ("hosts: files dns"): those in the hosts
// file, and "localhost" with its subdomains (RFC 6761: always loopback, never sent to a DNS server).
// c-ares, which resolves everything else, reads neither.
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';

const LOOPBACK = ['127.0.0.1', '::1'];

/** How often the file is looked at again: an edit (a container's added host) is seen within this long. */
const RECHECK_MS = 10_000;

/** Name → addresses, in file order, from hosts-file text ("address name alias…", "#" comments). */
export function parseHostsFile(text: string): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const [address, ...aliases] = line.replace(/#.*/, '').trim().split(/\s+/);
    // A zone index ("fe80::1%eth0") is not an address the network policy can judge: such a line is left out.
    if (!address || isIP(address) === 0) continue;
    for (const alias of aliases) {
      const name = alias.toLowerCase().replace(/\.$/, '');
      const known = names.get(name);
      if (!known) names.set(name, [address]);
      else if (!known.includes(address)) known.push(address);
    }
  }
  return names;
}

export class HostsFile {
  private names = new Map<string, string[]>();
  private modifiedMs = -1;
  private checkedAt = -Infinity;

  /** `path`: the hosts file (/etc/hosts); one that cannot be read counts as empty. */
  constructor(
    private readonly path: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The addresses the hosts file (or RFC 6761) gives `name`, or undefined when DNS must be asked. */
  addressesOf(name: string): string[] | undefined {
    const bare = name.toLowerCase().replace(/\.$/, '');
    this.reloadIfChanged();
    const listed = this.names.get(bare);
    if (listed) return listed;
    if (bare === 'localhost' || bare.endsWith('.localhost')) return LOOPBACK;
    return undefined;
  }

  // Synchronous, and at most every RECHECK_MS: a stat of a small local file takes microseconds, and doing it on the
  // event loop keeps it out of the libuv thread pool (the pool hanging lookups used to fill).
  private reloadIfChanged(): void {
    const now = this.now();
    if (now - this.checkedAt < RECHECK_MS) return;
    this.checkedAt = now;
    try {
      const modifiedMs = statSync(this.path).mtimeMs;
      if (modifiedMs === this.modifiedMs) return;
      this.names = parseHostsFile(readFileSync(this.path, 'utf8'));
      this.modifiedMs = modifiedMs;
    } catch {
      this.names = new Map();
      this.modifiedMs = -1;
    }
  }
}
