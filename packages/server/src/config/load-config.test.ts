// Unit tests of loadConfig and describeSettings: defaults, environment, flags winning, and bad settings named in the error.
import { describe, expect, it } from 'vitest';
import { ConfigError, describeSettings, loadConfig } from './load-config.js';

/** The ConfigError that loading `argv` with `env` throws (fails the test if none, or another kind, is thrown). */
function configError(argv: string[], env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    loadConfig(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig(${JSON.stringify(argv)}, ${JSON.stringify(env)}) did not throw`);
}

describe('loadConfig defaults', () => {
  it('uses the defaults of the product contract when nothing is given', () => {
    const { config, positionals } = loadConfig([], {});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      database: './data/hookd.db',
      bootstrapKey: undefined,
      allowNetworks: [],
      allowHttp: false,
      role: 'all',
    });
    expect(Number.isInteger(config.concurrency) && config.concurrency > 0).toBe(true);
    expect(positionals).toEqual([]);
  });

  it('treats an empty environment variable as unset', () => {
    const { config } = loadConfig([], { HOOKD_PORT: '', HOOKD_HOST: '', HOOKD_ALLOW_HTTP: '' });
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', allowHttp: false });
  });

  it('ignores environment variables that are not its own', () => {
    const { config } = loadConfig([], { PORT: '9999', HOST: '0.0.0.0', DATABASE_URL: 'postgres://x/y' });
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', database: './data/hookd.db' });
  });
});

describe('loadConfig from the environment', () => {
  it('reads every HOOKD_* variable', () => {
    const { config } = loadConfig([], {
      HOOKD_PORT: '9090',
      HOOKD_HOST: '0.0.0.0',
      HOOKD_DATABASE_URL: '/var/lib/hookd/h.db',
      HOOKD_BOOTSTRAP_API_KEY: 'env-bootstrap-key-0123456789',
      HOOKD_ALLOW_NETWORKS: '10.0.0.0/8, 192.168.0.0/16,fd00::/8',
      HOOKD_ALLOW_HTTP: 'true',
      HOOKD_CONCURRENCY: '12',
      HOOKD_LEASE: '90s',
      HOOKD_POLL_INTERVAL: '250ms',
      HOOKD_ROLE: 'api',
    });
    expect(config).toMatchObject({
      port: 9090,
      host: '0.0.0.0',
      database: '/var/lib/hookd/h.db',
      bootstrapKey: 'env-bootstrap-key-0123456789',
      allowNetworks: ['10.0.0.0/8', '192.168.0.0/16', 'fd00::/8'],
      allowHttp: true,
      concurrency: 12,
      leaseMs: 90_000,
      pollIntervalMs: 250,
      role: 'api',
    });
  });

  it.each([
    ['1', true],
    ['yes', true],
    ['TRUE', true],
    ['on', true],
    ['0', false],
    ['false', false],
    ['no', false],
    ['off', false],
  ])('reads HOOKD_ALLOW_HTTP=%s as %s', (text, expected) => {
    expect(loadConfig([], { HOOKD_ALLOW_HTTP: text }).config.allowHttp).toBe(expected);
  });

  it.each(['all', 'api', 'worker'] as const)('reads HOOKD_ROLE=%s', (role) => {
    expect(loadConfig([], { HOOKD_ROLE: role }).config.role).toBe(role);
  });

  it('takes a postgres:// URL as the database', () => {
    const url = 'postgres://hookd:pw@db.internal:5432/hookd';
    expect(loadConfig([], { HOOKD_DATABASE_URL: url }).config.database).toBe(url);
  });
});

describe('loadConfig from flags', () => {
  it('reads every flag', () => {
    const { config } = loadConfig(
      [
        '--port',
        '9191',
        '--host',
        '::1',
        '--database',
        'flag.db',
        '--bootstrap-key',
        'flag-bootstrap-key-0123456789',
        '--allow-network',
        '10.1.0.0/16',
        '--allow-http',
        '--concurrency',
        '3',
        '--role',
        'worker',
      ],
      {},
    );
    expect(config).toMatchObject({
      port: 9191,
      host: '::1',
      database: 'flag.db',
      bootstrapKey: 'flag-bootstrap-key-0123456789',
      allowNetworks: ['10.1.0.0/16'],
      allowHttp: true,
      concurrency: 3,
      role: 'worker',
    });
  });

  it('accepts the --flag=value form', () => {
    expect(loadConfig(['--port=7000', '--database=x.db'], {}).config).toMatchObject({ port: 7000, database: 'x.db' });
  });

  it('lets every flag win over its environment variable', () => {
    const env = {
      HOOKD_PORT: '9090',
      HOOKD_HOST: '0.0.0.0',
      HOOKD_DATABASE_URL: 'env.db',
      HOOKD_BOOTSTRAP_API_KEY: 'env-bootstrap-key-0123456789',
      HOOKD_ALLOW_NETWORKS: '10.0.0.0/8,172.16.0.0/12',
      HOOKD_ALLOW_HTTP: 'false',
      HOOKD_CONCURRENCY: '50',
      HOOKD_ROLE: 'worker',
    };
    const { config } = loadConfig(
      [
        '--port',
        '9191',
        '--host',
        '127.0.0.2',
        '--database',
        'flag.db',
        '--bootstrap-key',
        'flag-bootstrap-key-0123456789',
        '--allow-network',
        '192.168.1.0/24',
        '--allow-http',
        '--concurrency',
        '5',
        '--role',
        'api',
      ],
      env,
    );
    expect(config).toMatchObject({
      port: 9191,
      host: '127.0.0.2',
      database: 'flag.db',
      bootstrapKey: 'flag-bootstrap-key-0123456789',
      allowNetworks: ['192.168.1.0/24'],
      allowHttp: true,
      concurrency: 5,
      role: 'api',
    });
  });

  it('keeps the environment for settings whose flag is not given', () => {
    const { config } = loadConfig(['--port', '9191'], { HOOKD_PORT: '9090', HOOKD_HOST: '0.0.0.0' });
    expect(config).toMatchObject({ port: 9191, host: '0.0.0.0' });
  });

  it("returns positionals and the command's own extra flags", () => {
    const parsed = loadConfig(
      ['create', '--workspace', 'acme', '--admin', '--port', '1'],
      {},
      { workspace: { type: 'string' }, admin: { type: 'boolean' } },
    );
    expect(parsed.positionals).toEqual(['create']);
    expect(parsed.extras).toEqual({ workspace: 'acme', admin: true });
    expect(parsed.config.port).toBe(1);
  });
});

describe('--allow-network', () => {
  it('is repeatable and keeps every network in order', () => {
    const { config } = loadConfig(
      ['--allow-network', '10.0.0.0/8', '--allow-network', '192.168.0.0/16', '--allow-network', 'fd00::/8'],
      {},
    );
    expect(config.allowNetworks).toEqual(['10.0.0.0/8', '192.168.0.0/16', 'fd00::/8']);
  });

  it('takes a bare address as a single host', () => {
    expect(loadConfig(['--allow-network', '10.0.0.7', '--allow-network', '::1'], {}).config.allowNetworks).toEqual([
      '10.0.0.7/32',
      '::1/128',
    ]);
  });

  it('replaces HOOKD_ALLOW_NETWORKS rather than adding to it', () => {
    const { config } = loadConfig(['--allow-network', '127.0.0.0/8'], { HOOKD_ALLOW_NETWORKS: '10.0.0.0/8' });
    expect(config.allowNetworks).toEqual(['127.0.0.0/8']);
  });

  it.each([
    'nonsense',
    '10.0.0.0/33',
    '10.0.0/8',
    '10.0.0.0/8/1',
    '300.1.1.1/32',
    'fd00::/129',
    '10.0.0.0/-1',
    'example.com/24',
  ])('refuses %s, naming --allow-network', (text) => {
    const error = configError(['--allow-network', '10.0.0.0/8', '--allow-network', text]);
    expect(error.message).toContain('--allow-network');
    expect(error.message).toContain(text);
  });

  it('refuses a bad entry in HOOKD_ALLOW_NETWORKS, naming the variable', () => {
    const error = configError([], { HOOKD_ALLOW_NETWORKS: '10.0.0.0/8,nonsense' });
    expect(error.message).toContain('HOOKD_ALLOW_NETWORKS');
    expect(error.message).toContain('nonsense');
  });
});

describe('--no-worker and --no-api', () => {
  it('--no-worker runs the API only', () => {
    expect(loadConfig(['--no-worker'], {}).config.role).toBe('api');
  });

  it('--no-api runs deliveries only', () => {
    expect(loadConfig(['--no-api'], {}).config.role).toBe('worker');
  });

  it('win over HOOKD_ROLE', () => {
    expect(loadConfig(['--no-worker'], { HOOKD_ROLE: 'worker' }).config.role).toBe('api');
    expect(loadConfig(['--no-api'], { HOOKD_ROLE: 'api' }).config.role).toBe('worker');
  });

  it('together are an error naming both', () => {
    const error = configError(['--no-worker', '--no-api']);
    expect(error.message).toContain('--no-worker');
    expect(error.message).toContain('--no-api');
  });

  it('a command that fixes the role overrides the settings', () => {
    expect(loadConfig(['--role', 'api'], {}, {}, 'worker').config.role).toBe('worker');
  });
});

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

describe('--dns-server and --dns-timeout', () => {
  it('default to the servers of /etc/resolv.conf and 5 s', () => {
    expect(loadConfig([], {}).config).toMatchObject({ dnsServers: [], dnsTimeoutMs: 5_000 });
  });

  it('take servers with and without a port, repeated or as a comma list', () => {
    const flags = [
      '--dns-server',
      '10.0.0.2',
      '--dns-server',
      '10.0.0.3:5353',
      '--dns-server',
      'fd00::53',
      '--dns-server',
      '[fd00::54]:53',
    ];
    expect(loadConfig(flags, {}).config.dnsServers).toEqual(['10.0.0.2', '10.0.0.3:5353', 'fd00::53', '[fd00::54]:53']);
    expect(loadConfig([], { HOOKD_DNS_SERVERS: '10.0.0.2, 127.0.0.1:5353' }).config.dnsServers).toEqual([
      '10.0.0.2',
      '127.0.0.1:5353',
    ]);
  });

  it('reads --dns-timeout and HOOKD_DNS_TIMEOUT as a duration', () => {
    expect(loadConfig(['--dns-timeout', '2s'], {}).config.dnsTimeoutMs).toBe(2_000);
    expect(loadConfig([], { HOOKD_DNS_TIMEOUT: '1500ms' }).config.dnsTimeoutMs).toBe(1_500);
  });

  it.each(['dns.example.com', '10.0.0.2:0', '10.0.0.2:70000', '[10.0.0.2]:53', '300.1.1.1', '[fd00::53'])(
    'refuses --dns-server %s, naming it',
    (text) => {
      const error = configError(['--dns-server', text]);
      expect(error.message).toContain('--dns-server');
      expect(error.message).toContain(text);
    },
  );

  it('refuses a bad entry in HOOKD_DNS_SERVERS and a --dns-timeout out of range, naming them', () => {
    expect(configError([], { HOOKD_DNS_SERVERS: '10.0.0.2,nonsense' }).message).toContain('HOOKD_DNS_SERVERS');
    expect(configError(['--dns-timeout', '10m']).message).toContain('--dns-timeout');
  });
});

describe('the API request limits', () => {
  it('are on by default: 1,000 requests a second per key, 20 failed authentications a minute per address', () => {
    expect(loadConfig([], {}).config).toMatchObject({ apiRateLimit: 1_000, authFailureLimit: 20 });
  });

  it('are set by flag or environment, 0 turning them off', () => {
    expect(loadConfig(['--api-rate-limit', '0', '--auth-failure-limit', '5'], {}).config).toMatchObject({
      apiRateLimit: 0,
      authFailureLimit: 5,
    });
    expect(loadConfig([], { HOOKD_API_RATE_LIMIT: '50', HOOKD_AUTH_FAILURE_LIMIT: '0' }).config).toMatchObject({
      apiRateLimit: 50,
      authFailureLimit: 0,
    });
  });

  it('trusts no proxy by default; --trust-proxy (repeatable) or HOOKD_TRUST_PROXY (comma list) names them, a bare address as one host', () => {
    expect(loadConfig([], {}).config.trustProxy).toEqual([]);
    expect(loadConfig(['--trust-proxy', '10.0.0.0/8', '--trust-proxy', '192.0.2.7'], {}).config.trustProxy).toEqual([
      '10.0.0.0/8',
      '192.0.2.7/32',
    ]);
    expect(loadConfig([], { HOOKD_TRUST_PROXY: '10.0.0.0/8, fd00::/8' }).config.trustProxy).toEqual([
      '10.0.0.0/8',
      'fd00::/8',
    ]);
  });

  it('refuses a --trust-proxy or HOOKD_TRUST_PROXY that is no CIDR, naming it', () => {
    expect(configError(['--trust-proxy', 'lb.internal']).message).toContain('--trust-proxy');
    expect(configError([], { HOOKD_TRUST_PROXY: '10.0.0.0/8,10.0.0.0/33' }).message).toContain('HOOKD_TRUST_PROXY');
  });

  it.each([
    ['--api-rate-limit', 'fast'],
    ['--api-rate-limit', '-1'],
    ['--auth-failure-limit', '1.5'],
  ])('refuses %s %s, naming it', (flag, value) => {
    expect(configError([flag, value]).message).toContain(flag);
  });
});

describe('loadConfig encryption keys', () => {
  const key = Buffer.alloc(32, 7);

  it('reads the current key and older ones as 32 bytes each', () => {
    const older = Buffer.alloc(32, 9);
    const { config } = loadConfig([], {
      HOOKD_ENCRYPTION_KEY: key.toString('base64'),
      HOOKD_ENCRYPTION_OLD_KEYS: `${older.toString('base64')}, ${key.toString('base64url')}`,
    });
    expect(config.encryptionKey).toEqual(key);
    expect(config.encryptionOldKeys).toEqual([older, key]);
    expect(loadConfig([], {}).config).toMatchObject({ encryptionKey: undefined, encryptionOldKeys: [] });
  });

  it.each([
    ['too short', Buffer.alloc(16, 1).toString('base64')],
    ['too long', Buffer.alloc(48, 1).toString('base64')],
    ['not base64', 'this is not base64 at all, not even close!!'],
  ])('refuses a key that is %s on one line naming the setting, without echoing the key', (_, bad) => {
    const error = configError([], { HOOKD_ENCRYPTION_KEY: bad });
    expect(error.message).toMatch(/^HOOKD_ENCRYPTION_KEY: must be 32 random bytes in base64/);
    expect(error.message).not.toContain(bad);
    expect(error.message).not.toContain('\n');
    const old = configError(['--encryption-old-key', bad]);
    expect(old.message).toMatch(/^--encryption-old-key: must be 32 random bytes/);
    expect(old.message).not.toContain(bad);
  });
});
