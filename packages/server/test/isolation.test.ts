// Isolation: a webhook whose receiver hangs until its timeout must not delay deliveries to a healthy webhook.
// The server runs as a real `hookd serve` process, so a server that stalls fails this test instead of stalling the test runner.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Hookd, killAllHookd } from './support/hookd-process.js';
import { eventually, startReceiver, type Receiver } from './support/programmable-receiver.js';

const BURST = 40;
// Long enough that a loaded machine still publishes and delivers the healthy burst inside it; the test asserts that
// the burst did not wait for a single timeout.
const HANG_TIMEOUT_S = 3;
const KEY = 'isolation-test-admin-key-0123456789';
const receivers: Receiver[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await killAllHookd();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function serve(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-isolation-'));
  dirs.push(dir);
  const child = new Hookd(['serve', '--port', '0', '--database', join(dir, 'hookd.db'), '--allow-network', '127.0.0.0/8', '--log-level', 'info'], {
    cwd: dir,
    env: { HOOKD_BOOTSTRAP_API_KEY: KEY },
  });
  return child.waitFor('the listening line', () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(child.stdout)?.[1]);
}

/** One API call, given at most 5 s: a server that stopped answering fails the test rather than hanging it. */
async function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  let response: Response;
  try {
    response = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${KEY}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    throw new Error(`hookd did not answer ${method} ${path} within 5 s: ${String(error)}`, { cause: error });
  }
  return { status: response.status, body: await response.json() };
}

async function deliveries(base: string, webhookId: string, query = ''): Promise<any[]> {
  const listed = await call(base, 'GET', `/webhooks/${webhookId}/deliveries?limit=100${query}`);
  expect(listed.status).toBe(200);
  return listed.body.data;
}

it(`delivers ${BURST} events to a healthy webhook while ${BURST} hang at another until their ${HANG_TIMEOUT_S} s timeout`, async () => {
  const base = await serve();
  const hanging = await startReceiver({ then: 'hang' });
  const healthy = await startReceiver();
  receivers.push(hanging, healthy);
  const slow = await call(base, 'POST', '/webhooks', { url: hanging.url, events: ['slow.*'], timeout: `${HANG_TIMEOUT_S}s`, retry: { schedule: [] } });
  const fast = await call(base, 'POST', '/webhooks', { url: healthy.url, events: ['fast.*'] });
  expect([slow.status, fast.status]).toEqual([201, 201]);

  for (let i = 0; i < BURST; i++) {
    const published = await call(base, 'POST', '/events', { type: 'slow.event', data: { i } }).catch((error: Error) => {
      throw new Error(`publishing slow event #${i + 1} of ${BURST} (${hanging.requests.length} hanging at the receiver): ${error.message}`, { cause: error });
    });
    expect(published.body.deliveries).toBe(1);
  }
  await hanging.nth(1);
  const startedAt = Date.now();
  for (let i = 0; i < BURST; i++) expect((await call(base, 'POST', '/events', { type: 'fast.event', data: { i } })).body.deliveries).toBe(1);

  const last = await healthy.nth(BURST, 5_000);
  expect(last.receivedAt - startedAt).toBeLessThan(HANG_TIMEOUT_S * 1_000);
  expect(new Set(healthy.requests.map((r) => r.json.data.i)).size).toBe(BURST);
  await eventually(async () => expect(await deliveries(base, fast.body.id, '&status=success')).toHaveLength(BURST));
  // Every hanging delivery ends, by timeout, once its turn comes.
  const failed = await eventually(async () => {
    const ended = await deliveries(base, slow.body.id, '&status=failed');
    expect(ended).toHaveLength(BURST);
    return ended;
  }, 30_000);
  for (const delivery of failed) expect(delivery.lastError).toMatch(/timeout/i);
  // The healthy webhook did not wait for them: all its deliveries arrived before the first hanging one timed out.
  const firstTimeout = Math.min(...failed.map((d) => Date.parse(d.updatedAt)));
  expect(last.receivedAt).toBeLessThan(firstTimeout);
}, 60_000);
