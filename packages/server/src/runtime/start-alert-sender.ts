// Starts the alert sender beside the worker, with its channels as the settings say.
import type { Logger } from 'pino';
import { emailChannel, urlChannel } from '../alerts/alert-channels.js';
import {
  AlertSender,
  DEFAULT_ALERT_SENDER_OPTIONS,
  type AlertCounters,
  type AlertSenderOptions,
} from '../alerts/alert-sender.js';
import type { Config } from '../config/settings.js';
import type { SecretCipher } from '../domain/secret-encryption.js';
import type { Store } from '../store/store.js';
import { HOOKD_VERSION } from './version.js';

/** An alert endpoint that has not answered in 10 s is tried again later; deliveries allow 30 s, but nobody waits here. */
const ALERT_POST_TIMEOUT_MS = 10_000;

type AlertConfig = Pick<
  Config,
  'smtpUrl' | 'smtpFrom' | 'publicUrl' | 'host' | 'port' | 'allowNetworks' | 'allowHttp' | 'dnsServers' | 'dnsTimeoutMs'
>;

/** The sender, with a channel for email (off without an SMTP URL) and one for alert URLs. */
export function startAlertSender(
  config: AlertConfig,
  deps: { store: Store; clock: () => Date; logger: Logger; cipher: SecretCipher; counters: AlertCounters | undefined },
  options: Partial<AlertSenderOptions> = {},
): AlertSender {
  if (!config.smtpUrl)
    deps.logger.info('HOOKD_SMTP_URL is not set: alert emails are off (alert URLs still get theirs)');
  // Links in alerts go where people reach the dashboard: --public-url, or else the address hookd listens on.
  const baseUrl =
    config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  const sender = new AlertSender(
    {
      store: deps.store,
      clock: deps.clock,
      logger: deps.logger,
      counters: deps.counters,
      channels: {
        email: emailChannel({ smtpUrl: config.smtpUrl, from: config.smtpFrom, baseUrl }),
        url: urlChannel({
          allowNetworks: config.allowNetworks,
          allowHttp: config.allowHttp,
          dnsServers: config.dnsServers,
          dnsTimeoutMs: config.dnsTimeoutMs,
          userAgent: `hookd/${HOOKD_VERSION}`,
          baseUrl,
          timeoutMs: ALERT_POST_TIMEOUT_MS,
          cipher: deps.cipher,
          now: deps.clock,
        }),
      },
    },
    { ...DEFAULT_ALERT_SENDER_OPTIONS, ...options },
  );
  sender.start();
  return sender;
}
