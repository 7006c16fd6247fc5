// The settings of alert emails (part of SETTINGS): the SMTP server they go through and the address they come from.
import type { Config, Setting } from './config.js';

/** smtp:// (STARTTLS when the server offers it) or smtps:// (TLS from the start), credentials in the URL. */
export function smtpUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not echoed: the text may hold the password.
    throw new Error('is not a URL; give smtp://user:password@host:587 or smtps://user:password@host:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error('must be an smtp:// or smtps:// URL, e.g. smtp://user:password@host:587');
  if (url.hostname === '') throw new Error('must name the SMTP server, e.g. smtp://user:password@host:587');
  return text;
}

/** A bare address (alerts@example.com) or one with a name (hookd <alerts@example.com>), on one line. */
export function emailAddress(text: string): string {
  const address = /<([^<>]+)>\s*$/.exec(text)?.[1] ?? text;
  if (/[\r\n]/.test(text) || !/^[^\s@<>]+@[^\s@<>]+$/.test(address.trim()))
    throw new Error(`"${text}" is not an email address such as alerts@example.com or "hookd <alerts@example.com>"`);
  return text.trim();
}

export const ALERT_SETTINGS = [
  {
    key: 'smtpUrl',
    flag: 'smtp-url',
    env: 'HOOKD_SMTP_URL',
    kind: 'value',
    defaultValue: undefined,
    defaultText: 'none: alert emails off',
    parse: smtpUrl,
    sensitive: true,
    description:
      "SMTP server alert emails go through, with its credentials: smtp://user:password@host:587 (STARTTLS) or smtps://…:465; a workspace's alertEmail gets one when a webhook turns failing, is disabled or recovers",
  },
  {
    key: 'smtpFrom',
    flag: 'smtp-from',
    env: 'HOOKD_SMTP_FROM',
    kind: 'value',
    defaultValue: 'hookd <hookd@localhost>',
    defaultText: 'hookd <hookd@localhost>',
    parse: emailAddress,
    description: 'the From address of alert emails (many SMTP servers accept only their own domains)',
  },
] as const satisfies readonly Setting<keyof Config>[];
