// How an alert leaves: an email through the operator's SMTP server, or a signed POST of an operational event to the
// workspace's alertUrl through the same network policy as deliveries. Each is bounded in time, so a server that is
// down or slow costs the alert sender a slot for that long at most, and the deliveries nothing.
import { sign } from '@hookd/verify';
import nodemailer from 'nodemailer';
import type { Agent } from 'undici';
import type { ClaimedAlert } from '../domain/alert.js';
import { NetworkPolicy, type NetworkPolicyOptions } from '../domain/network-policy.js';
import type { SecretCipher } from '../domain/secret-encryption.js';
import { exchange } from '../delivery/exchange.js';
import { createGuardedAgent } from '../delivery/guarded-agent.js';
import { HostResolver } from '../delivery/host-resolver.js';
import { describeSendError } from '../delivery/sender.js';
import { alertEmail, operationalEventBody } from './alert-content.js';

/** A failure that no retry can mend (no SMTP server configured, no secret to sign with): the alert fails at once. */
export class PermanentAlertFailure extends Error {
  override name = 'PermanentAlertFailure';
}

export interface AlertChannel {
  send(alert: ClaimedAlert): Promise<void>;
  close(): Promise<void>;
}

// 10 s to connect and to be greeted, 30 s of silence mid-conversation: nodemailer's defaults are 2 minutes, 30 s and
// 10 minutes, and a server holding the connection open would hold one of the sender's few slots that long.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, dnsTimeout: 10_000 };

export function emailChannel(options: { smtpUrl: string | undefined; from: string; baseUrl: string }): AlertChannel {
  const { smtpUrl } = options;
  // No pool: alerts are rare, and a connection kept open to a server that dropped it fails the next alert.
  const transport =
    smtpUrl === undefined ? undefined : nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS, logger: false });
  return {
    async send(alert) {
      if (!transport) throw new PermanentAlertFailure('alert emails are off: HOOKD_SMTP_URL is not set');
      const content = alertEmail(alert, options.baseUrl);
      try {
        // One address as an object: a string would be parsed as a list, and the tenant wrote it.
        await transport.sendMail({ from: options.from, to: { name: '', address: alert.target }, ...content });
      } catch (error) {
        // nodemailer's messages quote the server's answer, never the credentials in the URL.
        throw new Error(`SMTP: ${(error as Error).message}`, { cause: error });
      }
    },
    close: async () => transport?.close(),
  };
}

export interface UrlChannelOptions extends NetworkPolicyOptions {
  dnsServers: readonly string[];
  dnsTimeoutMs: number;
  userAgent: string;
  baseUrl: string;
  /** The whole exchange, connecting and the answer included. */
  timeoutMs: number;
  cipher: SecretCipher;
  now: () => Date;
}

/** Bytes of the alert endpoint's answer read: only its status matters. */
const ANSWER_LIMIT = 1_024;

export function urlChannel(options: UrlChannelOptions): AlertChannel {
  const resolver = new HostResolver({ servers: options.dnsServers, timeoutMs: options.dnsTimeoutMs });
  // An agent of its own, under the deliveries' network policy: a tenant's alertUrl reaches no more than its webhooks.
  const agent: Agent = createGuardedAgent({ policy: new NetworkPolicy(options), resolver, connectionsPerOrigin: 2 });
  return {
    async send(alert) {
      if (alert.alertSecret === null)
        throw new PermanentAlertFailure(
          'the workspace has no alert secret to sign with: make one with POST /api/v1/workspaces/:id/alert-secret',
        );
      const secret = options.cipher.open(alert.alertSecret);
      const body = operationalEventBody(alert, options.baseUrl);
      const timestamp = Math.floor(options.now().getTime() / 1000);
      const headers = {
        'Content-Type': 'application/json',
        'User-Agent': options.userAgent,
        ...sign({ scheme: 'standard', secrets: [secret], body, id: alert.id, timestamp }),
      };
      const url = new URL(alert.target);
      let status: number;
      try {
        ({ status } = await exchange(agent, {
          url,
          headers,
          body,
          timeoutMs: options.timeoutMs,
          bodyLimit: ANSWER_LIMIT,
        }));
      } catch (error) {
        throw new Error(describeSendError(error, options.timeoutMs, url), { cause: error });
      }
      // Redirects are not followed, as for deliveries: a 3xx is a failure like any other answer but 2xx.
      if (status < 200 || status >= 300) throw new Error(`the alert endpoint answered ${status}`);
    },
    close: async () => {
      resolver.close();
      await agent.destroy();
    },
  };
}
