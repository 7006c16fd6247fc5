// `hookd serve --trust-proxy`: a real hookd process behind a proxy limits failed authentications per forwarded client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Hookd, killAllHookd } from './support/hookd-process.js';

const KEY = 'trust-proxy-test-admin-key-0123456789';
const dirs: string[] = [];
afterEach(async () => {
  await killAllHookd();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('counts the failures of each client behind a listed proxy apart (HOOKD_TRUST_PROXY reaches the API)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-trust-proxy-'));
  dirs.push(dir);
  // This test connects from 127.0.0.1 and so plays the load balancer.
  const args = [
    'serve',
    '--port',
    '0',
    '--database',
    join(dir, 'hookd.db'),
    '--role',
    'api',
    '--auth-failure-limit',
    '2',
    '--log-level',
    'info',
  ];
  const child = new Hookd(args, { cwd: dir, env: { HOOKD_BOOTSTRAP_API_KEY: KEY, HOOKD_TRUST_PROXY: '127.0.0.1' } });
  const base = await child.waitFor(
    'the listening line',
    () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(child.stdout)?.[1],
  );
  const get = async (forwardedFor: string, key: string) => {
    const response = await fetch(`${base}/api/v1/webhooks`, {
      headers: { 'x-forwarded-for': forwardedFor, authorization: `Bearer ${key}` },
    });
    await response.arrayBuffer();
    return response.status;
  };

  expect([
    await get('203.0.113.7', 'hk_guess-1-000000000000000000000'),
    await get('203.0.113.7', 'hk_guess-2-000000000000000000000'),
  ]).toEqual([401, 401]);
  expect(await get('203.0.113.7', KEY)).toBe(429);
  expect(await get('198.51.100.1', KEY)).toBe(200);
});
