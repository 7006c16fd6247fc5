// What every adapter takes: the secret(s), verify()'s options and a body size limit, checked once at setup.
import type { Secrets, VerifyAsyncOptions } from '../verify.js';

export interface WebhookAdapterOptions extends VerifyAsyncOptions {
  /** The webhook's signing secret, or several during a rotation. */
  secret: Secrets;
  /** Largest body read (default 1 MiB; hookd's events are at most 256 KiB). */
  bodyLimitBytes?: number;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** Fails at start-up, not at the first delivery, when the secret is missing (an unset environment variable, say). */
export function checkAdapterOptions(options: WebhookAdapterOptions, adapter: string): void {
  const secrets = typeof options.secret === 'string' ? [options.secret] : (options.secret ?? []);
  if (!secrets.some((secret) => typeof secret === 'string' && secret.length > 0)) {
    throw new TypeError(`${adapter}: options.secret is missing or empty (is the environment variable holding it set?)`);
  }
}
