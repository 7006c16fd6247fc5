// Unit tests of loadConfig: defaults, environment, flags winning, roles and encryption keys. Bad values and --help:
// load-config-messages.test.ts; networks, DNS and request limits: load-config-network.test.ts.
import { describe, expect, it } from 'vitest';
import { configError } from '../../test/support/config-error.js';
import { loadConfig } from './load-config.js';

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
