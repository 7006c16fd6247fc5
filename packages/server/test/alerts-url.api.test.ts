// Alert POSTs end to end: a real receiver on 127.0.0.1 gets the operational event, signed with the workspace's alert
// secret shown once, and verifies it with @hookd/verify; a hookd stopped mid-send loses no alert; and deliveries
// keep flowing while the SMTP server and the alert endpoint hang.
import { verify } from '@hookd/verify';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { closeAllReceivers, startReceiver, type ReceivedRequest } from './support/receiver.js';
import { startSilentServer } from './support/smtp-listener.js';
import { appsOfTest, type TestApp } from './support/test-app.js';

const apps = appsOfTest();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await apps.closeAll();
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await closeAllReceivers();
});

async function setAlertUrl(t: TestApp, alertUrl: string): Promise<string> {
  const changed = await t.call('PATCH', `/api/v1/workspaces/${t.workspaceId}`, { body: { alertUrl } });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  expect(changed.body.alertSecret).toMatch(/^whsec_/);
  return changed.body.alertSecret;
}

function verified(request: ReceivedRequest, secret: string): any {
  return verify(request.raw, request.headers, secret, { scheme: 'standard' });
}

describe('alert POSTs', () => {
  it('POSTs webhook.failing, then webhook.recovered, each signed with the secret shown once', async () => {
    const t = await apps.start({ dashboard: { publicUrl: 'https://hooks.example.com/base' } });
    const alerts = await startReceiver();
    const secret = await setAlertUrl(t, alerts.url);
    const receiver = await startReceiver({ then: { status: 502 } });
    const hook = await createWebhook(t, { url: receiver.url, description: 'billing', retry: { schedule: [] } });
    for (let i = 0; i < 10; i++) await publish(t, { type: 'invoice.paid' });
    await settledDeliveries(t, hook.id, 10);

    const failing = await alerts.nth(1);
    expect(failing.headers['content-type']).toBe('application/json');
    expect(failing.headers['webhook-id']).toMatch(/^alr_/);
    expect(verified(failing, secret)).toEqual({
      type: 'webhook.failing',
      timestamp: expect.any(String),
      data: {
        workspaceId: t.workspaceId,
        webhookId: hook.id,
        url: receiver.url,
        description: 'billing',
        status: 'failing',
        eventType: 'invoice.paid',
        lastError: 'the receiver answered 502; all 1 attempts failed',
        dashboardUrl: `https://hooks.example.com/base/#/webhooks/${hook.id}`,
      },
    });
    expect(() => verify(failing.raw, failing.headers, 'whsec_' + 'A'.repeat(43) + '=')).toThrow();

    receiver.program({ then: { status: 200 } });
    await publish(t, { type: 'invoice.paid' });
    const recovered = verified(await alerts.nth(2), secret);
    expect(recovered.type).toBe('webhook.recovered');
    expect(recovered.data).toMatchObject({ status: 'healthy', lastError: null });
    expect(alerts.requests).toHaveLength(2);
  });

  it('signs with the rotated secret from the rotation on', async () => {
    const t = await apps.start();
    const alerts = await startReceiver();
    const first = await setAlertUrl(t, alerts.url);
    const rotated = await t.call('POST', `/api/v1/workspaces/${t.workspaceId}/alert-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.alertSecret).toMatch(/^whsec_/);
    expect(rotated.body.alertSecret).not.toBe(first);
    const receiver = await startReceiver({ then: { status: 410 } });
    const hook = await createWebhook(t, { url: receiver.url });
    await publish(t, { type: 'order.created' });
    await settledDeliveries(t, hook.id, 1);
    const disabled = await alerts.nth(1);
    expect(verified(disabled, rotated.body.alertSecret).type).toBe('webhook.disabled');
    expect(() => verified(disabled, first)).toThrow();
  });

  it('loses no alert when hookd stops mid-send: the next one sends it again (SQLite: at once; PostgreSQL: after the lease)', async () => {
    const first = await apps.start({ alerts: { sender: { leaseMs: 300, pollMs: 20 } } });
    const alerts = await startReceiver({ replies: ['hang'], then: { status: 204 } });
    const secret = await setAlertUrl(first, alerts.url);
    const receiver = await startReceiver({ then: { status: 500 } });
    const hook = await createWebhook(first, { url: receiver.url, retry: { schedule: [] } });
    await publish(first, { type: 'order.created' });
    await alerts.nth(1);
    await first.stop(0);

    await apps.start({ database: first.database, alerts: { sender: { pollMs: 20 } } });
    const again = await alerts.nth(2);
    expect(again.headers['webhook-id']).toBe(alerts.requests[0]!.headers['webhook-id']);
    expect(verified(again, secret).data.webhookId).toBe(hook.id);
  });

  it('keeps delivering while the SMTP server never greets and the alert endpoint never answers', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const t = await apps.start({ alerts: { smtpUrl: silent.url } });
    const alerts = await startReceiver({ then: 'hang' });
    await setAlertUrl(t, alerts.url);
    await t.call('PATCH', `/api/v1/workspaces/${t.workspaceId}`, { body: { alertEmail: 'ops@example.com' } });
    const broken = await startReceiver({ then: { status: 500 } });
    const brokenHook = await createWebhook(t, { url: broken.url, events: ['broken.*'], retry: { schedule: [] } });
    await publish(t, { type: 'broken.thing' });
    await settledDeliveries(t, brokenHook.id, 1);
    // Both alerts are under way, and stuck.
    await silent.connections.nth(1, 'an SMTP connection', 5_000);
    await alerts.nth(1);

    const healthy = await startReceiver();
    const hook = await createWebhook(t, { url: healthy.url, events: ['order.*'] });
    for (let i = 0; i < 30; i++) await publish(t, { type: 'order.created', data: { i } });
    await healthy.nth(30);
    await settledDeliveries(t, hook.id, 30);
    expect(alerts.requests).toHaveLength(1);
  });
});
