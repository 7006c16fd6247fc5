// `hookd serve --trust-proxy`: a real hookd process behind a proxy limits failed authentications per forwarded client.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { killAllHookd, serve } from './support/hookd-process.js';
import { httpCall } from './support/http-call.js';
import { tempDir } from './support/temp-dir.js';

const KEY = 'trust-proxy-test-admin-key-0123456789';
afterEach(killAllHookd);

it('counts the failures of each client behind a listed proxy apart (HOOKD_TRUST_PROXY reaches the API)', async () => {
  const dir = tempDir('hookd-trust-proxy-');
  // This test connects from 127.0.0.1 and so plays the load balancer.
  const args = [
    '--database',
    join(dir, 'hookd.db'),
    '--role',
    'api',
    '--auth-failure-limit',
    '2',
    '--log-level',
    'info',
  ];
  const env = { HOOKD_BOOTSTRAP_API_KEY: KEY, HOOKD_TRUST_PROXY: '127.0.0.1' };
  const { url: base } = await serve(args, { cwd: dir, env });
  const get = async (forwardedFor: string, key: string) =>
    (await httpCall(`${base}/api/v1/webhooks`, { key, headers: { 'x-forwarded-for': forwardedFor } })).status;

  expect([
    await get('203.0.113.7', 'hk_guess-1-000000000000000000000'),
    await get('203.0.113.7', 'hk_guess-2-000000000000000000000'),
  ]).toEqual([401, 401]);
  expect(await get('203.0.113.7', KEY)).toBe(429);
  expect(await get('198.51.100.1', KEY)).toBe(200);
});
