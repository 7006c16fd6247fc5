// Structured JSON logs (pino) on stdout, with anything that could carry a secret redacted.
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/settings.js';

export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: 'hookd' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.secret', '*.key'],
      censor: '[redacted]',
    },
  });
}
