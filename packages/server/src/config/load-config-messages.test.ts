// Unit tests of what loadConfig and describeSettings tell a person: bad settings named in the error, and --help.
import { describe, expect, it } from 'vitest';
import { configError } from '../../test/support/config-error.js';
import { helpBlock, PRODUCT_SETTINGS } from '../../test/support/help-text.js';
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
  const table = [
    ...PRODUCT_SETTINGS.filter(([flag]) => flag !== '--concurrency'),
    ['--concurrency', 'HOOKD_CONCURRENCY', String(loadConfig([], {}).config.concurrency)],
    ['--dns-server', 'HOOKD_DNS_SERVERS', 'those of /etc/resolv.conf'],
    ['--dns-timeout', 'HOOKD_DNS_TIMEOUT', '5s'],
  ] as const;

  it.each(table)('lists %s with env %s and default %s', (flag, env, defaultText) => {
    const text = helpBlock(describeSettings(), flag);
    expect(text).toContain(env);
    expect(text).toMatch(new RegExp(`default:?\\s*${defaultText.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('lists --no-worker and --no-api and what they mean', () => {
    const text = describeSettings();
    expect(helpBlock(text, '--no-worker')).toMatch(/api/i);
    expect(helpBlock(text, '--no-api')).toMatch(/worker|deliver/i);
  });

  it('says --allow-network is repeatable and its variable a comma list', () => {
    const text = helpBlock(describeSettings(), '--allow-network');
    expect(text).toMatch(/repeatable/i);
    expect(text).toMatch(/comma/i);
  });
});
