// Structured JSON logs (pino) on stdout, with anything that could carry a secret redacted; readable lines instead
// when stdout is a terminal (a person is reading, not a log collector).
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/settings.js';
import { readableDestination } from './readable-log.js';

export function createLogger(level: LogLevel, readable = process.stdout.isTTY === true): Logger {
  const options = {
    level,
    base: { service: 'hookd' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.secret', '*.key'],
      censor: '[redacted]',
    },
  };
  return readable ? pino(options, readableDestination(process.stdout)) : pino(options);
}
