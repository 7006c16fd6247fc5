// Unit tests of what loadConfig and describeSettings tell a person: bad settings named in the error, and --help.
import { describe, expect, it } from 'vitest';
import { configError } from '../../test/support/config-error.js';
import { describeSettings, loadConfig } from './load-config.js';

describe('bad values name the setting used', () => {
  it.each([
    [['--port', 'abc'], '--port'],
    [['--port', '99999'], '--port'],
    [['--port', '-1'], '--port'],
    [['--port', '80.5'], '--port'],
    [['--port', ''], '--port'],
    [['--host', ''], '--host'],
    [['--database', ''], '--database'],
    [['--bootstrap-key', 'short'], '--bootstrap-key'],
    [['--bootstrap-key', 'has a space in the middle'], '--bootstrap-key'],
    [['--concurrency', '0'], '--concurrency'],
    [['--concurrency', 'lots'], '--concurrency'],
    [['--role', 'nope'], '--role'],
    [['--lease', '5'], '--lease'],
    [['--lease', '10ms'], '--lease'],
    [['--poll-interval', 'soon'], '--poll-interval'],
  ])('%j is refused naming %s', (argv, name) => {
    const error = configError(argv);
    expect(error.message).toContain(name);
    expect(error.message).not.toContain('\n');
  });

  it.each([
    ['HOOKD_PORT', 'abc'],
    ['HOOKD_PORT', '99999'],
    ['HOOKD_HOST', '   '],
    ['HOOKD_BOOTSTRAP_API_KEY', 'short'],
    ['HOOKD_ALLOW_HTTP', 'maybe'],
    ['HOOKD_CONCURRENCY', '0'],
    ['HOOKD_ROLE', 'nope'],
  ])('%s=%s is refused naming the variable, not a flag', (variable, value) => {
    const error = configError([], { [variable]: value });
    expect(error.message).toContain(variable);
    expect(error.message).not.toMatch(/--[a-z]/);
  });

  it('says what the value should be', () => {
    expect(configError(['--port', 'abc']).message).toMatch(/0.*65535/);
    expect(configError(['--role', 'nope']).message).toMatch(/all.*api.*worker|api.*worker.*all/);
  });

  it('refuses an unknown flag, naming it', () => {
    const error = configError(['--prot', '8080']);
    expect(error.message).toContain('--prot');
    expect(error.message).not.toContain('\n');
  });

  it('refuses a value flag given without its value, naming it', () => {
    expect(configError(['--port']).message).toContain('--port');
  });

  it('refuses a value on a boolean flag', () => {
    expect(configError(['--allow-http=maybe']).message).toContain('--allow-http');
  });
});

describe('describeSettings', () => {
  /** The lines of the help text that describe `flag`: its own line up to the next flag's. */
  function block(text: string, flag: string): string {
    const lines = text.split('\n');
    const start = lines.findIndex((line) => new RegExp(`^\\s*${flag}(\\s|$)`).test(line));
    expect(start, `${flag} is listed`).toBeGreaterThanOrEqual(0);
    const rest = lines.slice(start + 1);
    const end = rest.findIndex((line) => /^\s*--/.test(line));
    return [lines[start], ...(end === -1 ? rest : rest.slice(0, end))].join('\n');
  }

  const table = [
    ['--port', 'HOOKD_PORT', '8080'],
    ['--host', 'HOOKD_HOST', '127.0.0.1'],
    ['--database', 'HOOKD_DATABASE_URL', './data/hookd.db'],
    ['--bootstrap-key', 'HOOKD_BOOTSTRAP_API_KEY', 'none'],
    ['--allow-network', 'HOOKD_ALLOW_NETWORKS', 'none'],
    ['--allow-http', 'HOOKD_ALLOW_HTTP', 'false'],
    ['--concurrency', 'HOOKD_CONCURRENCY', String(loadConfig([], {}).config.concurrency)],
    ['--role', 'HOOKD_ROLE', 'all'],
    ['--dns-server', 'HOOKD_DNS_SERVERS', 'those of /etc/resolv.conf'],
    ['--dns-timeout', 'HOOKD_DNS_TIMEOUT', '5s'],
  ] as const;

  it.each(table)('lists %s with env %s and default %s', (flag, env, defaultText) => {
    const text = block(describeSettings(), flag);
    expect(text).toContain(env);
    expect(text).toMatch(new RegExp(`default:?\\s*${defaultText.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('lists --no-worker and --no-api and what they mean', () => {
    const text = describeSettings();
    expect(block(text, '--no-worker')).toMatch(/api/i);
    expect(block(text, '--no-api')).toMatch(/worker|deliver/i);
  });

  it('says --allow-network is repeatable and its variable a comma list', () => {
    const text = block(describeSettings(), '--allow-network');
    expect(text).toMatch(/repeatable/i);
    expect(text).toMatch(/comma/i);
  });
});
