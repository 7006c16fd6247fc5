// Isolation: a webhook whose receiver hangs until its timeout must not delay deliveries to a healthy webhook.
// The server runs as a real `hookd serve` process, so a server that stalls fails this test instead of stalling the test runner.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { defaultWebhookConcurrency } from '../src/delivery/webhook-concurrency.js';
import { eventually } from './support/eventually.js';
import { killAllHookd, serve as serveHookd } from './support/hookd-process.js';
import { httpCall } from './support/http-call.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { tempDir } from './support/temp-dir.js';

const BURST = 40;
// Fewer slots than the hanging burst, so that without the per-webhook cap the hanging webhook would hold all of them
// and the healthy burst would wait for its timeouts. With the cap it holds its floor, 2 of the 32.
const CONCURRENCY = 32;
const FLOOR = defaultWebhookConcurrency(CONCURRENCY).floor;
// The longest timeout a webhook may have: no hanging attempt ends while the test runs, so the test can assert an order
// of events (the healthy burst was all delivered while every hanging delivery was unfinished) instead of a duration,
// which a loaded machine breaks. Only a machine 60 s slow could reorder these events.
const HANG_TIMEOUT_S = 60;
const KEY = 'isolation-test-admin-key-0123456789';
const receivers: Receiver[] = [];
afterEach(async () => {
  await killAllHookd();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function serve(): Promise<string> {
  const dir = tempDir('hookd-isolation-');
  const args = [
    '--database',
    join(dir, 'hookd.db'),
    '--allow-network',
    '127.0.0.0/8',
    '--concurrency',
    String(CONCURRENCY),
    '--log-level',
    'info',
  ];
  return (await serveHookd(args, { cwd: dir, env: { HOOKD_BOOTSTRAP_API_KEY: KEY } })).url;
}

/** One API call, given at most 5 s: a server that stopped answering fails the test rather than hanging it. */
async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const answer = await httpCall(`${base}/api/v1${path}`, {
    method,
    key: KEY,
    ...(body !== undefined ? { body } : {}),
    timeoutMs: 5_000,
  });
  return { status: answer.status, body: answer.body };
}

async function deliveries(base: string, webhookId: string, query = ''): Promise<any[]> {
  const listed = await call(base, 'GET', `/webhooks/${webhookId}/deliveries?limit=100${query}`);
  expect(listed.status).toBe(200);
  return listed.body.data;
}

it(`delivers ${BURST} events to a healthy webhook while ${BURST} hang at another, before any hanging attempt ends`, async () => {
  const base = await serve();
  const hanging = await startReceiver({ then: 'hang' });
  const healthy = await startReceiver();
  receivers.push(hanging, healthy);
  const slow = await call(base, 'POST', '/webhooks', {
    url: hanging.url,
    events: ['slow.*'],
    timeout: `${HANG_TIMEOUT_S}s`,
    retry: { schedule: [] },
  });
  const fast = await call(base, 'POST', '/webhooks', { url: healthy.url, events: ['fast.*'] });
  expect([slow.status, fast.status]).toEqual([201, 201]);

  for (let i = 0; i < BURST; i++) {
    const published = await call(base, 'POST', '/events', { type: 'slow.event', data: { i } }).catch((error: Error) => {
      throw new Error(
        `publishing slow event #${i + 1} of ${BURST} (${hanging.requests.length} hanging at the receiver): ${error.message}`,
        { cause: error },
      );
    });
    expect(published.body.deliveries).toBe(1);
  }
  // The hanging webhook holds its floor of slots before the healthy burst is published.
  await hanging.nth(FLOOR);
  for (let i = 0; i < BURST; i++)
    expect((await call(base, 'POST', '/events', { type: 'fast.event', data: { i } })).body.deliveries).toBe(1);

  await healthy.nth(BURST, 30_000);
  expect(new Set(healthy.requests.map((r) => r.json.data.i)).size).toBe(BURST);
  await eventually(
    async () => expect(await deliveries(base, fast.body.id, '&status=success')).toHaveLength(BURST),
    10_000,
  );
  // The healthy webhook did not wait for the hanging one: all its deliveries succeeded while every hanging delivery was
  // still unfinished, and the hanging webhook never held more than its floor.
  const waiting = await deliveries(base, slow.body.id);
  expect(waiting).toHaveLength(BURST);
  expect(waiting.filter((d) => d.status !== 'pending' || d.attempts !== 0)).toEqual([]);
  expect(hanging.requests).toHaveLength(FLOOR);

  // Nothing held back is lost: once the hanging endpoint is gone, every one of its deliveries is tried and ends.
  await hanging.close();
  await eventually(
    async () => expect(await deliveries(base, slow.body.id, '&status=failed')).toHaveLength(BURST),
    30_000,
  );
}, 90_000);
