// "A restart loses no alert", for real: a `hookd serve` is SIGKILLed while its alert POST is in flight, and the next
// `hookd serve` on the same SQLite file sends that alert again, at once (not after the 5-minute lease), signed as
// before. On PostgreSQL the lease is what brings it back (several processes share the outbox); the store
// conformance tests and alerts-url.api.test.ts cover that.
import { join } from 'node:path';
import { verify } from '@hookd/verify';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllHookd, serve, type Served } from './support/hookd-process.js';
import { apiCall } from './support/http-call.js';
import { closeAllReceivers, startReceiver } from './support/receiver.js';
import { tempDir } from './support/temp-dir.js';

const KEY = 'alerts-crash-admin-key-0123456789';
// Waits for a process to start or a request to come: generous, as a loaded machine starts a process in seconds.
const ARRIVAL_MS = 60_000;

afterEach(async () => {
  await killAllHookd();
  await closeAllReceivers();
});

function serveOn(database: string, cwd: string): Promise<Served> {
  return serve(['--database', database, '--allow-network', '127.0.0.0/8', '--log-level', 'info'], {
    cwd,
    env: { HOOKD_BOOTSTRAP_API_KEY: KEY },
  });
}

describe('alerts across a crash', { timeout: 300_000 }, () => {
  it('sends an alert again after a SIGKILL mid-send, once, with the same id and a valid signature', async () => {
    const dir = tempDir('hookd-alerts-crash-');
    const database = join(dir, 'hookd.db');
    // The first alert request is never answered: the process is killed while it waits.
    const alerts = await startReceiver({ replies: ['hang'], then: { status: 204 } });
    const failing = await startReceiver({ then: { status: 500 } });

    const first = await serveOn(database, dir);
    const call = (method: string, path: string, body?: unknown) => apiCall(first.url, method, path, KEY, body);
    const workspaces = await call('GET', '/workspaces?limit=1');
    const workspaceId = (workspaces.body.data as { id: string }[])[0]!.id;
    const changed = await call('PATCH', `/workspaces/${workspaceId}`, { alertUrl: alerts.url });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const secret = changed.body.alertSecret as string;
    const hook = await call('POST', '/webhooks', { url: failing.url, retry: { schedule: [] } });
    expect(hook.status).toBe(201);
    expect((await call('POST', '/events', { type: 'order.created', data: {} })).status).toBe(202);

    const inFlight = await alerts.nth(1, ARRIVAL_MS);
    first.child.signal('SIGKILL');
    expect((await first.child.waitForExit()).signal).toBe('SIGKILL');

    const second = await serveOn(database, dir);
    const again = await alerts.nth(2, ARRIVAL_MS);
    expect(again.headers['webhook-id']).toBe(inFlight.headers['webhook-id']);
    const alert = verify<unknown>(again.raw, again.headers, secret, { scheme: 'standard' });
    expect(alert).toMatchObject({ type: 'webhook.failing', data: { webhookId: hook.body.id, status: 'failing' } });
    // Answered 204 this time, and recorded as sent (its first try, cut off by the kill, was never recorded).
    expect(await second.child.waitForLog('alert sent')).toMatchObject({
      alertId: inFlight.headers['webhook-id'],
      attempts: 1,
    });
    await second.child.stop();
    expect(alerts.requests).toHaveLength(2);
  });
});
