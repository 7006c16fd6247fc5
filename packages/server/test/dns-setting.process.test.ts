// `hookd serve --dns-server`: a real hookd process looks receivers' names up at the DNS server it is given.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from './support/dns-server.js';
import { Hookd, killAllHookd } from './support/hookd-process.js';
import { startReceiver, type Receiver } from './support/programmable-receiver.js';

const KEY = 'dns-setting-test-admin-key-0123456789';
let dns: DnsServer | undefined;
let receiver: Receiver | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await killAllHookd();
  await receiver?.close();
  await dns?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function call(base: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

it('delivers to a name only the --dns-server knows', async () => {
  dns = await startDnsServer((name) => (name === 'receiver.hookd.test' ? { addresses: ['127.0.0.1'] } : 'nxdomain'));
  receiver = await startReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'hookd-dns-setting-'));
  dirs.push(dir);
  const args = [
    'serve',
    '--port',
    '0',
    '--database',
    join(dir, 'hookd.db'),
    '--allow-network',
    '127.0.0.0/8',
    '--dns-server',
    dns.address,
    '--log-level',
    'info',
  ];
  const child = new Hookd(args, { cwd: dir, env: { HOOKD_BOOTSTRAP_API_KEY: KEY } });
  const base = await child.waitFor(
    'the listening line',
    () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(child.stdout)?.[1],
  );

  const webhook = await call(base, '/webhooks', {
    url: `http://receiver.hookd.test:${receiver.port}/hook`,
    events: ['order.*'],
  });
  expect(webhook.status).toBe(201);
  expect((await call(base, '/events', { type: 'order.created', data: { n: 1 } })).status).toBe(202);

  const delivered = await receiver.nth(1, 10_000);
  expect(delivered.json).toMatchObject({ type: 'order.created', data: { n: 1 } });
  expect(dns.questions).toContain('receiver.hookd.test A');
});
