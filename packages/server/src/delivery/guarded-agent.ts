// The HTTP agent deliveries go through: resolve the name, check the address against the network policy,
// then connect to that very address (so DNS cannot swap in a private one between check and connect).
import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { NetworkPolicy } from '../domain/network-policy.js';
import type { HostResolver } from './host-resolver.js';

/** A connection the network policy refused; the attempt fails with this message. */
export class BlockedTargetError extends Error {
  readonly code = 'HOOKD_BLOCKED';
  constructor(reason: string) {
    super(`blocked by network policy: ${reason}`);
    this.name = 'BlockedTargetError';
  }
}

export interface AgentOptions {
  policy: NetworkPolicy;
  resolver: HostResolver;
  /** Connections kept per receiver origin. */
  connectionsPerOrigin: number;
}

async function allowedAddress(options: AgentOptions, hostname: string, protocol: 'http:' | 'https:'): Promise<string> {
  const { policy, resolver } = options;
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) !== 0 ? [host] : await resolver.addressesOf(host);
  let firstRefusal = `${host} did not resolve`;
  for (const [i, address] of addresses.entries()) {
    const refusal = policy.refusal(address, protocol);
    if (refusal === undefined) return address;
    if (i === 0) firstRefusal = isIP(host) !== 0 ? refusal : `${host} resolves to ${refusal}`;
  }
  throw new BlockedTargetError(firstRefusal);
}

export function createGuardedAgent(options: AgentOptions): Agent {
  const connectDirect = buildConnector({ timeout: 10_000 });
  return new Agent({
    connections: options.connectionsPerOrigin,
    keepAliveTimeout: 30_000,
    connect: (connectOptions, callback) => {
      const protocol = connectOptions.protocol === 'http:' ? 'http:' : 'https:';
      allowedAddress(options, connectOptions.hostname, protocol).then(
        (address) => connectDirect({ ...connectOptions, hostname: address }, callback),
        (error: Error) => callback(error, null),
      );
    },
  });
}
