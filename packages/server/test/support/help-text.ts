// What `--help` must say of the settings PRODUCT.md §1 names, and how a test finds what it says of one flag.
import { expect } from 'vitest';

/**
 * PRODUCT.md §1's settings: flag, environment variable, and the default as --help gives it (`''` for --concurrency,
 * whose default a test reads from loadConfig where it can).
 */
export const PRODUCT_SETTINGS = [
  ['--port', 'HOOKD_PORT', '8080'],
  ['--host', 'HOOKD_HOST', '127.0.0.1'],
  ['--database', 'HOOKD_DATABASE_URL', './data/hookd.db'],
  ['--bootstrap-key', 'HOOKD_BOOTSTRAP_API_KEY', 'none'],
  ['--allow-network', 'HOOKD_ALLOW_NETWORKS', 'none'],
  ['--allow-http', 'HOOKD_ALLOW_HTTP', 'false'],
  ['--concurrency', 'HOOKD_CONCURRENCY', ''],
  ['--role', 'HOOKD_ROLE', 'all'],
] as const;

/** The lines of the help text `text` about `flag`: its own line up to the next flag's. */
export function helpBlock(text: string, flag: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\s*${flag}(\\s|$)`).test(line));
  expect(start, `${flag} is listed in:\n${text}`).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^ {2}--/.test(line));
  return [lines[start], ...(end === -1 ? rest : rest.slice(0, end))].join('\n');
}
