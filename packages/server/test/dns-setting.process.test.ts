// `hookd serve --dns-server`: a real hookd process looks receivers' names up at the DNS server it is given.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from './support/dns-server.js';
import { killAllHookd, serve } from './support/hookd-process.js';
import { apiCall } from './support/http-call.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { tempDir } from './support/temp-dir.js';

const KEY = 'dns-setting-test-admin-key-0123456789';
let dns: DnsServer | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await killAllHookd();
  await receiver?.close();
  await dns?.close();
});

const call = (base: string, path: string, body: unknown) => apiCall(base, 'POST', path, KEY, body);

it('delivers to a name only the --dns-server knows', async () => {
  dns = await startDnsServer((name) => (name === 'receiver.hookd.test' ? { addresses: ['127.0.0.1'] } : 'nxdomain'));
  receiver = await startReceiver();
  const dir = tempDir('hookd-dns-setting-');
  const args = [
    '--database',
    join(dir, 'hookd.db'),
    '--allow-network',
    '127.0.0.0/8',
    '--dns-server',
    dns.address,
    '--log-level',
    'info',
  ];
  const { url: base } = await serve(args, { cwd: dir, env: { HOOKD_BOOTSTRAP_API_KEY: KEY } });

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
