// Alert emails end to end: a real SMTP server on 127.0.0.1 gets them from a real hookd as its webhooks fail, recover
// and are disabled by real receivers' answers. One email per state change, retried while the SMTP server is down.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhook, publish, settledDeliveries } from './support/delivery-api.js';
import { eventually } from './support/eventually.js';
import { parsePrometheusText, sampleValue } from './support/prometheus-text.js';
import { closeAllReceivers, startReceiver } from './support/receiver.js';
import { startSmtpListener, type SmtpListener } from './support/smtp-listener.js';
import { appsOfTest, type TestApp } from './support/test-app.js';

const apps = appsOfTest();
let smtp: SmtpListener | undefined;
afterEach(async () => {
  await apps.closeAll();
  await smtp?.close();
  smtp = undefined;
  await closeAllReceivers();
});

/** Short waits between tries, so a retry comes within the test. */
const QUICK_RETRIES = { scheduleMs: [50, 50, 50, 50, 50], pollMs: 20 };

async function setAlerts(t: TestApp, body: Record<string, unknown>): Promise<any> {
  const changed = await t.call('PATCH', `/api/v1/workspaces/${t.workspaceId}`, { body });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  return changed.body;
}

async function alertCounts(t: TestApp): Promise<{ sent: number; retrying: number }> {
  const samples = parsePrometheusText((await t.app.inject({ method: 'GET', url: '/metrics' })).body);
  return {
    sent: sampleValue(samples, 'hookd_alerts_sent_total', { channel: 'email' }),
    retrying: sampleValue(samples, 'hookd_alerts_failed_total', { channel: 'email', outcome: 'retrying' }),
  };
}

describe('alert emails', () => {
  it('sends one webhook.failing however many deliveries fail, then one webhook.recovered, then webhook.disabled', async () => {
    smtp = await startSmtpListener();
    const t = await apps.start({
      alerts: { smtpUrl: smtp.url, smtpFrom: 'alerts@hookd.test' },
      dashboard: { publicUrl: 'https://hooks.example.com' },
    });
    await setAlerts(t, { alertEmail: 'ops@example.com' });
    const receiver = await startReceiver({ then: { status: 500, body: 'down for <maintenance>' } });
    const hook = await createWebhook(t, {
      url: receiver.url,
      description: 'Orders to the <shop>',
      retry: { schedule: [] },
    });
    for (let i = 0; i < 20; i++) await publish(t, { type: 'order.created' });
    await settledDeliveries(t, hook.id, 20);

    const failing = await smtp.nth(1);
    expect(failing.from).toBe('alerts@hookd.test');
    expect(failing.to).toEqual(['ops@example.com']);
    expect(failing.subject).toBe('[hookd] webhook.failing: Orders to the <shop>');
    expect(failing.decoded).toContain(`The webhook ${receiver.url} is failing`);
    expect(failing.decoded).toContain('Event type: order.created');
    expect(failing.decoded).toContain('Last error: the receiver answered 500');
    expect(failing.decoded).toContain(`Dashboard: https://hooks.example.com/#/webhooks/${hook.id}`);
    // The HTML part escapes what tenants and receivers wrote.
    expect(failing.decoded).toContain('<td>Orders to the &lt;shop&gt;</td>');

    receiver.program({ then: { status: 200 } });
    await publish(t, { type: 'order.paid' });
    const recovered = await smtp.nth(2);
    expect(recovered.subject).toBe('[hookd] webhook.recovered: Orders to the <shop>');
    expect(recovered.decoded).toContain('Event type: order.paid');

    receiver.program({ then: { status: 410 } });
    await publish(t, { type: 'order.shipped' });
    const disabled = await smtp.nth(3);
    expect(disabled.subject).toBe('[hookd] webhook.disabled: Orders to the <shop>');
    await settledDeliveries(t, hook.id, 22);
    expect(smtp.mails.map((mail) => mail.subject.split(':')[0])).toEqual([
      '[hookd] webhook.failing',
      '[hookd] webhook.recovered',
      '[hookd] webhook.disabled',
    ]);
  });

  it('retries while the SMTP server is down and sends the email exactly once when it is back', async () => {
    // A port that was free a moment ago: nothing listens there until the server comes "back up".
    const down = await startSmtpListener();
    const { port } = down;
    await down.close();
    const t = await apps.start({ alerts: { smtpUrl: `smtp://127.0.0.1:${port}`, sender: QUICK_RETRIES }, metrics: {} });
    await setAlerts(t, { alertEmail: 'ops@example.com' });
    const receiver = await startReceiver({ then: { status: 503 } });
    const hook = await createWebhook(t, { url: receiver.url, retry: { schedule: [] } });
    await publish(t, { type: 'order.created' });
    await settledDeliveries(t, hook.id, 1);
    await eventually(async () => expect((await alertCounts(t)).retrying).toBeGreaterThanOrEqual(1));

    smtp = await startSmtpListener(port);
    const mail = await smtp.nth(1);
    expect(mail.subject).toContain('webhook.failing');
    await eventually(async () => expect((await alertCounts(t)).sent).toBe(1));
    // Recovery makes the next email: had the first been sent twice, it would show before this one.
    receiver.program({ then: { status: 200 } });
    await publish(t, { type: 'order.created' });
    await smtp.nth(2);
    expect(smtp.mails.map((one) => one.subject.split(':')[0])).toEqual([
      '[hookd] webhook.failing',
      '[hookd] webhook.recovered',
    ]);
  });

  it('sends no email for a workspace without alertEmail, nor for a pause and resume', async () => {
    smtp = await startSmtpListener();
    const t = await apps.start({ alerts: { smtpUrl: smtp.url }, metrics: {} });
    const receiver = await startReceiver({ then: { status: 500 } });
    const hook = await createWebhook(t, { url: receiver.url, retry: { schedule: [] } });
    await publish(t, { type: 'order.created' });
    await settledDeliveries(t, hook.id, 1);
    await setAlerts(t, { alertEmail: 'ops@example.com' });
    await t.call('PATCH', `/api/v1/webhooks/${hook.id}`, { body: { active: false } });
    await t.call('PATCH', `/api/v1/webhooks/${hook.id}`, { body: { active: true } });
    // The next change of state is the first email: nothing before it was queued.
    receiver.program({ then: { status: 200 } });
    await publish(t, { type: 'order.created' });
    expect((await smtp.nth(1)).subject).toContain('webhook.recovered');
    expect(smtp.mails).toHaveLength(1);
  });

  it('never logs the SMTP password, though the server refuses the login', async () => {
    const password = 'hunter2-smtp-Pa55word';
    smtp = await startSmtpListener(0, { user: 'hookd', pass: 'the-right-one' });
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }),
    );
    const t = await apps.start({
      alerts: { smtpUrl: `smtp://hookd:${password}@127.0.0.1:${smtp.port}`, sender: QUICK_RETRIES },
      metrics: {},
      logger,
    });
    await setAlerts(t, { alertEmail: 'ops@example.com' });
    const receiver = await startReceiver({ then: { status: 500 } });
    const hook = await createWebhook(t, { url: receiver.url, retry: { schedule: [] } });
    await publish(t, { type: 'order.created' });
    await settledDeliveries(t, hook.id, 1);
    await eventually(async () => expect((await alertCounts(t)).retrying).toBeGreaterThanOrEqual(2));
    await t.stop();
    const log = lines.join('');
    expect(log).toContain('alert not sent; trying again later');
    expect(log).toContain('Invalid');
    expect(log).not.toContain(password);
    expect(log).not.toContain(encodeURIComponent(password));
    expect(smtp.mails).toHaveLength(0);
  });
});
